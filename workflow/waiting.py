"""Waiting on the translator: what an editor sent back (a paragraph, or the whole version with
a request for changes) and is still with the translator, so it stays on the editor's list.

Sending back returns the version to translation, where it leaves every reviewer's list; the
editor who sent it keeps track of it here until the translator submits it again.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from workflow.models import Change, LanguageVersion, Person, Story, Translation, as_utc, utcnow
from workflow.states import Action, TranslationState, VersionState

_SENT_BACK = (Action.SEND_BACK, Action.REQUEST_CHANGES)


@dataclass(frozen=True)
class Waiting:
    """A language version an editor sent back, while it is with the translator."""

    story_id: int
    headline: str
    lang: str
    translator: str | None  # who holds it; None: nobody has taken it yet
    due_at: datetime | None
    overdue: bool
    sent_back_at: datetime  # the editor's last send-back or request in this round
    paragraphs: int  # paragraphs the editor sent back that still need editing
    whole_version: bool  # the editor requested changes to the whole version


def waiting_on_translator(
    session: Session, editor: Person, now: datetime | None = None
) -> list[Waiting]:
    """The versions `editor` sent back since they were last submitted and that are in
    translation still, soonest due first (those without a due time last)."""
    now = as_utc(now) or utcnow()
    last_submit = (
        select(Change.story_id, Change.lang, func.max(Change.id).label("last"))
        .where(Change.action == Action.SUBMIT)
        .group_by(col(Change.story_id), col(Change.lang))
        .subquery()
    )
    rows = session.exec(
        select(Change, LanguageVersion, Story)
        .join(
            LanguageVersion,
            (col(LanguageVersion.story_id) == col(Change.story_id))
            & (col(LanguageVersion.lang) == col(Change.lang)),
        )
        .join(Story, col(Story.id) == col(Change.story_id))
        .outerjoin(
            last_submit,
            (last_submit.c.story_id == col(Change.story_id))
            & (last_submit.c.lang == col(Change.lang)),
        )
        .where(
            col(Change.person_id) == editor.id,
            col(Change.action).in_([str(a) for a in _SENT_BACK]),
            col(LanguageVersion.state) == VersionState.IN_TRANSLATION,
            col(Change.id) > func.coalesce(last_submit.c.last, 0),
        )
        .order_by(col(Change.id))
    ).all()
    rounds: dict[tuple[int, str], tuple[LanguageVersion, Story, list[Change]]] = {}
    for change, version, story in rows:
        rounds.setdefault((version.story_id, version.lang), (version, story, []))[2].append(change)
    if not rounds:
        return []
    sent_ids = {c.translation_id for _, _, changes in rounds.values() for c in changes}
    still = set(
        session.exec(
            select(Translation.id).where(
                col(Translation.id).in_([i for i in sent_ids if i is not None]),
                Translation.state == TranslationState.NEEDS_EDITING,
            )
        )
    )
    translators = {
        p.id: p.name
        for p in session.exec(
            select(Person).where(
                col(Person.id).in_({v.translator_id for v, _, _ in rounds.values()})
            )
        )
    }
    found = []
    for version, story, changes in rounds.values():
        due = as_utc(version.due_at)
        found.append(
            Waiting(
                story_id=version.story_id,
                headline=story.headline,
                lang=version.lang,
                translator=translators.get(version.translator_id),
                due_at=due,
                overdue=due is not None and due < now,
                sent_back_at=as_utc(changes[-1].created_at),
                paragraphs=len({c.translation_id for c in changes if c.translation_id in still}),
                whole_version=any(c.action == Action.REQUEST_CHANGES for c in changes),
            )
        )
    far = datetime.max.replace(tzinfo=as_utc(now).tzinfo)
    return sorted(found, key=lambda w: (w.due_at or far, -w.story_id, w.lang))
