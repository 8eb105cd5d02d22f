"""The record of everything that happened: revisions of texts and the audit log of actions."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from workflow.models import Change, Person, Revision, Story, Translation, utcnow


def record_change(
    session: Session,
    *,
    story_id: int,
    action: str,
    person: Person | None,
    lang: str | None = None,
    translation_id: int | None = None,
    from_state: int | None = None,
    to_state: int | None = None,
    comment: str = "",
    source_fingerprint: str | None = None,
) -> Change:
    """Add one line to the audit log (committed with the action that caused it).

    The story counts as changed: lists of stories show the most recently worked on first.
    """
    session.exec(
        update(Story).where(col(Story.id) == story_id).values(updated_at=utcnow())  # type: ignore[call-overload]
    )
    change = Change(
        story_id=story_id,
        lang=lang,
        translation_id=translation_id,
        action=action,
        from_state=None if from_state is None else int(from_state),
        to_state=None if to_state is None else int(to_state),
        person_id=person.id if person else None,
        comment=comment,
        source_fingerprint=source_fingerprint,
    )
    session.add(change)
    return change


def record_revision(
    session: Session, translation: Translation, *, person: Person | None, reason: str
) -> Revision:
    """Keep the translation's current text, with who wrote it and the English it was based on."""
    assert translation.id is not None
    revision = Revision(
        translation_id=translation.id,
        version=translation.version,
        text=translation.text,
        origin=translation.origin,
        reason=reason,
        source_fingerprint=translation.source_fingerprint,
        source_text=translation.source_text,
        author_id=person.id if person else None,
    )
    session.add(revision)
    return revision


@dataclass(frozen=True)
class RevisionView:
    """One saved text of a translation, with who saved it."""

    id: int
    version: int
    text: str
    reason: str
    origin: str
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
        RevisionView(r.id, r.version, r.text, r.reason, r.origin, name, r.created_at)  # type: ignore[arg-type]
        for r, name in session.exec(query)
    ]


def audit_log(
    session: Session,
    *,
    story_id: int | None = None,
    person_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> Sequence[tuple[Change, str | None, str | None]]:
    """State changes, newest first, with who acted and the story's headline, filtered."""
    query = (
        select(Change, Person.name, Story.headline)
        .join(Person, col(Person.id) == col(Change.person_id), isouter=True)
        .join(Story, col(Story.id) == col(Change.story_id))
        .order_by(col(Change.created_at).desc(), col(Change.id).desc())
        .limit(limit)
    )
    if story_id is not None:
        query = query.where(Change.story_id == story_id)
    if person_id is not None:
        query = query.where(Change.person_id == person_id)
    if since is not None:
        query = query.where(Change.created_at >= since)
    if until is not None:
        query = query.where(Change.created_at < until)
    return session.exec(query).all()


def revisions(session: Session, translation_id: int) -> Sequence[Revision]:
    """Every saved text of a translation, newest first."""
    query = (
        select(Revision)
        .where(Revision.translation_id == translation_id)
        .order_by(col(Revision.version).desc(), col(Revision.id).desc())
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
