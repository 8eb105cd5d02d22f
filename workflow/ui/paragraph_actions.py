"""What a paragraph's buttons do at the desk, and what reruns after them.

Each paragraph is a fragment of its own (`paragraph`), and so is the version's head
(`version_header`). A button carries out its action in its callback, before anything is
drawn, then names what must be drawn again: its own paragraph, plus the head when the
version's counts, state or open errors moved. The other paragraphs are not run at all, so
text typed in them and not yet saved stays as it is. When the version's state moved (an edit
after approval reopens it), every paragraph's buttons change: the page runs whole.

A refusal is kept for the paragraph to say (`ParagraphKeys.refused`): a callback draws nothing.
The text being edited lives in the paragraph's box; `ParagraphKeys` names the session-state
keys of that box and of the paragraph's other UI state.
"""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from workflow.errors import EditConflict, LockstepError
from workflow.flags import open_errors
from workflow.models import Person, Translation
from workflow.presence import beat, saved_at_desk
from workflow.progress import VersionProgress, version_progress
from workflow.segmentation import normalise
from workflow.states import SYSTEM_TRANSITIONS, Action, TranslationState
from workflow.translations import (
    approve_translation,
    confirm_translation,
    mark_translated,
    save_translation,
    send_back,
)
from workflow.ui.common import db
from workflow.versions import get_version

ss = st.session_state
T = TypeVar("T")

HEADER = "version-header"  # the fragment key of the version's head
KEYBOARD = "desk-keyboard"  # the fragment key of the keyboard's bar (`keyboard`)
PRESENCE = "presence-bar"  # the fragment key of the heartbeat and who is here (`presence`)
WHOLE_PAGE = "desk-whole-page"  # set when a paragraph's action moved the version's state
BOXES = "desk-boxes"  # translation id -> [lock version, text] its box was loaded with
DRAWN = "desk-drawn"  # the fragments drawn since the page last ran whole
# The current paragraph (its translation's id): the one the person last typed in or clicked a
# button of, or moved to with a key; the desk's keys act on it (`keyboard`).
CURSOR = "desk-cursor"
# (story id, language, translation id) of the paragraph the person last typed in: where their
# presence says they are (`ui.presence`); a button's click or a key's move is not editing.
EDITING = "desk-editing"
DESK = "presence-desk"  # this tab's id at the desk (`presence`), made on its first beat


def now_on(keys: "ParagraphKeys", place: "Place") -> None:
    """The person typed in this paragraph: their presence is on it now. When they
    came to it just now, it beats at once (one statement), so their colleagues see them on
    their own next beat rather than one later."""
    here = (place.story_id, place.lang, keys.id)
    came, ss[EDITING] = ss.get(EDITING) != here, here
    if not came or DESK not in ss:
        return
    unsaved = keys.unsaved
    # Else the next beat says it (or, refused, that they are on the story alone).
    with suppress(OperationalError, LockstepError), db() as session:
        if (person := session.get(Person, place.person_id)) is not None:
            beat(session, desk=ss[DESK], person=person, story_id=place.story_id,
                 view=place.lang, translation_id=keys.id, unsaved=unsaved)  # fmt: skip


RETURNS_TO_TRANSLATION = SYSTEM_TRANSITIONS[Action.RETURN_TO_TRANSLATION].sources
BUSY = "The database is busy or out of reach; nothing was changed. Try again in a moment."


class ParagraphKeys:
    """Session-state keys of one paragraph editor (UI state only: the text lives in the box),
    and what its box was loaded with (`base`, `loaded`).

    The loaded state of every box is one session-state entry (`BOXES`), not two a paragraph:
    Streamlit copies the whole session state for each keyed text box it draws, so entries a
    paragraph would cost a long story's run time squared.
    """

    def __init__(self, translation_id: int) -> None:
        self.id = translation_id
        self.fragment = f"paragraph-{translation_id}"  # the fragment key `st.rerun` names
        self.text = f"text-{translation_id}"
        self.flash = f"flash-{translation_id}"
        self.refused = f"refused-{translation_id}"  # why the last action was not carried out
        self.conflict = f"conflict-{translation_id}"
        self.comment = f"send-back-comment-{translation_id}"
        self.draft = f"draft-{translation_id}"  # a copy Streamlit keeps when the box is not drawn
        self.used = f"used-{translation_id}"  # the suggestion (text, origin) put in the box
        # (text, lock version, who saved it: None for a draft) of a text that came meanwhile
        self.arrived = f"arrived-{translation_id}"

    def _loaded(self) -> list[Any]:
        boxes: dict[int, list[Any]] = ss.setdefault(BOXES, {})
        return boxes.setdefault(self.id, [None, None])

    @property
    def base(self) -> int:
        """The lock version the box's text was loaded from (0 before the box was drawn)."""
        return self._loaded()[0] or 0

    @base.setter
    def base(self, lock_version: int) -> None:
        self._loaded()[0] = lock_version

    @property
    def known(self) -> bool:
        """Whether the page has read this paragraph's lock version yet."""
        return self._loaded()[0] is not None

    @property
    def loaded(self) -> str | None:
        """The text the box was loaded with (None before it was drawn)."""
        return self._loaded()[1]

    @loaded.setter
    def loaded(self, text: str) -> None:
        self._loaded()[1] = text

    @property
    def unsaved(self) -> bool:
        """Whether the box holds text that saving would change: other than the saved text it
        was loaded with, as a save stores it (`segmentation.normalise`). A double space typed
        and saved from the keyboard, which the box keeps while it has the focus, is not
        unsaved text: saving it again would store the same."""
        return self.text in ss and normalise(ss[self.text]) != normalise(self.loaded or "")


@dataclass(frozen=True)
class Place:
    """Where a paragraph is: its story, paragraph and language, and who is at the desk."""

    story_id: int
    paragraph_id: int
    lang: str
    person_id: int


OFFERED = "drafts-offered"  # translation ids whose arrived draft is offered beside the box


def use_arrived(keys: ParagraphKeys) -> None:
    """Put the draft that arrived into the paragraph's box, as if loaded from the database."""
    if (offered := ss.get(keys.arrived)) is None:
        return  # withdrawn meanwhile (a redraw found the box holding it already)
    text, lock_version, _ = offered
    withdraw_offer(keys)
    ss[keys.text] = keys.loaded = text
    keys.base = lock_version
    ss.pop(keys.draft, None)
    ss.pop(keys.used, None)  # a suggestion used before is not where this text came from


def withdraw_offer(keys: ParagraphKeys) -> None:
    """No more text offered beside the box (a draft or a colleague's that arrived)."""
    ss.pop(keys.arrived, None)
    ss.get(OFFERED, set()).discard(keys.id)


def use_arrived_if_untouched(keys: ParagraphKeys) -> None:
    """The draft offered beside the box into it, when the box holds nothing the person typed
    (never a colleague's text: a button acts on what the person sees)."""
    offered = ss.get(keys.arrived)
    if offered is not None and offered[2] is None and ss.get(keys.text) == keys.loaded:
        use_arrived(keys)


def drawn_before(key: str) -> bool:
    """Whether the fragment `key` was drawn since the page last ran whole (so this is a rerun
    of its own, with the page run's arguments); notes that it is drawn now."""
    drawn: set[str] = ss.setdefault(DRAWN, set())
    before = key in drawn
    drawn.add(key)
    return before


def keep_draft(keys: ParagraphKeys) -> None:
    # A click that ends the session (Sign out) clears the state before this runs.
    if keys.text in ss:
        ss[keys.draft] = ss[keys.text]
        ss[CURSOR] = keys.id


def quietly(keys: ParagraphKeys, action: Callable[[], T]) -> T | None:
    """Run one domain action from a callback; a refusal is kept for the paragraph to say."""
    try:
        return action()
    except EditConflict:
        raise  # the caller keeps it for the conflict box
    except LockstepError as exc:
        ss[keys.refused] = str(exc)
    except OperationalError:
        ss[keys.refused] = BUSY
    return None


Moment = tuple[VersionProgress, list[tuple[int, str, str]]]


def moment(session: Session, keys: ParagraphKeys, place: Place) -> Moment:
    """What the head shows that one paragraph's action can move: the version's counts and
    state, and the paragraph's open errors. Three queries, whatever the story's length."""
    progress = version_progress(session, place.story_id, place.lang)
    return progress, open_errors(session, place.story_id, place.lang, [keys.id])


def rerun_after(before: Moment, after: Moment, keys: ParagraphKeys) -> None:
    """Draw again what the action moved: the paragraph, the head if its figures changed, the
    whole page if the version's state did (see the module's docstring); and the keyboard's
    bar, which names the paragraph acted on as the current one."""
    if before[0].state is not after[0].state:
        ss[WHOLE_PAGE] = True  # the paragraph asks for the whole page as it starts
    st.rerun([keys.fragment, KEYBOARD, *([HEADER] if before != after else [])])


def act(keys: ParagraphKeys, place: Place, do: Callable[[Session, Person], object]) -> None:
    """A paragraph button's callback: `do` what it stands for, as the person at the desk, then
    rerun what that moved."""
    ss[CURSOR] = keys.id
    use_arrived_if_untouched(keys)  # the button acts on the draft offered beside the box
    with db() as session:
        person = session.get(Person, place.person_id)
        if person is None:
            return
        before = moment(session, keys, place)
        do(session, person)
        after = moment(session, keys, place)
    rerun_after(before, after, keys)


def _save(session: Session, person: Person, keys: ParagraphKeys) -> bool:
    """Save the box's text; False when it could not be saved (and why is kept to be said)."""
    base = keys.base
    try:
        saved = quietly(
            keys,
            partial(
                save_translation,
                session,
                translation_id=keys.id,
                text=ss[keys.text],
                person=person,
                base_lock_version=base,
                draft=ss.get(keys.used),
            ),
        )
    except EditConflict as conflict:
        ss[keys.conflict] = conflict
        withdraw_offer(keys)  # the conflict box shows their text, with what to do about it
        return False
    if saved is None:
        return False
    withdraw_offer(keys)  # what was offered beside the box is behind this save now
    ss[keys.flash] = (
        "Saved." if saved.lock_version != base else "Nothing to save: the text is unchanged."
    )
    ss[keys.text] = keys.loaded = saved.text
    keys.base = saved.lock_version
    ss.pop(keys.conflict, None)
    ss.pop(keys.draft, None)
    ss.pop(keys.used, None)
    if DESK in ss:
        # Colleagues see no unsaved changes there from now, though the box may keep the
        # focus (a save from the keyboard): the page says unsaved again on a new keystroke.
        # Its own session: a failure here must not leave the save's session (which the
        # keyboard's Alt+M / Alt+A go on to use) in an aborted PostgreSQL transaction.
        with suppress(OperationalError), db() as own:
            saved_at_desk(own, desk=ss[DESK], translation_id=keys.id)
    return True


def _returns_version(session: Session, translation_id: int) -> bool:
    """Whether sending this paragraph back takes its whole version back to translation."""
    t = session.get(Translation, translation_id)
    version = get_version(session, t.story_id, t.lang) if t else None
    return version is not None and version.state in RETURNS_TO_TRANSLATION


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
    if keys.unsaved:
        if not _save(session, person, keys):
            return
        saved = session.get(Translation, keys.id)
        if (
            action is Action.MARK_TRANSLATED
            and saved
            and saved.state is TranslationState.TRANSLATED
        ):
            ss[keys.flash] = "Saved and marked translated."  # a person's save already did it
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
    if action is Action.SEND_BACK and _returns_version(session, keys.id):
        message = (
            "Sent back to the translator: the whole version returns to “In translation” and "
            "goes to the translator's list; your My work keeps it, waiting on the translator."
        )
    try:
        done = quietly(
            keys,
            partial(
                change,
                session,
                translation_id=keys.id,
                person=person,
                seen_lock_version=keys.base,
            ),
        )
    except EditConflict as conflict:
        ss[keys.conflict] = conflict
        return
    if done:
        ss[keys.flash] = message
