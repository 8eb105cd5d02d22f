"""A paragraph's history at the desk: every saved text, a word diff between any two, revert."""

from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow.desk import TranslationView
from workflow.errors import EditConflict
from workflow.history import revision_history
from workflow.models import Person
from workflow.translations import revert_translation
from workflow.ui.common import db, md, show_diff
from workflow.ui.paragraph_actions import ParagraphKeys, Place, act, quietly

ss = st.session_state
HISTORY = "desk_history"  # the desk's "History" switch: each paragraph offers its history


def history_panel(
    t: TranslationView, keys: ParagraphKeys, place: Place, refusal: str | None = None
) -> None:
    """Shown on demand: loading every revision of every paragraph on each run would be waste.
    "Revert to this" is disabled, `refusal` saying why, when the person may not change the text.

    The paragraph offers its History switch only while the desk's own (`HISTORY`) is on: a
    switch in every paragraph is a widget in every paragraph, which a long story's run pays
    for in every text box it draws (Streamlit reads the whole session state for each)."""
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
                    disabled=refusal is not None,
                    help=refusal,
                    on_click=act,
                    args=(keys, place, partial(_revert, revision_id=revision.id, keys=keys)),
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


def _revert(session: Session, person: Person, *, revision_id: int, keys: ParagraphKeys) -> None:
    """Bring an earlier text back as a new revision, and into the box."""
    revert = partial(
        revert_translation, session, revision_id=revision_id, person=person,
        base_lock_version=keys.base,
    )  # fmt: skip
    try:
        reverted = quietly(keys, revert)
    except EditConflict as conflict:
        ss[keys.refused] = f"Not reverted: {conflict}"
        return
    if reverted is not None:
        ss[keys.text] = keys.loaded = reverted.text
        keys.base = reverted.lock_version
        ss.pop(keys.draft, None)
        ss[keys.flash] = "Reverted: the earlier text is back, as a new revision."
