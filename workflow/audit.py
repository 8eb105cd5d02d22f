"""The audit log as people read it: every recorded change, whatever it concerned (a story, a
person, the desk, an outside system), with who acted and how, newest first.

The Audit log page and `python -m workflow audit` both read it from here; `history.record_change`
writes it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from workflow.models import Change, ChangeScope, Person, Story, as_utc
from workflow.states import Action, TranslationState, VersionState
from workflow.vocabulary import Event

NOBODY = "Lockstep"  # a change the desk made by itself: on start, loading the demo


def _state_label(value: int | None, of_translation: bool) -> str:
    if value is None:
        return ""
    enum = TranslationState if of_translation else VersionState
    try:
        return enum(value).label
    except ValueError:
        return str(value)


@dataclass(frozen=True)
class AuditLine:
    """One line of the audit log, with names in place of ids."""

    id: int
    created_at: datetime
    scope: ChangeScope
    action: Action | Event
    person: str | None
    actor: str
    story_id: int | None
    headline: str | None
    subject: str | None
    lang: str | None
    from_state: str
    to_state: str
    comment: str
    detail: str

    @property
    def who(self) -> str:
        """The person who acted, and how when not signed in at the desk."""
        if self.person and self.actor:
            return f"{self.person} ({self.actor})"
        return self.person or self.actor or NOBODY

    @property
    def concerns(self) -> str:
        """What the line is about, in words: a story's headline, a person, or the desk."""
        if self.scope is ChangeScope.STORY:
            return self.headline or f"story {self.story_id}"
        if self.scope is ChangeScope.PERSON:
            return self.subject or "someone no longer at the desk"
        return "the whole desk" if self.scope is ChangeScope.DESK else "an integration"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.created_at.isoformat(),
            "scope": self.scope.value,
            "action": self.action,
            "who": self.who,
            "person": self.person,
            "actor": self.actor,
            "story_id": self.story_id,
            "headline": self.headline,
            "subject": self.subject,
            "lang": self.lang,
            "from": self.from_state,
            "to": self.to_state,
            "comment": self.comment,
            "detail": self.detail,
        }

    def as_text(self) -> str:
        what = " ".join(
            part
            for part in (
                self.concerns,
                (self.lang or "").upper(),
                f"{self.from_state} -> {self.to_state}" if self.to_state else "",
                self.detail,
                f"«{self.comment}»" if self.comment else "",
            )
            if part
        )
        return (
            f"{self.created_at:%Y-%m-%d %H:%M:%S}  {self.scope.value:<11} {self.action:<22} "
            f"{self.who}: {what}"
        )


def audit_log(
    session: Session,
    *,
    story_id: int | None = None,
    desk_wide: bool = False,
    person_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = 500,
) -> list[AuditLine]:
    """Recorded changes, newest first, filtered: by story, or only those concerning no story
    (`desk_wide`: people, settings, the glossary, sign-ins); by a person, who acted or whom the
    change concerned; by time (`since` included, `until` not)."""
    subject = aliased(Person)
    query = (
        select(Change, Person.name, Story.headline, subject.name)
        .join(Person, col(Person.id) == col(Change.person_id), isouter=True)
        .join(Story, col(Story.id) == col(Change.story_id), isouter=True)
        .join(subject, col(subject.id) == col(Change.subject_id), isouter=True)
        .order_by(col(Change.created_at).desc(), col(Change.id).desc())
    )
    if story_id is not None:
        query = query.where(Change.story_id == story_id)
    if desk_wide:
        query = query.where(col(Change.story_id).is_(None))
    if person_id is not None:
        query = query.where(
            or_(col(Change.person_id) == person_id, col(Change.subject_id) == person_id)
        )
    if since is not None:
        query = query.where(Change.created_at >= since)
    if until is not None:
        query = query.where(Change.created_at < until)
    if limit is not None:
        query = query.limit(limit)
    return [
        AuditLine(
            id=change.id,  # type: ignore[arg-type]
            created_at=as_utc(change.created_at),
            scope=change.scope,
            action=change.action,
            person=name,
            actor=change.actor,
            story_id=change.story_id,
            headline=headline,
            subject=subject_name,
            lang=change.lang,
            from_state=_state_label(change.from_state, change.translation_id is not None),
            to_state=_state_label(change.to_state, change.translation_id is not None),
            comment=change.comment,
            detail=change.detail,
        )
        for change, name, headline, subject_name in session.exec(query)
    ]
