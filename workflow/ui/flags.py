"""Flags on the desk: what the checks found on a paragraph, and an editor's override."""

from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow.checks import Severity
from workflow.desk import TranslationView
from workflow.flags import override_flag
from workflow.models import Person
from workflow.states import Action, permitted
from workflow.ui.common import attempt, md

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
        if not flag.open:
            who = flag.overridden_by or "someone"
            why = flag.override_reason or ""
            overridden = "~~{}~~ {} Overridden by {}: {}"
            st.caption(md(overridden, flag.code, flag.message, who, why))
            continue
        if flag.severity is Severity.ERROR:
            st.markdown(md(":material/error: :red[**{}**] {}", flag.code, flag.message))
        else:
            st.markdown(md(":material/warning: :orange[**{}**] {}", flag.code, flag.message))
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
