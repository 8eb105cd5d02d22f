"""Administration: the machine-translation engine, the self-review rule, people, webhooks and
notifications (the desk's chat channel, and what was sent lately)."""

from dataclasses import replace
from functools import partial

import streamlit as st

from workflow import LANGUAGES
from workflow.accounts import check_password, set_password
from workflow.errors import InputError, LockstepError
from workflow.languages import language_names
from workflow.machinery import ENGINE_LABELS, EngineSettings, engine_for, save_engine_choice
from workflow.machinery import Engine as MachineEngine
from workflow.people import add_person, as_drawn, list_people, set_role
from workflow.settings import allow_self_review, self_review_allowed
from workflow.states import Action, Role, permitted
from workflow.ui import integrations
from workflow.ui.common import (
    attempt,
    current_person,
    db,
    escape_markdown,
    language_name,
    md,
    secrets,
)
from workflow.ui.notifications import notifications_section
from workflow.ui.webhooks import webhooks_section

ss = st.session_state
# Typed: from `list(Role)` inline, mypy picks the selectbox overload for empty options.
ROLES: tuple[Role, ...] = tuple(Role)
SAMPLE = "The Pentagon said 3,000 troops would deploy to Poland, Germany and Romania."

person = current_person()
st.title("Administration")
if person is None or not permitted(person, Action.CONFIGURE):
    st.info("Only administrators configure the desk.")
    st.stop()

with db() as session:
    current = EngineSettings.load(session, secrets())
st.subheader("Machine translation")
with st.form("engine"):
    names = list(ENGINE_LABELS)
    engine = st.radio(
        "Engine",
        names,
        index=names.index(current.engine) if current.engine in names else 0,
        format_func=ENGINE_LABELS.__getitem__,
    )
    url = st.text_input(
        "Server address (LibreTranslate)",
        value=current.url,
        placeholder="http://localhost:5000",
    )
    st.caption(
        "Key: " + ("set" if current.key else "not set")
        + " (LOCKSTEP_MT_KEY in the environment or the app's secrets; never stored here)."
    )  # fmt: skip
    chosen: MachineEngine | None  # None: the setting cannot make an engine
    try:
        chosen = engine_for(replace(current, engine=engine, url=url))
    except LockstepError:
        chosen = None
    if chosen is not None and chosen.needs_key and not current.key:
        st.warning(md("{} needs a key: set LOCKSTEP_MT_KEY before drafting.", chosen.label))
    if chosen is not None and chosen.needs_url and not url.strip():
        st.warning(md("{} needs the address of your server.", chosen.label))
    if st.form_submit_button("Save", type="primary"):
        with db() as session:
            saved = attempt(
                partial(save_engine_choice, session, engine=engine, url=url, person=person)
            )
        if saved is not None:
            st.success(md("Drafts now come from {}.", ENGINE_LABELS[saved.engine]))

if st.button("Try the engine", help=f"Translates one sentence: {SAMPLE}"):
    for lang in ("ru", "uk"):
        try:
            with db() as session:
                engine_now = engine_for(EngineSettings.load(session, secrets()))
            # What an engine answers is text from outside: shown, never rendered.
            st.success(md("{}: {}", lang, engine_now.translate(SAMPLE, lang)))
        except LockstepError as fault:  # a fault of the engine, or a wrong setting
            st.error(escape_markdown(str(fault)))
            break

st.subheader("Review")
with db() as session:
    allowed_now = self_review_allowed(session)
# The rule as the page drew it, handed back as `seen` on Save: the click's own run reads the
# rule again, and another administrator may have switched it since this page drew it.
review_drawn = ss.get("review_seen", allowed_now) if ss.get("review_save") else allowed_now
ss["review_seen"] = review_drawn
with st.form("review_rules"):
    allowed = st.checkbox(
        "Allow self-review",
        value=review_drawn,
        key=f"review_allowed_{review_drawn}",  # drawn afresh when the stored rule changed
        help="Off: nobody approves a translation they wrote, and a version's reviewer is never "
        "its translator. Turn on only for a desk too small to have a second reader.",
    )
    if st.form_submit_button("Save", key="review_save"):
        with db() as session:
            rule = partial(
                allow_self_review, session, allowed=allowed, person=person, seen=review_drawn
            )
            if attempt(rule) is not None:
                ss["review_seen"] = allowed
                st.success("Self-review is " + ("allowed." if allowed else "not allowed."))

integrations.tokens_section(person)

st.subheader("People")
with db() as session:
    everyone = list_people(session)
st.dataframe(
    [
        {
            "Name": p.name,
            "E-mail": p.email or "",
            "Role": p.role.label,
            "Languages": language_names(p.language_codes) if p.language_codes else "",
            "Signs in with": "password" if p.password_hash else "single sign-on",
        }
        for p in everyone
    ],
    hide_index=True,
    width="stretch",
)
add_column, change_column = st.columns(2)
ADD_FIELDS = ("add_name", "add_email", "add_role", "add_languages", "add_password")
if ss.pop("person_added_clear", False):
    for field in ADD_FIELDS:  # an empty form for the next person, drawn afresh
        ss.pop(field, None)
# Not cleared on submit: a refused person (a weak password, a name taken) keeps what was typed.
with add_column, st.form("add_person"):
    st.markdown("**Add a person**")
    name = st.text_input("Name", key="add_name")
    email = st.text_input("E-mail", key="add_email")
    role = st.selectbox("Role", ROLES, format_func=lambda r: r.label, key="add_role")
    languages = st.multiselect(
        "Languages", list(LANGUAGES), format_func=language_name, key="add_languages"
    )
    password = st.text_input(
        "Password",
        type="password",
        help="Leave empty for someone who signs in by single sign-on.",
        key="add_password",
    )
    if st.form_submit_button("Add"):
        with db() as session:
            added = attempt(
                partial(
                    add_person, session, name=name, email=email or None, role=role,
                    languages=languages, password=password or None, by=person,
                )
            )  # fmt: skip
        if added is not None:
            ss["person_added"] = added.name
            ss["person_added_clear"] = True
            st.rerun()  # the table above lists them
    if added_name := ss.pop("person_added", None):
        st.success(md("{} works at the desk now.", added_name))
with change_column, st.container(border=True):
    # Not a form: choosing a person fills in their role and languages, to change from there.
    st.markdown("**Change a person**")
    by_name = {p.name: p for p in everyone}
    who = st.selectbox("Person", list(by_name), key="change_who")
    if who is not None:
        member = by_name[who]
        # The role and languages as the page drew them, handed back as `seen` on Change; the
        # widgets are keyed by them, so another administrator's change is drawn afresh
        # instead of the old values kept, while a refused click keeps what was chosen.
        seen_key = f"change_seen_{member.id}"
        fresh = as_drawn(member)
        drawn = ss.get(seen_key, fresh) if ss.get("change_person") else fresh
        ss[seen_key] = drawn
        version = f"{member.id}_{drawn[0].value}_{'-'.join(drawn[1])}"
        new_role = st.selectbox(
            "Role",
            ROLES,
            index=ROLES.index(drawn[0]),
            format_func=lambda r: r.label,
            key=f"change_role_{version}",
        )
        new_languages = st.multiselect(
            "Languages",
            list(LANGUAGES),
            default=drawn[1],
            format_func=language_name,
            key=f"change_languages_{version}",
        )
        password_key = f"change_password_{member.id}"
        if ss.pop("change_done", None):
            ss[password_key] = ""  # a password is typed once, never left in the box
        new_password = st.text_input(
            "New password", type="password", help="Empty: unchanged.", key=password_key
        )
        if message := ss.pop("change_message", None):
            st.success(escape_markdown(message))
        if st.button("Change", key="change_person"):
            try:
                if new_password:
                    # Before anything changes: the role is saved first.
                    check_password(new_password, name=member.name, email=member.email or "")
            except InputError as refusal:
                st.error(escape_markdown(str(refusal)), icon=":material/block:")
            else:
                with db() as session:
                    changed = attempt(
                        partial(
                            set_role, session, name=who, role=new_role,
                            languages=new_languages, by=person, seen=drawn,
                        )
                    )  # fmt: skip
                    if changed is not None and new_password:
                        changed = attempt(
                            partial(
                                set_password, session, name=who, password=new_password, by=person
                            )
                        )
                if changed is not None:
                    ss["change_done"] = True
                    ss["change_message"] = f"{who} is now {changed.role.with_article}." + (
                        " Their password is new." if new_password else ""
                    )
                    st.rerun()

webhooks_section(person)
notifications_section(person)
