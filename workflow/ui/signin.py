"""Signing in and out: a password form, or the newsroom's single sign-on when configured.

The signed-in person's id is the only thing kept (`st.session_state["person_id"]`, which lives
on the server); their role and languages are read afresh on every run, so a change made by an
administrator applies at once. A password sign-in (`accounts.sign_in`: throttled, recorded in
the audit log) also leaves a cookie holding a random token (its hash is stored), set by the
server as HttpOnly (`session_cookie`), so reloading the page keeps the person signed in for a
working shift; signing out ends it on the server. With an `[auth]` section in
the app's secrets, Streamlit's `st.login` (OpenID Connect) signs people in instead, and they
are matched by e-mail address.
"""

from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from workflow.accounts import (
    end_browser_session,
    person_for_token,
    sign_in,
    single_sign_on,
)
from workflow.demo import DEMO_PASSWORD, demo_accounts, demo_enabled
from workflow.errors import LockstepError
from workflow.languages import language_names
from workflow.models import Person
from workflow.ui.common import Markdown, current_person, db, escape_markdown, md
from workflow.ui.presence import leave_desk
from workflow.ui.session_cookie import COOKIE, hand_over

ss = st.session_state


def sso_configured() -> bool:
    """Whether the app's secrets configure single sign-on (`[auth]`, as `st.login` reads it)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitAPIException):  # no secrets file at all
        return False


def _sso_user() -> dict[str, Any]:
    try:
        return st.user.to_dict()
    except StreamlitAPIException:  # single sign-on half configured: treated as signed out
        return {}


def signed_in_person() -> Person | None:
    """The person signed in to this browser session, or None (the sign-in page is shown)."""
    person = current_person()
    if person is not None and ss.get("session_token"):
        # Every run asks the server: signing out elsewhere, a new password or the end of the
        # shift signs this tab out too.
        with db() as session:
            still = person_for_token(session, ss["session_token"])
        if still is None or still.id != person.id:
            ss.clear()
            person = None
    if person is not None:
        return person
    ss.pop("person_id", None)  # a removed person is signed out
    token = st.context.cookies.get(COOKIE)
    if isinstance(token, str) and token and not ss.get("signed_out"):
        with db() as session:
            person = person_for_token(session, token)
        if person is not None:
            ss["person_id"], ss["session_token"] = person.id, token
            return person
    user = _sso_user() if sso_configured() else {}
    if user.get("is_logged_in") and user.get("email"):
        if user.get("email_verified") is False:
            # The identity provider itself does not vouch for the address: matching it to a
            # person here would let anyone claim anyone's account.
            st.error(
                md(
                    "Your account's e-mail address {} is not verified by your identity "
                    "provider; verify it there, then sign in again.",
                    str(user["email"]),
                ),
                icon=":material/no_accounts:",
            )
            st.button("Sign out", on_click=st.logout)
            st.stop()
        with db() as session:
            try:
                person = single_sign_on(session, str(user["email"]))
            except LockstepError as refusal:
                st.error(escape_markdown(str(refusal)), icon=":material/no_accounts:")
                st.button("Sign out", on_click=st.logout)
                st.stop()
        ss["person_id"] = person.id
        return person
    return None


def _sign_in(login: str, password: str) -> None:
    # The browser's address, so guessing from one computer is slowed down across accounts;
    # None on this machine or behind a proxy on it, where every browser would share one.
    client = st.context.ip_address or ""
    with db() as session:
        try:
            signed_in = sign_in(session, login, password, client=client)
        except LockstepError as refusal:  # wrong, throttled, or a control character typed
            ss["sign_in_error"] = str(refusal)
            return
    ss.clear()  # nothing of an earlier session carries over to this person
    ss["person_id"], ss["session_token"] = signed_in.person.id, signed_in.token


def sign_in_page() -> None:
    """The only page shown to someone not signed in."""
    if ss.get("signed_out"):
        hand_over("")  # on every run until the page is reloaded: see `account_sidebar`
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title("Lockstep")
        st.caption("The newsroom's translation desk. Sign in to see your work.")
        if sso_configured():
            st.button(
                "Sign in with your newsroom account",
                on_click=st.login,
                type="primary",
                icon=":material/login:",
            )
            st.caption("Or with a password an administrator gave you:")
        with st.form("sign_in", enter_to_submit=True):
            login = st.text_input("E-mail", autocomplete="username")
            password = st.text_input("Password", type="password", autocomplete="current-password")
            submitted = st.form_submit_button("Sign in", type="primary")
        if submitted:
            _sign_in(login, password)
            if "person_id" in ss:
                st.rerun()
        if error := ss.pop("sign_in_error", None):
            st.error(escape_markdown(error), icon=":material/lock:")
        if demo_enabled():
            with db() as session:
                accounts = demo_accounts(session)
            if accounts:
                # The addresses and the password are the demo's own, from its plan: shown as code.
                lines = "\n".join(
                    md("- {}: {}", Markdown(f"`{email}`"), description)
                    for email, description in accounts
                )
                st.info(
                    md(
                        "**Demo desk.** Sign in as one of these, with the password {}:\n\n{}"
                        "\n\nThe administrator's password is printed where the app was started "
                        "(or set with LOCKSTEP_ADMIN_PASSWORD).",
                        Markdown(f"`{DEMO_PASSWORD}`"),
                        Markdown(lines),
                    ),
                    icon=":material/info:",
                )


def _sign_out() -> None:
    single_sign_on = sso_configured() and _sso_user().get("is_logged_in")
    if token := ss.get("session_token"):
        with db() as session:
            end_browser_session(session, token)
    leave_desk()  # colleagues stop seeing this person at the desk at once
    ss.clear()
    # The page's cookie goes on the next run; until the browser reloads, it is still sent,
    # so this session must not sign in from it again (the server has forgotten it anyway).
    ss["signed_out"] = True
    if single_sign_on:
        st.logout()


def account_sidebar(person: Person) -> None:
    """Who is signed in, and the way out."""
    token = ss.get("session_token")
    if token and st.context.cookies.get(COOKIE) != token:
        # Drawn on every run until a reload brings the cookie back, not once: the run after a
        # sign-in is often cut short by the person's first click (My work drawn, the Desk
        # clicked), and a hand-over its browser never ran left them signed out at the next
        # reload. The page asks the server once (`hand_over`).
        hand_over(token)
    with st.sidebar:
        languages = language_names(person.language_codes) if person.language_codes else ""
        st.markdown(md("**{}**", person.name))
        st.caption(
            md("{} · {}", person.role.label, languages)
            if languages
            else md("{}", person.role.label)
        )
        # Nothing typed is lost by signing out: a box's text is kept on the server as the
        # person leaves it (`ui.unsaved`) and is back in its box when they sign in again. Not
        # an on_click: text typed just before the click arrives with it, and its box's
        # on_change must keep it before the session is cleared.
        if st.button("Sign out", icon=":material/logout:"):
            _sign_out()
            st.rerun()
