"""The soft lock on a paragraph: who holds it before a person, read from presence.

A paragraph is held by a colleague while that colleague is at the desk on its story and
language (a live `presence.Here`) and holds unsaved text in it: in the box they are on, or
kept from a box they left (`workflow.unsaved`), whichever box they clicked into since. The desk
asks before a second person edits a held paragraph; it holds nothing once its person leaves
the desk or is gone (`presence.GONE_AFTER`). The lock is read from the desks one query already
gave (`presence.on_story`): nothing is asked of the database a paragraph.

A machine draft is held off a paragraph too (`typed_in`), by anyone still at the story who is
typing in it or keeps unsaved text there, whatever view they are on: their box gets the draft
beside it when they come back, never under their text.
"""

from collections.abc import Iterable
from dataclasses import replace

from sqlmodel import Session, col, select

from workflow.models import Translation, UnsavedText
from workflow.presence import Here, on_story


def as_on(heres: Iterable[Here], translation_id: int) -> list[Here]:
    """The desks on a paragraph, each as it stands there. A desk whose person keeps unsaved
    text in it (left in its box, then another box clicked: `Here.kept`) is on it with unsaved
    changes since that text was kept, wherever its own row is: clicking into another box must
    not free the text still waiting in this one. A person is there once: the desk on the
    paragraph itself, else one of their desks that keeps text in it. The earliest there
    first, as `presence.on_story` gives them."""
    heres = list(heres)
    found = [h for h in heres if h.translation_id == translation_id]
    on = {h.person_id for h in found}
    for i, here in enumerate(found):
        chose = _chosen_over(here, translation_id)
        if (kept := dict(here.kept).get(translation_id)) is not None:
            since = min(kept, here.editing_since or kept)
            found[i] = replace(here, unsaved=True, editing_since=since, overtaken_by=chose)
        else:
            found[i] = replace(here, overtaken_by=chose)
    for here in heres:
        kept = dict(here.kept).get(translation_id)
        if kept is not None and here.person_id not in on:
            on.add(here.person_id)
            found.append(
                replace(here, translation_id=translation_id, unsaved=True, editing_since=kept,
                        overtaken_by=_chosen_over(here, translation_id), focused=False,
                        away=True)
            )  # fmt: skip
    found.sort(key=_arrival)
    return found


def _chosen_over(here: Here, translation_id: int) -> int | None:
    """Who chose to edit this paragraph anyway over the desk (a choice names its paragraph:
    the desk may have moved to another box since)."""
    return here.overtaken_by if here.overtaken_on == translation_id else None


def held_by_others(heres: Iterable[Here], person_id: int) -> set[int]:
    """The paragraphs (translation ids) in which someone else at the story holds unsaved
    text: on their box now, or kept from one they left."""
    held: set[int] = set()
    for here in heres:
        if here.person_id == person_id:
            continue
        if here.unsaved and here.translation_id is not None:
            held.add(here.translation_id)
        held.update(tid for tid, _ in here.kept)
    return held


def ahead_of(heres: Iterable[Here], person_id: int, translation_id: int) -> Here | None:
    """Who holds the paragraph before this person: the first other person on it with unsaved
    text there, who came before them (or is there while they are not) and over whom this
    person has not chosen to edit anyway. None: the paragraph is theirs to edit without asking.

    Only unsaved text holds a paragraph: that is what a second person's save could cost its
    owner; and it holds it while its person is on the story and language, whichever box they
    are in (`as_on`). Someone who saved, or only reads, is named on it but asks nobody to wait.
    And a person typing there already (their box has the focus, or holds unsaved text) is
    never held back: closing the box under their fingers is what the lock is there to prevent."""
    on = as_on(heres, translation_id)
    mine = [h for h in on if h.person_id == person_id]
    if any(h.unsaved or h.focused for h in mine):
        return None
    starts = [h.editing_since for h in mine if h.editing_since]
    since = min(starts) if starts else None
    # A choice to edit anyway holds while its maker is on the paragraph: the holder's row
    # forgets it on their next beat (`presence.beat`), the maker's own row says it now.
    chose = bool(mine)
    for here in on:
        if here.person_id == person_id or not here.unsaved:
            continue
        if here.overtaken_by == person_id and chose:
            continue
        if here.editing_since is not None and (since is None or here.editing_since < since):
            return here
    return None


def typed_in(session: Session, story_id: int, lang: str) -> set[int]:
    """The paragraphs (translation ids) of a story's language that someone at the story is
    typing in now or holds unsaved text in: what lands there from a machine must not
    overwrite their box (a draft becomes a suggestion beside it). Two queries."""
    live = on_story(session, story_id)
    typing = {
        here.translation_id
        for here in live
        if here.translation_id is not None and (here.focused or here.unsaved)
    }
    # Kept text of someone still at the story: text left by someone long gone must not keep
    # drafts out of a paragraph for ever (they still get the draft beside it when they return).
    kept = session.exec(
        select(UnsavedText.translation_id)
        .join(Translation, col(Translation.id) == col(UnsavedText.translation_id))
        .where(
            Translation.story_id == story_id,
            Translation.lang == lang,
            col(UnsavedText.person_id).in_({here.person_id for here in live}),
        )
    )
    return typing | set(kept)


def _arrival(here: Here) -> tuple[bool, float]:
    since = here.editing_since
    return since is None, since.timestamp() if since else 0.0
