"""Unsaved text: what a person typed in a paragraph's box and has not saved yet.

It is kept server-side, one row per person and translation, as soon as the person leaves the
box, so a reload, a closed tab or a sign-out loses nothing: the desk puts it back into the box
and marks it unsaved. It is the person's own and never a saved text: nobody else reads it, and
exports, checks, progress and history read translations, never this table. It leaves when the
person saves the paragraph (the save's own commit ends it, in `writes._side_effects`) or
discards it.

It is kept beside the one write path, not through it: it changes nothing the desk shares, so
it needs no authorisation, compare-and-set or audit line; the save that makes it a
translation goes through `writes.apply` like every other. Along with the text it keeps the
saved text and counter it was typed over, so a save made from it meets the existing conflict
handling when someone else saved meanwhile.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from workflow.errors import InputError
from workflow.models import Translation, UnsavedText, utcnow
from workflow.segmentation import MAX_INPUT_BYTES, normalise

# Control characters a text box never holds (tabs and line breaks it may).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class Unsaved:
    """A person's unsaved text of one paragraph, as the desk restores it."""

    translation_id: int
    text: str
    base_text: str  # the saved text the box held when the person began typing
    base_lock_version: int  # that text's counter: a save from here names it
    updated_at: datetime


def storable(text: str) -> str:
    """`text` as it can be kept, or `InputError` saying why it cannot: more than a story's
    2 MB, or binary data rather than typing. A stray control character (which PostgreSQL may
    refuse) is dropped, as a save drops it."""
    if _SURROGATE.search(text) is not None:
        raise InputError(
            "The text holds a broken character (half of a surrogate pair), which cannot be "
            "kept: paste it again as plain text."
        )
    if len(text.encode("utf-8")) > MAX_INPUT_BYTES:
        raise InputError(
            "The text is larger than 2 MB, more than a whole story: it was not kept. "
            "Shorten it, or split it over paragraphs."
        )
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 100):
        raise InputError("This looks like binary data, not text: it was not kept.")
    return _CONTROL.sub("", text)


def keep_unsaved(
    session: Session,
    *,
    person_id: int,
    translation_id: int,
    text: str,
    base_text: str,
    base_lock_version: int,
    rebase: bool = False,
) -> Unsaved | None:
    """Keep what the person typed in a paragraph over `base_text` (the saved text at
    `base_lock_version`); None when the box holds that saved text again, as a save would
    store it (`segmentation.normalise`: a double space is no change), so nothing is unsaved
    (a kept text is then forgotten). `InputError` for text that cannot be kept.

    Typing on keeps the base it began from; `rebase` moves it to the given one (the person
    chose to keep their text over a colleague's save, and will save over it)."""
    text = storable(text)
    found = session.exec(
        select(UnsavedText).where(
            UnsavedText.person_id == person_id, UnsavedText.translation_id == translation_id
        )
    ).first()
    if normalise(text) == normalise(base_text):  # saving it would store the saved text
        if found is not None:
            session.delete(found)
            session.commit()
        return None
    if found is None:
        found = UnsavedText(person_id=person_id, translation_id=translation_id, text=text,
                            base_text=base_text, base_lock_version=base_lock_version)  # fmt: skip
    else:
        found.text, found.updated_at = text, utcnow()
        if rebase:
            found.base_text, found.base_lock_version = base_text, base_lock_version
    session.add(found)
    session.commit()
    return _view(found)


def unsaved_texts(
    session: Session, person_id: int, translation_ids: list[int] | None = None, *,
    story_id: int | None = None,
) -> dict[int, Unsaved]:  # fmt: skip
    """The person's unsaved texts by translation id, in one query: of the given translations,
    of one story's, or all of theirs."""
    query = select(UnsavedText).where(UnsavedText.person_id == person_id)
    if translation_ids is not None:
        query = query.where(col(UnsavedText.translation_id).in_(translation_ids))
    if story_id is not None:
        query = query.join(
            Translation, col(Translation.id) == col(UnsavedText.translation_id)
        ).where(Translation.story_id == story_id)
    return {row.translation_id: _view(row) for row in session.exec(query)}


def forget_unsaved(session: Session, *, person_id: int, translation_id: int) -> None:
    """Forget the person's unsaved text of a paragraph, in the caller's transaction (a save
    commits it with the saved text)."""
    session.exec(
        delete(UnsavedText).where(
            col(UnsavedText.person_id) == person_id,
            col(UnsavedText.translation_id) == translation_id,
        )
    )


def discard_unsaved(session: Session, *, person_id: int, translation_id: int) -> None:
    """The person throws away what they typed in a paragraph: the saved text stands."""
    forget_unsaved(session, person_id=person_id, translation_id=translation_id)
    session.commit()


def _view(row: UnsavedText) -> Unsaved:
    return Unsaved(
        row.translation_id, row.text, row.base_text, row.base_lock_version, row.updated_at
    )
