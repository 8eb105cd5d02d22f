"""The news of a correction of the English: in every language it left stale, the translators,
the assigned reviewer and the approvers are told which paragraphs, with their English before
and now and the words that changed; urgently where that version was published (a reader may
be reading the old facts in it now). See `news` for how news is written and never twice."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlalchemy import union
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.edits import word_diff
from workflow.models import (
    Change,
    LanguageVersion,
    NotificationKind,
    Person,
    SourceParagraph,
    Translation,
)
from workflow.notify.news import News, headline_of, open_it, tell
from workflow.queries import stale_condition, with_paragraphs
from workflow.states import Action, VersionState


@dataclass(frozen=True)
class StaleParagraph:
    """A paragraph a correction left stale in a language: where, and its English then and now
    (`before` None when the desk did not keep the English it was translated from)."""

    position: int  # 0 is the headline
    before: str | None
    now: str


def describe_stale(paragraphs: Sequence[StaleParagraph]) -> str:
    """The stale paragraphs in words: each one's English before and now, and the words that
    changed."""
    parts = []
    for p in paragraphs:
        where = "The headline" if p.position == 0 else f"Paragraph {p.position}"
        lines = [where]
        if p.before is not None:
            lines.append(f"  was: {p.before}")
        lines.append(f"  now: {p.now}")
        if p.before is not None and (changed := changes_in_words(p.before, p.now)):
            lines.append(f"  changed: {changed}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def changes_in_words(before: str, now: str) -> str:
    """The words removed and added, in reading order ("removed “7”; added “8”")."""
    said = {"delete": "removed", "insert": "added"}
    return "; ".join(
        f"{said[part.kind]} “{part.text}”" for part in word_diff(before, now) if part.kind in said
    )


def tell_english_changed(
    session: Session,
    story_id: int,
    english_version: int,
    changed_paragraphs: Iterable[int | None],
    *,
    by: Person | None,
) -> list[int]:
    """A correction of the English just written (`english_version` its number): in every
    language it left stale (paragraphs of `changed_paragraphs` now stale there), the
    translators, reviewer and approvers are told, with those paragraphs; urgently where the
    version was published. In the correction's transaction."""
    changed = sorted({pid for pid in changed_paragraphs if pid is not None})
    if not changed:
        return []
    stale: dict[str, list[StaleParagraph]] = {}
    published: set[str] = set()
    rows = session.execute(
        with_paragraphs(
            sa_select(
                col(Translation.lang), col(SourceParagraph.position),
                col(Translation.source_text), col(SourceParagraph.text),
                col(LanguageVersion.state),
            ).select_from(Translation)
        )
        .join(
            LanguageVersion,
            (col(LanguageVersion.story_id) == col(Translation.story_id))
            & (col(LanguageVersion.lang) == col(Translation.lang)),
        )
        .where(
            col(Translation.story_id) == story_id,
            col(Translation.paragraph_id).in_(changed),
            stale_condition(),
        )
        .order_by(col(Translation.lang), col(SourceParagraph.position))
    )  # fmt: skip
    for lang, position, before, now, state in rows:
        stale.setdefault(lang, []).append(StaleParagraph(position, before, now))
        if state == VersionState.PUBLISHED:  # as stored: people see it outdated now
            published.add(lang)
    if not stale:
        return []
    people = _people_of(session, story_id, set(stale))
    headline = headline_of(session, story_id)
    told = []
    for lang, paragraphs in sorted(stale.items()):
        name, n = LANGUAGES[lang], len(paragraphs)
        urgent = lang in published
        subject = f"The English of “{headline}” changed: the {name} version needs checking"
        if urgent:
            subject = f"The English of the published “{headline}” changed: {name} is out of step"
        body = (
            f"The English of “{headline}” was corrected (English version {english_version})"
            + (f" after the {name} version was published" if urgent else "")
            + f". {n} paragraph{'s' if n != 1 else ''} of the {name} version "
            + f"{'are' if n != 1 else 'is'} stale now:\n\n"
            + describe_stale(paragraphs)
            + f"\n\n{open_it(story_id, lang)}\n"
        )
        about = f"english {english_version}"
        news = News(NotificationKind.ENGLISH_CHANGED, story_id, lang, about, subject, body, urgent)
        told.append((news, people.get(lang, set())))
    return tell(session, told, by=by)


def _people_of(session: Session, story_id: int, langs: set[str]) -> dict[str, set[int]]:
    """Each language's translators, assigned reviewer and approvers: one query."""
    in_langs = sorted(langs)
    version = select(LanguageVersion.lang, LanguageVersion.translator_id).where(
        LanguageVersion.story_id == story_id, col(LanguageVersion.lang).in_(in_langs)
    )
    reviewer = select(LanguageVersion.lang, LanguageVersion.reviewer_id).where(
        LanguageVersion.story_id == story_id, col(LanguageVersion.lang).in_(in_langs)
    )
    wrote = select(Translation.lang, Translation.translated_by_id).where(
        Translation.story_id == story_id, col(Translation.lang).in_(in_langs)
    )
    approved = select(Change.lang, Change.person_id).where(
        Change.story_id == story_id,
        col(Change.lang).in_(in_langs),
        col(Change.action).in_([str(Action.APPROVE), str(Action.APPROVE_VERSION)]),
    )
    found: dict[str, set[int]] = {}
    for lang, person_id in session.execute(union(version, reviewer, wrote, approved)):
        if person_id is not None and lang is not None:
            found.setdefault(lang, set()).add(person_id)
    return found
