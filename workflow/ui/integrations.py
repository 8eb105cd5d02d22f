"""The Administration page's integration tokens: make one for the newsroom's CMS (shown once),
see every token with its last use, and revoke a live one."""

from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow.integrations import create_token, list_tokens, revoke_token
from workflow.models import Person, TokenScope
from workflow.ui.common import attempt, db, format_time, md

ss = st.session_state
SCOPES = {
    TokenScope.READ: "Read: stories, states and approved versions",
    TokenScope.WRITE: "Write: also send stories, corrections and publications",
}


def tokens_section(person: Person) -> None:
    """The section, for an administrator (the domain refuses anyone else in any case)."""
    st.subheader("Integration tokens")
    st.caption(
        "A token lets the newsroom's CMS call the desk's API (/api/v1). Everything it changes "
        "is in the audit log as the integration."
    )
    _make_token(person)
    _token_list(person)


def _make_token(person: Person) -> None:
    with st.form("make_token", clear_on_submit=True):
        name = st.text_input("Name", placeholder="Site CMS", max_chars=100)
        scope = st.radio("Scope", list(SCOPES), format_func=SCOPES.__getitem__, key="token_scope")
        made = None
        if st.form_submit_button("Make a token"):
            with db() as session:
                made = attempt(partial(create_token, session, name, scope, person=person))
    if made is not None:
        # Drawn in this run only and never kept in the session: one rerun and it is gone.
        st.success(
            md("The token {} is made. Copy it now: it will not be shown again.", name.strip())
        )
        st.code(made, language=None)


def _token_list(person: Person) -> None:
    with db() as session:
        tokens = list(list_tokens(session))
    if not tokens:
        st.caption("No token yet.")
        return
    st.dataframe(
        [
            {
                "Name": token.name,
                "Scope": TokenScope(token.scope).value,
                "Made": format_time(token.created_at),
                "Last used": format_time(token.last_used_at) if token.last_used_at else "never",
                "Revoked": format_time(token.revoked_at) if token.revoked_at else "",
            }
            for token in tokens
        ],
        hide_index=True,
        width="stretch",
    )
    if revoked_name := ss.pop("token_revoked", None):
        st.success(
            md("The token {} is revoked: calls with it are refused from now on.", revoked_name)
        )
    live = {token.id: token.name for token in tokens if token.revoked_at is None}
    if not live:
        return
    asked: str | None = ss.get("token_to_revoke")
    if asked is not None and asked in live.values():
        st.warning(
            md("Revoke {}? The CMS that uses it is refused from its next call.", asked),
            icon=":material/key_off:",
        )
        yes, no, _ = st.columns([1, 1, 5])
        if yes.button("Revoke it", type="primary", key="token_revoke_yes"):
            ss.pop("token_to_revoke", None)
            with db() as session:
                revoked = attempt(partial(_revoke, session, asked, person))
            if revoked:
                ss["token_revoked"] = asked
                st.rerun()  # the list above shows it revoked
        elif no.button("Keep it", key="token_revoke_no"):
            ss.pop("token_to_revoke", None)
            st.rerun()
        return
    for token_id, name in live.items():
        label, button = st.columns([4, 1], vertical_alignment="center")
        label.markdown(md("**{}**", name))
        if button.button("Revoke", key=f"revoke_token_{token_id}"):
            ss["token_to_revoke"] = name
            st.rerun()


def _revoke(session: Session, name: str, person: Person) -> bool:
    revoke_token(session, name, person=person)
    return True
