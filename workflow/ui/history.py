"""A paragraph's history at the desk: every saved text, a word diff between any two, revert."""

from functools import partial

import streamlit as st

from workflow.desk import TranslationView
from workflow.errors import EditConflict
from workflow.history import revision_history
from workflow.models import Person
from workflow.translations import revert_translation
from workflow.ui.common import attempt, db, md, show_diff

ss = st.session_state


def history_panel(t: TranslationView, base_key: str, asked_key: str) -> None:
    """Shown on demand: loading every revision of every paragraph on each run would be waste."""
    if not st.toggle("History", key=f"history-{t.id}"):
        return
    with db() as session:
        found = revision_history(session, t.id)
    if not found:
        st.caption("Nothing saved yet.")
        return
    for revision in found:
        who = revision.author or "the command line"
        when = revision.created_at.strftime("%Y-%m-%d %H:%M UTC")
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(md("v{} · {} · {} · {}", revision.lock_version, revision.reason, who, when))
            if revision.text != t.text:
                st.button(
                    "Revert to this",
                    key=f"revert-{t.id}-{revision.id}",
                    on_click=_ask_revert,
                    args=(asked_key, revision.id, base_key),
                )
        st.text(revision.text or "(empty)")
    if len(found) > 1:
        labels = {
            r.id: f"v{r.lock_version} {r.reason} ({r.author or 'command line'})" for r in found
        }
        ids = list(labels)
        left, right = st.columns(2)
        older = left.selectbox("From", ids, index=1, format_func=labels.__getitem__,
                               key=f"diff-from-{t.id}")  # fmt: skip
        newer = right.selectbox("To", ids, index=0, format_func=labels.__getitem__,
                                key=f"diff-to-{t.id}")  # fmt: skip
        texts = {r.id: r.text for r in found}
        show_diff(texts[older], texts[newer])


def _ask_revert(asked_key: str, revision_id: int, base_key: str) -> None:
    ss[asked_key] = (revision_id, ss.get(base_key, 0))


def carry_out_revert(asked_key: str, person: Person) -> tuple[int, str] | None:
    """A revert asked by a button, carried out at the start of the paragraph's next run;
    returns the translation and its text when it happened."""
    asked = ss.pop(asked_key, None)
    if asked is None:
        return None
    revision_id, base = asked
    with db() as session:
        try:
            reverted = attempt(
                partial(
                    revert_translation, session, revision_id=revision_id, person=person,
                    base_lock_version=base,
                )
            )  # fmt: skip
        except EditConflict as conflict:
            st.warning(md("Not reverted: {}", conflict), icon=":material/sync_problem:")
            return None
    return None if reverted is None or reverted.id is None else (reverted.id, reverted.text)
