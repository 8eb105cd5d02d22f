"""Flags on the desk: what the checks found on a paragraph, and an editor's override."""

from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow.checks import Severity
from workflow.desk import TranslationView
from workflow.flags import override_flag
from workflow.models import Person
from workflow.states import Action, permitted
from workflow.ui.common import md
from workflow.ui.paragraph_actions import ParagraphKeys, Place, act, quietly

ss = st.session_state


def _override(session: Session, person: Person, *, flag_id: int, keys: ParagraphKeys) -> None:
    """Record the editor's reason for overriding the flag."""
    reason = ss.get(f"override-reason-{flag_id}", "")
    quietly(keys, partial(override_flag, session, flag_id=flag_id, person=person, reason=reason))


def flag_list(t: TranslationView, person: Person, keys: ParagraphKeys, place: Place) -> None:
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
                    on_click=act,
                    args=(keys, place, partial(_override, flag_id=flag.id, keys=keys)),
                )
