"""The record of everything that happened: revisions of texts and the audit log of actions.

Every line of the audit log is written by `record_change`, with the action that caused it. A
line concerns a story, a person, the desk as a whole or an outside system (`ChangeScope`). Who
acted is the signed-in person; a change made at the command line also says so, and as which
operating-system user (`acting_as`): the command line trusts whoever can reach the database.
"""

import getpass
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from workflow.models import (
    Change,
    ChangeScope,
    Person,
    Revision,
    SourceParagraph,
    Story,
    Translation,
    utcnow,
)
from workflow.states import Action
from workflow.vocabulary import Event, Origin, RevisionReason

# Set around one command-line run (`acting_as`); a context variable, not a global, so a
# Streamlit session in another thread never sees it.
_acting_as: ContextVar[str] = ContextVar("acting_as", default="")


def command_line_actor() -> str:
    """ "command line, as <OS user>": how the audit log names a change made at the command line."""
    return f"command line, as {_os_user()}"


def _os_user() -> str:
    """The account the process runs as, from the password database, never from the environment.

    getpass.getuser() reads LOGNAME and USER first, so `USER=olena python -m workflow ...` would
    be audited as Olena; the uid is what the operating system vouches for.
    """
    try:
        import pwd
    except ImportError:  # Windows has no pwd; there the login name is the best there is
        try:
            return getpass.getuser()
        except OSError:
            return "unknown user"
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # no entry for this uid (a bare container)
        return f"uid {os.getuid()}"


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Every audit-log line written inside says how the change was made (`actor`)."""
    token = _acting_as.set(actor)
    try:
        yield
    finally:
        _acting_as.reset(token)


def record_change(
    session: Session,
    *,
    action: Action | Event,
    person: Person | None,
    story_id: int | None = None,
    subject: Person | None = None,
    scope: ChangeScope | None = None,
    lang: str | None = None,
    translation_id: int | None = None,
    from_state: int | None = None,
    to_state: int | None = None,
    comment: str = "",
    detail: str = "",
    source_fingerprint: str | None = None,
    actor: str | None = None,
    batch: list[Change] | None = None,
) -> Change:
    """Add one line to the audit log (committed with the action that caused it).

    The scope follows from what the line names: a story, else a person (`subject`), else the
    desk. A story counts as changed: lists of stories show the most recently worked on first.
    `actor` says how the change was made when no person did it (default: the command line's
    `acting_as`). Never pass a secret: `detail` is shown to administrators as it is.

    `batch`, for a bulk write, takes the line instead, for `record_changes` to write with the
    others in one INSERT.
    """
    if scope is None:
        scope = (
            ChangeScope.STORY
            if story_id is not None
            else ChangeScope.PERSON
            if subject is not None
            else ChangeScope.DESK
        )
    change = Change(
        scope=scope,
        story_id=story_id,
        subject_id=subject.id if subject is not None else None,
        actor=_acting_as.get() if actor is None else actor,
        detail=detail,
        lang=lang,
        translation_id=translation_id,
        action=action,
        from_state=None if from_state is None else int(from_state),
        to_state=None if to_state is None else int(to_state),
        person_id=person.id if person else None,
        comment=comment,
        source_fingerprint=source_fingerprint,
    )
    if batch is not None:
        batch.append(change)
    else:
        _touch(session, story_id)
        session.add(change)
    return change


def record_changes(session: Session, batch: Sequence[Change]) -> None:
    """Write the lines of a bulk write (`record_change(batch=...)`) in one INSERT; the stories
    they name are touched once each."""
    if not batch:
        return
    touch_stories(session, [c.story_id for c in batch if c.story_id is not None])
    columns = [c.name for c in Change.__table__.columns if c.name != "id"]  # type: ignore[attr-defined]
    session.exec(
        insert(Change),  # type: ignore[call-overload]
        params=[{name: getattr(change, name) for name in columns} for change in batch],
    )


TOUCHED = "lockstep.history.touched"  # in `Session.info`: stories touched in this transaction


def touch_stories(session: Session, story_ids: Iterator[int] | Sequence[int]) -> None:
    """Mark the stories as changed now. A write touches its story before its translations, so
    every writer locks rows in one order (story, then translations) and two writers on
    PostgreSQL wait for each other instead of deadlocking; within one `writes.transaction` a
    story is touched once."""
    touched: set[int] | None = session.info.get(TOUCHED)
    for story_id in dict.fromkeys(story_ids):
        if touched is not None and story_id in touched:
            continue
        session.exec(
            update(Story).where(col(Story.id) == story_id).values(updated_at=utcnow())  # type: ignore[call-overload]
        )
        if touched is not None:
            touched.add(story_id)


def _touch(session: Session, story_id: int | None) -> None:
    if story_id is not None:
        touch_stories(session, [story_id])


def record_revision(
    session: Session,
    translation: Translation,
    *,
    person: Person | None,
    reason: RevisionReason,
    refused: tuple[str, int, SourceParagraph] | None = None,
) -> Revision:
    """Keep the translation's current text, with who wrote it and the English it was based on.

    `refused` is a text that was not saved (someone saved another meanwhile), the counter it
    was based on and its English: kept all the same, as a person's text (nothing typed is lost).
    """
    assert translation.id is not None
    text, lock_version, origin = translation.text, translation.lock_version, translation.origin
    english = (translation.source_fingerprint, translation.source_text)
    if refused is not None:
        text, lock_version, paragraph = refused
        origin, english = Origin.HUMAN, (paragraph.fingerprint, paragraph.text)
    revision = Revision(
        translation_id=translation.id,
        lock_version=lock_version,
        text=text,
        origin=origin,
        reason=reason,
        source_fingerprint=english[0],
        source_text=english[1],
        author_id=person.id if person else None,
    )
    session.add(revision)
    return revision


@dataclass(frozen=True)
class RevisionView:
    """One saved text of a translation, with who saved it."""

    id: int
    lock_version: int
    text: str
    reason: RevisionReason
    origin: Origin
    author: str | None
    created_at: datetime


def revision_history(session: Session, translation_id: int) -> list[RevisionView]:
    """Every saved text of a translation, newest first, with who saved it and why."""
    query = (
        select(Revision, Person.name)
        .join(Person, col(Person.id) == col(Revision.author_id), isouter=True)
        .where(Revision.translation_id == translation_id)
        .order_by(col(Revision.created_at).desc(), col(Revision.id).desc())
    )
    return [
        RevisionView(r.id, r.lock_version, r.text, r.reason, r.origin, name, r.created_at)  # type: ignore[arg-type]
        for r, name in session.exec(query)
    ]


def revisions(session: Session, translation_id: int) -> Sequence[Revision]:
    """Every saved text of a translation, newest first."""
    query = (
        select(Revision)
        .where(Revision.translation_id == translation_id)
        .order_by(col(Revision.lock_version).desc(), col(Revision.id).desc())
    )
    return session.exec(query).all()


def story_changes(
    session: Session, story_id: int, *, lang: str | None = None, limit: int = 200
) -> Sequence[tuple[Change, str | None]]:
    """The story's audit log, newest first, with the name of who acted."""
    query = (
        select(Change, Person.name)
        .join(Person, col(Change.person_id) == col(Person.id), isouter=True)
        .where(Change.story_id == story_id)
        .order_by(col(Change.created_at).desc(), col(Change.id).desc())
        .limit(limit)
    )
    if lang is not None:
        query = query.where(Change.lang == lang)
    return session.exec(query).all()
