"""Flags on the desk: what the checks found on a paragraph, and an editor's override."""

from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow.checks import Severity
from workflow.desk import TranslationView
from workflow.flags import override_flag
from workflow.models import Person
from workflow.states import Action, permitted
from workflow.ui.common import attempt, escape_markdown

ss = st.session_state


def _asked(paragraph_id: int, lang: str) -> str:
    return f"override-asked-{paragraph_id}-{lang}"


def _ask(paragraph_id: int, lang: str, flag_id: int) -> None:
    ss[_asked(paragraph_id, lang)] = flag_id


def carry_out_override(session: Session, person: Person, paragraph_id: int, lang: str) -> None:
    """At the paragraph's next run: override the flag an editor asked to, with their reason."""
    flag_id = ss.pop(_asked(paragraph_id, lang), None)
    if flag_id is None:
        return
    reason = ss.get(f"override-reason-{flag_id}", "")
    attempt(partial(override_flag, session, flag_id=flag_id, person=person, reason=reason))


def flag_list(t: TranslationView, person: Person, paragraph_id: int) -> None:
    """Each flag in words: errors red, warnings orange, overridden ones grey with who and why."""
    may_override = permitted(person, Action.OVERRIDE, t.lang)
    for flag in t.flags:
        message = escape_markdown(flag.message)
        if not flag.open:
            who = escape_markdown(flag.overridden_by or "someone")
            why = escape_markdown(flag.override_reason or "")
            st.caption(f"~~{flag.code}~~ {message} Overridden by {who}: {why}")
            continue
        color = "red" if flag.severity is Severity.ERROR else "orange"
        icon = ":material/error:" if flag.severity is Severity.ERROR else ":material/warning:"
        st.markdown(f"{icon} :{color}[**{flag.code}**] {message}")
        if may_override:
            # Under the message, not beside it: a narrow column cut the label to "O…".
            with st.popover("Override", help="The check is wrong here: say why"):
                st.text_input("Why the flag does not apply", key=f"override-reason-{flag.id}")
                st.button(
                    "Override",
                    key=f"override-{flag.id}",
                    on_click=_ask,
                    args=(paragraph_id, t.lang, flag.id),
                )
