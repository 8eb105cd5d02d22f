"""What a paragraph's buttons ask for at the desk, and carrying it out.

A button only records what was asked (`ask`); the paragraph carries it out first thing on its
next run (`carry_out_asked`), then draws itself as it now is, so no extra rerun is needed. The
text being edited lives in the paragraph's box; `ParagraphKeys` names the session-state keys of
that box and of the paragraph's other UI state.
"""

from collections.abc import Callable
from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow.desk import desk_rows
from workflow.errors import EditConflict
from workflow.models import Person
from workflow.progress import version_progress
from workflow.states import Action
from workflow.translations import (
    approve_translation,
    confirm_translation,
    mark_translated,
    save_translation,
    send_back,
)
from workflow.ui.common import attempt
from workflow.ui.flags import carry_out_override
from workflow.ui.history import carry_out_revert

ss = st.session_state


class ParagraphKeys:
    """Session-state keys of one paragraph editor (UI state only: the text lives in the box)."""

    def __init__(self, translation_id: int) -> None:
        self.id = translation_id
        self.text = f"text-{translation_id}"
        self.base = f"base-{translation_id}"  # the lock version the box's text was loaded from
        self.loaded = f"loaded-{translation_id}"
        self.flash = f"flash-{translation_id}"
        self.conflict = f"conflict-{translation_id}"
        self.comment = f"send-back-comment-{translation_id}"
        self.draft = f"draft-{translation_id}"  # a copy Streamlit keeps when the box is not drawn
        self.used = f"used-{translation_id}"  # the suggestion (text, origin) put in the box


def asked_key(paragraph_id: int, lang: str) -> str:
    """Where a paragraph's button leaves what it asked for."""
    return f"asked-{paragraph_id}-{lang}"


def revert_key(paragraph_id: int, lang: str) -> str:
    """Where the paragraph's history leaves the revision it was asked to bring back."""
    return f"revert-asked-{paragraph_id}-{lang}"


def ask(asked: str, action: Action, keys: ParagraphKeys) -> None:
    ss[asked] = (action, keys)


def keep_draft(keys: ParagraphKeys) -> None:
    # A click that ends the session (Sign out) clears the state before this runs.
    if keys.text in ss:
        ss[keys.draft] = ss[keys.text]


def carry_out_asked(
    session: Session, person: Person, story_id: int, paragraph_id: int, lang: str
) -> bool:
    """Carry out what the paragraph's buttons and its history asked for on the last run;
    True when a state moved, so the version's progress at the top of the page must follow."""
    if reverted := carry_out_revert(revert_key(paragraph_id, lang), person):
        translation_id, text = reverted
        done = ParagraphKeys(translation_id)
        ss[done.text] = ss[done.loaded] = text
        ss.pop(done.draft, None)
        ss[done.flash] = "Reverted: the earlier text is back, as a new revision."
    carry_out_override(session, person, paragraph_id, lang)
    if request := ss.pop(asked_key(paragraph_id, lang), None):
        before = _states(session, story_id, paragraph_id, lang)
        carry_out(session, person, *request)
        return _states(session, story_id, paragraph_id, lang) != before
    return False


def _states(session: Session, story_id: int, paragraph_id: int, lang: str) -> tuple[object, ...]:
    rows = desk_rows(session, story_id, paragraph_id=paragraph_id)
    t = rows[0].translations[lang] if rows else None
    version = version_progress(session, story_id, lang).state
    return (t.state, t.stale, t.check_from is not None, version) if t else (version,)


def _save(session: Session, person: Person, keys: ParagraphKeys) -> bool:
    """Save the box's text; False when it could not be saved (and the person was told why)."""
    base = ss[keys.base]
    try:
        saved = attempt(
            partial(
                save_translation,
                session,
                translation_id=keys.id,
                text=ss[keys.text],
                person=person,
                base_lock_version=base,
                draft=ss.get(keys.used),
            )
        )
    except EditConflict as conflict:
        ss[keys.conflict] = conflict
        return False
    if saved is None:
        return False
    ss[keys.flash] = (
        "Saved." if saved.lock_version != base else "Nothing to save: the text is unchanged."
    )
    ss[keys.text] = ss[keys.loaded] = saved.text
    ss[keys.base] = saved.lock_version
    ss.pop(keys.conflict, None)
    ss.pop(keys.draft, None)
    ss.pop(keys.used, None)
    return True


# A translation's move other than a save: called with the session, the translation, the person
# and the lock version (counter) of the text they saw.
Move = Callable[..., object]


def carry_out(session: Session, person: Person, action: Action, keys: ParagraphKeys) -> None:
    """Carry out what a paragraph's button asked for, with the text and version in the box.

    Text typed but not saved is saved first: marking, approving or confirming acts on what the
    person sees, never on an older text behind it.
    """
    if action is Action.SAVE:
        _save(session, person, keys)
        return
    unsaved = ss.get(keys.text, "") != ss.get(keys.loaded, "")
    if unsaved and not _save(session, person, keys):
        return
    moves: dict[Action, tuple[Move, str]] = {
        Action.MARK_TRANSLATED: (mark_translated, "Marked translated."),
        Action.APPROVE: (approve_translation, "Approved."),
        Action.CONFIRM: (confirm_translation, "Confirmed: still valid."),
        Action.SEND_BACK: (
            partial(send_back, comment=ss.get(keys.comment, "")),
            "Sent back to the translator.",
        ),
    }
    change, message = moves[action]
    done = attempt(
        partial(
            change, session, translation_id=keys.id, person=person, seen_lock_version=ss[keys.base]
        )
    )
    if done:
        ss[keys.flash] = message
