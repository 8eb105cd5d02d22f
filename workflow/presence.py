"""Presence: who is where at the desk right now, and the soft lock on a paragraph.

Each open desk (a browser tab) beats every few seconds (`beat`): which story and view (a
language, the English, or reading) its person is on, which paragraph they last typed in or
acted on, and whether they hold unsaved text there. A desk not heard from for `GONE_AFTER` is
gone: every read leaves it out, so a closed laptop holds nothing. Leaving the desk or signing
out forgets it at once (`forget`).

A paragraph someone else holds unsaved text in is softly locked: the desk asks before a second
person edits it (`workflow.soft_lock` says who holds it first), and `edit_anyway` records that they
chose to; the first person's next beat says so (`Overtaken`). That choice lifts the lock for
the one who made it alone (`Here.overtaken_by`): a third person is still asked, and it goes
when its maker leaves the paragraph. The lock is nothing but the other person's presence, so
it expires with it; the optimistic save check (`writes.apply`) still keeps one save from
overwriting another.

The server hears of typing only when a box is left, so the page reports a box's focus and
first keystroke itself (`focus`): while the browser says a box has the focus, a beat keeps the
row on that paragraph and its unsaved text. Whether someone holds unsaved text is kept here,
not read from `workflow.unsaved`: that table is written when the box is left, a row a person
(not a tab), so it cannot say "typing now, in this tab"; the two agree once the box is left.

Presence is kept beside the one write path, as unsaved text is (`workflow.unsaved`): a beat
changes no story, translation or setting and is worth nothing after 30 seconds. Sending it
through authorisation and the audit log every few seconds from every open tab would bury the
log under heartbeats; what a person then saves goes through `writes.apply` like any save.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from workflow.errors import InputError
from workflow.languages import LANGUAGES, language_name
from workflow.models import (
    Person,
    Presence,
    Translation,
    UnsavedText,
    as_utc,
    insert_for,
    utcnow,
)
from workflow.progress import version_progress
from workflow.states import Action, authorize

GONE_AFTER = timedelta(seconds=30)  # a desk not heard from for this long has left
KEPT_FOR = timedelta(days=1)  # a closed tab's row, cleared by `purge_closed` after this
READING, ENGLISH = "read", "en"  # the desk's views that are not a language version
DESK_ID_LENGTH = 64
_DESK_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_VIEW = re.compile(r"[^a-z-]")


@dataclass(frozen=True)
class Here:
    """One live desk: who, on which story, view and paragraph, since when, and whether
    who chose to edit that paragraph anyway over them."""

    desk: str
    person_id: int
    name: str
    story_id: int | None
    view: str
    translation_id: int | None
    unsaved: bool
    editing_since: datetime | None
    seen_at: datetime
    overtaken_by: int | None = None  # who chose to edit a paragraph anyway over them
    overtaken_on: int | None = None  # that paragraph: this one, or one they keep text in
    focused: bool = False  # the browser says the paragraph's box has the focus
    # (translation id, kept at) of each paragraph of this story and view in which the person
    # keeps unsaved text (`workflow.unsaved`): they hold it while here, on whichever paragraph
    kept: tuple[tuple[int, datetime], ...] = ()
    # On this paragraph by the unsaved text they left in its box, their desk on another one
    # (`soft_lock.as_on`): they are not typing here, but their text is waiting here.
    away: bool = False


@dataclass(frozen=True)
class Overtaken:
    """Someone (`by`) chose to edit the person's paragraph anyway, `at` that moment."""

    by: str
    at: datetime
    translation_id: int


def desk_id(text: str) -> str:
    """A desk's id as stored, or `InputError`: letters, digits, `-` and `_`, up to 64."""
    if _DESK_ID.fullmatch(text) is None:
        raise InputError("A desk's id is 1 to 64 letters, digits, '-' or '_'.")
    return text


def beat(
    session: Session,
    *,
    desk: str,
    person: Person,
    story_id: int | None,
    view: str,
    translation_id: int | None = None,
    unsaved: bool = False,
) -> Overtaken | None:
    """The desk is open, there: one upsert (and a second statement only when someone chose to
    edit the person's paragraph anyway, to name them), committed.

    Staying on a paragraph keeps when the person came to it, and any "edit anyway" over them;
    moving to another paragraph, or coming back after being gone, starts afresh.

    Being on a paragraph is editing it (it may hold colleagues back): `PermissionDenied` for
    a person who does not edit the view's language. Every story is open to everyone signed
    in, so being on a story needs nothing more."""
    if translation_id is not None:
        authorize(person, Action.SAVE, _view(view))  # in memory: no statement a beat
    person_id = person.id
    now = utcnow()
    table = Presence.__table__  # type: ignore[attr-defined]
    insert = insert_for(session)(table).values(
        desk=desk_id(desk), person_id=person_id, story_id=story_id, view=_view(view),
        translation_id=translation_id, unsaved=unsaved and translation_id is not None,
        editing_since=now if translation_id is not None else None, seen_at=now,
        overtaken_by_id=None, overtaken_at=None, overtaken_on_id=None, focused=False,
    )  # fmt: skip
    new = insert.excluded
    stayed = sa.and_(
        sa.or_(table.c.translation_id.is_not_distinct_from(new.translation_id), table.c.focused),
        table.c.person_id == new.person_id,
        table.c.seen_at >= now - GONE_AFTER,
    )
    # While the browser says a box has the focus (`focus`), it knows better than the server,
    # which learns of typing only when the box is left: the row keeps that paragraph, and
    # the unsaved text typed there; only on that story and view: a focus report lost on the
    # way must not pin the desk to a paragraph of a story it has left.
    holds_focus = sa.and_(
        table.c.focused,
        table.c.person_id == new.person_id,
        table.c.story_id.is_not_distinct_from(new.story_id),
        table.c.view == new.view,
        table.c.seen_at >= now - GONE_AFTER,
    )
    same_place = sa.and_(
        table.c.person_id == new.person_id,
        table.c.story_id.is_not_distinct_from(new.story_id),
        table.c.view == new.view,
        table.c.seen_at >= now - GONE_AFTER,
    )
    keeps_text_there = (
        sa.select(UnsavedText.id)  # type: ignore[call-overload]
        .where(
            col(UnsavedText.person_id) == table.c.person_id,
            col(UnsavedText.translation_id) == table.c.overtaken_on_id,
        )
        .exists()
    )
    still_held = sa.and_(same_place, sa.or_(stayed, keeps_text_there))
    typed_there = sa.or_(
        table.c.unsaved,
        sa.and_(table.c.translation_id.is_not_distinct_from(new.translation_id), new.unsaved),
    )
    upsert = insert.on_conflict_do_update(
        index_elements=["desk"],
        set_={
            **{c: new[c] for c in ("person_id", "story_id", "view")},
            "translation_id": sa.case(
                (holds_focus, table.c.translation_id), else_=new.translation_id
            ),
            "unsaved": sa.case((holds_focus, typed_there), else_=new.unsaved),
            "focused": sa.case((holds_focus, table.c.focused), else_=False),
            "seen_at": new.seen_at,
            "editing_since": sa.case((stayed, table.c.editing_since), else_=new.editing_since),
            # A choice to edit anyway over this desk holds while the desk still holds that
            # paragraph: on it, or on another box of the story and view while its person
            # keeps unsaved text in it; it goes when its maker leaves the paragraph (below).
            **{
                c: sa.case((still_held, table.c[c]), else_=new[c])
                for c in ("overtaken_by_id", "overtaken_at", "overtaken_on_id")
            },
        },
    ).returning(table.c.overtaken_by_id, table.c.overtaken_at, table.c.overtaken_on_id)
    by_id, at, on = session.execute(upsert).one()
    told = None
    if by_id is not None and at is not None and on is not None:
        if (name := _still_there(session, by_id, on)) is not None:
            told = Overtaken(name, as_utc(at), on)
        else:  # they left the paragraph: their choice over this person goes with them
            session.exec(
                update(Presence)
                .where(col(Presence.desk) == desk)
                .values(overtaken_by_id=None, overtaken_at=None, overtaken_on_id=None)
            )
    session.commit()
    return told


def focus(
    session: Session,
    *,
    desk: str,
    person: Person,
    translation_id: int,
    focused: bool,
    typed: bool = False,
) -> bool:
    """The browser says the paragraph's box got the focus (`focused`) or lost it, and whether
    the person typed in it since it got it: the desk's colleagues see them there at once, not
    when they leave the box (the server hears of typing only then). One read, one update,
    committed; False when the desk has not beaten on that story and language yet (nothing
    is said: its first beat will). `PermissionDenied` when the person may not edit it.

    The focus holds the row's paragraph against the server's beats (`beat`) until the
    browser says it left; a closed tab's row goes with its last beat as any other."""
    found = session.exec(
        select(Translation.story_id, Translation.lang).where(Translation.id == translation_id)
    ).first()
    if found is None:
        raise InputError("There is no such paragraph.")
    story_id, lang = found
    authorize(person, Action.SAVE, lang)
    table = Presence.__table__  # type: ignore[attr-defined]
    now, here = utcnow(), table.c.translation_id == translation_id
    ours = sa.and_(
        table.c.desk == desk_id(desk), table.c.person_id == person.id,
        table.c.story_id == story_id, table.c.view == lang, table.c.seen_at >= now - GONE_AFTER,
    )  # fmt: skip
    if focused:
        kept = sa.and_(here, table.c.editing_since.is_not(None))
        values = {
            "translation_id": translation_id, "focused": True, "seen_at": now,
            "unsaved": sa.or_(sa.and_(here, table.c.unsaved), sa.literal(typed)),
            "editing_since": sa.case((kept, table.c.editing_since), else_=now),
        }  # fmt: skip
    else:  # left the box: the server's next beat (after the box's on_change) says the rest
        ours = sa.and_(ours, here)
        values = {
            "focused": False, "seen_at": now,
            "unsaved": sa.or_(table.c.unsaved, sa.literal(typed)),
        }  # fmt: skip
    changed = session.execute(sa.update(table).where(ours).values(values))
    session.commit()
    return bool(changed.rowcount)  # type: ignore[attr-defined]


def saved_at_desk(session: Session, *, desk: str, translation_id: int) -> None:
    """The desk saved the paragraph: it holds no unsaved text there now, even while its box
    keeps the focus (a save from the keyboard); a new keystroke, which the page reports
    (`focus`), says unsaved again. One update, committed."""
    session.exec(
        update(Presence)
        .where(col(Presence.desk) == desk, col(Presence.translation_id) == translation_id)
        .values(unsaved=False)
    )
    session.commit()


def edit_anyway(
    session: Session,
    *,
    desk: str,
    person: Person,
    story_id: int,
    view: str,
    translation_id: int,
    unsaved: bool = False,
) -> None:
    """The person chose to edit a paragraph others are on: each of them is told on their next
    beat, and the person is on the paragraph from now (a beat). `PermissionDenied` when they
    may not edit it now (their role, language or the version's state), `InputError` when the
    paragraph is not in that story and language."""
    found = session.exec(
        select(Translation.story_id, Translation.lang).where(Translation.id == translation_id)
    ).first()
    if found != (story_id, view):
        raise InputError("That paragraph is not in this version of the story.")
    authorize(person, Action.SAVE, view, version_progress(session, story_id, view).state)
    keeps_text_there = select(UnsavedText.person_id).where(
        UnsavedText.translation_id == translation_id
    )
    session.exec(
        update(Presence)
        .where(
            sa.or_(
                col(Presence.translation_id) == translation_id,
                col(Presence.person_id).in_(keeps_text_there),  # on another box of it
            ),
            col(Presence.story_id) == story_id,
            col(Presence.view) == view,
            col(Presence.person_id) != person.id,
            col(Presence.seen_at) >= utcnow() - GONE_AFTER,
        )
        .values(overtaken_by_id=person.id, overtaken_at=utcnow(), overtaken_on_id=translation_id)
    )
    beat(session, desk=desk, person=person, story_id=story_id, view=view,
         translation_id=translation_id, unsaved=unsaved)  # fmt: skip


def forget(session: Session, desk: str) -> None:
    """The desk was left (signed out, or another page): it is gone at once, not in 30 s."""
    session.exec(delete(Presence).where(col(Presence.desk) == desk))
    session.commit()


def purge_closed(session: Session) -> None:
    """Clear the rows of tabs closed long ago (a read never shows them: this keeps the table
    small). Any desk may call it now and then; it is one DELETE."""
    session.exec(delete(Presence).where(col(Presence.seen_at) < utcnow() - KEPT_FOR))
    session.commit()


def on_story(session: Session, story_id: int) -> list[Here]:
    """The live desks on a story, the earliest on their paragraph first. One query."""
    return _live(session, col(Presence.story_id) == story_id)


def on_stories(session: Session, story_ids: Iterable[int]) -> dict[int, list[Here]]:
    """The live desks on each of the stories (a story nobody is on is left out). One query."""
    found: dict[int, list[Here]] = {}
    for here in _live(session, col(Presence.story_id).in_(list(story_ids))):
        found.setdefault(here.story_id or 0, []).append(here)
    return found


def on_paragraph(session: Session, translation_id: int) -> list[Here]:
    """The live desks on one paragraph of one language, the earliest first, and those whose
    person keeps unsaved text in it from another paragraph (`as_on`). One query."""
    return _live(session, col(Presence.translation_id) == translation_id, kept_on=translation_id)


def others(heres: Iterable[Here], person_id: int) -> list[Here]:
    """The other people's desks, one a person and view (two tabs of one person on one version
    are one presence: the one on a paragraph, else the latest)."""
    kept: dict[tuple[int, str], Here] = {}
    for here in heres:
        if here.person_id == person_id:
            continue
        key = (here.person_id, here.view)
        if key not in kept or _rank(here) > _rank(kept[key]):
            kept[key] = here
    return sorted(kept.values(), key=lambda h: (h.name, h.view))


def where(here: Here) -> str:
    """Where a person is, in words: "in the Ukrainian version", "reading the story"."""
    if here.view in LANGUAGES:
        return f"in the {language_name(here.view)} version"
    if here.view == ENGLISH:
        return "in the English"
    return "reading the story"


def who_is_here(heres: Iterable[Here], person_id: int) -> list[str]:
    """The other people on a story, each "Olena is in the Ukrainian version", and what they
    are doing there: ", editing a paragraph, unsaved changes"."""
    return [f"{h.name} is {where(h)}{_doing(h)}" for h in others(heres, person_id)]


def _doing(here: Here) -> str:
    if here.translation_id is None:
        return ""
    return ", editing a paragraph" + (", unsaved changes" if here.unsaved else "")


def _rank(here: Here) -> tuple[bool, datetime]:
    return here.translation_id is not None, here.seen_at


def _view(view: str) -> str:
    return _VIEW.sub("", view.lower())[:16]


def _still_there(session: Session, person_id: int, translation_id: int) -> str | None:
    """The person's name while one of their desks is live on the paragraph, else None."""
    return session.exec(
        select(Person.name)
        .join(Presence, col(Presence.person_id) == col(Person.id))
        .where(
            Person.id == person_id,
            Presence.translation_id == translation_id,
            col(Presence.seen_at) >= utcnow() - GONE_AFTER,
        )
    ).first()


def _live(
    session: Session, condition: sa.ColumnElement[bool], *, kept_on: int | None = None
) -> list[Here]:
    """The live desks that meet `condition` on `Presence`, or whose person keeps unsaved text
    in the paragraph `kept_on` (on its story and view), each with the unsaved text its person
    keeps in its story and view: one query, a row a desk and kept text, gathered by desk. The
    kept text is joined by the desk's person, story and view, never read whole."""
    kept = UnsavedText.__table__.alias("kept")  # type: ignore[attr-defined]
    kept_in = Translation.__table__.alias("kept_in")  # type: ignore[attr-defined]
    query = (
        select(  # type: ignore[call-overload]
            Presence, Person.name, kept.c.translation_id, kept.c.kept_since, kept.c.updated_at
        )
        .join(Person, col(Person.id) == col(Presence.person_id))
        .outerjoin(
            kept.join(kept_in, kept_in.c.id == kept.c.translation_id),
            sa.and_(
                kept.c.person_id == col(Presence.person_id),
                kept_in.c.story_id == col(Presence.story_id),
                kept_in.c.lang == col(Presence.view),
            ),
        )
        .where(
            condition if kept_on is None else sa.or_(condition, kept.c.translation_id == kept_on),
            col(Presence.seen_at) >= utcnow() - GONE_AFTER,
        )
        .order_by(
            col(Presence.editing_since).is_(None), col(Presence.editing_since), col(Presence.id)
        )
    )
    found: dict[str, Here] = {}
    for row, name, kept_tid, kept_since, kept_updated in session.exec(query):
        here = found.get(row.desk) or Here(
            row.desk,
            row.person_id,
            name,
            row.story_id,
            row.view,
            row.translation_id,
            row.unsaved,
            row.editing_since and as_utc(row.editing_since),
            as_utc(row.seen_at),
            overtaken_by=row.overtaken_by_id,
            overtaken_on=row.overtaken_on_id,
            focused=row.focused,
        )
        if kept_tid is not None:
            since = as_utc(kept_since or kept_updated)  # kept before 0016: its last change
            here = replace(here, kept=(*here.kept, (kept_tid, since)))
        found[row.desk] = here
    return list(found.values())
