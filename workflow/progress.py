"""How far each language version has come, computed in the database from its paragraphs.

A version's progress is never stored: it is counted from its translations' states each time,
with GROUP BY queries, so it cannot disagree with the paragraphs.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, literal, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.counts import StoryCounts, TextCount, count_texts
from workflow.models import (
    Flag,
    LanguageVersion,
    SourceParagraph,
    SourceVersion,
    Story,
    Translation,
)
from workflow.queries import current, of_version, stale_condition, with_paragraphs
from workflow.states import TranslationState, VersionState, effective_state
from workflow.timestamps import rfc3339
from workflow.vocabulary import Severity

ENGLISH = "en"  # the source's texts among the languages' in `story_counts`
UNFINISHED = frozenset(
    {TranslationState.EMPTY, TranslationState.MACHINE_DRAFT, TranslationState.NEEDS_EDITING}
)


@dataclass(frozen=True)
class VersionProgress:
    """A language version's state and how many of its paragraphs are in each state."""

    story_id: int
    lang: str
    stored_state: VersionState
    counts: dict[TranslationState, int] = field(default_factory=dict)
    stale: int = 0
    check: int = 0  # carried over a minor English edit, to be glanced at

    @property
    def state(self) -> VersionState:
        """The state people see (outdated when the English changed under an approval)."""
        return effective_state(self.stored_state, self.stale)

    @property
    def paragraphs(self) -> int:
        return sum(self.counts.values())

    def count(self, *states: TranslationState) -> int:
        return sum(self.counts.get(s, 0) for s in states)

    @property
    def unfinished(self) -> int:
        return self.count(*UNFINISHED)

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state.slug,
            "paragraphs": self.paragraphs,
            "counts": {s.slug: self.counts.get(s, 0) for s in TranslationState},
            "stale": self.stale,
            "check": self.check,
        }


def progress(
    session: Session, story_ids: Iterable[int] | None = None
) -> dict[tuple[int, str], VersionProgress]:
    """Progress of every language version of the given stories (all stories when None)."""
    ids = None if story_ids is None else list(story_ids)

    def restrict(query: Any, story_column: Any) -> Any:
        return query if ids is None else query.where(story_column.in_(ids))

    counts_query = restrict(
        with_paragraphs(
            sa_select(
                col(Translation.story_id),
                col(Translation.lang),
                col(Translation.state),
                func.count(),
                func.sum(case((stale_condition(), 1), else_=0)),
                func.sum(case((col(Translation.check_from).is_not(None), 1), else_=0)),
            )
        ).group_by(col(Translation.story_id), col(Translation.lang), col(Translation.state)),
        col(Translation.story_id),
    )
    versions_query = restrict(
        select(LanguageVersion.story_id, LanguageVersion.lang, LanguageVersion.state),
        col(LanguageVersion.story_id),
    )

    counts: dict[tuple[int, str], dict[TranslationState, int]] = {}
    stale: dict[tuple[int, str], int] = {}
    check: dict[tuple[int, str], int] = {}
    for story_id, lang, state, n, n_stale, n_check in session.exec(counts_query):
        key = (story_id, lang)
        counts.setdefault(key, {})[TranslationState(state)] = n
        stale[key] = stale.get(key, 0) + (n_stale or 0)
        check[key] = check.get(key, 0) + (n_check or 0)
    return {
        (story_id, lang): VersionProgress(
            story_id,
            lang,
            state,
            counts.get((story_id, lang), {}),
            stale.get((story_id, lang), 0),
            check.get((story_id, lang), 0),
        )
        for story_id, lang, state in session.exec(versions_query)
    }


def version_progress(session: Session, story_id: int, lang: str) -> VersionProgress:
    return progress(session, [story_id])[(story_id, lang)]


def status_report(session: Session, story_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """One object per story (all stories when `story_ids` is None), for `status --json` and the
    API alike: its number, the CMS's id, headline, section, English version and counts, and
    each language's state, paragraph counts, stale, open errors, due time, where the CMS
    published it, and the words and characters of its text."""
    ids = None if story_ids is None else list(story_ids)
    query = select(Story).order_by(col(Story.id))
    stories = session.exec(query if ids is None else query.where(col(Story.id).in_(ids))).all()
    wanted = [story.id for story in stories if story.id is not None]
    counted = story_counts(session, wanted)
    nothing = StoryCounts(TextCount(), {})  # a story without paragraphs
    errors = _open_error_counts(session, wanted)
    english = _english_versions(session, wanted)
    stored = {
        (v.story_id, v.lang): v
        for v in session.exec(
            select(LanguageVersion).where(col(LanguageVersion.story_id).in_(wanted))
        )
    }
    by_version: dict[tuple[int | None, str], dict[str, Any]] = {
        (story_id, lang): version.as_json()
        | {
            "errors": errors.get((story_id, lang), 0),
            "due_at": _when(stored[(story_id, lang)].due_at),
            "published_url": stored[(story_id, lang)].published_url or None,
            "published_at": _when(stored[(story_id, lang)].published_at),
            "text": asdict(counted.get(story_id, nothing).of(lang)),
        }
        for (story_id, lang), version in progress(session, wanted).items()
    }
    return [
        {
            "id": story.id,
            "external_id": story.external_id,
            "headline": story.headline,
            "section": story.section,
            "english_version": english.get(story.id or 0, 0),
            "updated_at": _when(story.updated_at),
            "english": asdict(counted.get(story.id or 0, nothing).english),
            "languages": {
                lang: by_version[(story.id, lang)]
                for lang in LANGUAGES
                if (story.id, lang) in by_version
            },
        }
        for story in stories
    ]


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else rfc3339(moment)


def _open_error_counts(session: Session, story_ids: list[int]) -> dict[tuple[int, str], int]:
    """Open errors (not overridden) per language version of the stories, in one query."""
    query = (
        with_paragraphs(
            sa_select(col(Translation.story_id), col(Translation.lang), func.count())
            .select_from(Translation)
            .join(Flag, col(Flag.translation_id) == col(Translation.id))
        )
        .where(
            col(Translation.story_id).in_(story_ids),
            col(Flag.severity) == Severity.ERROR,
            col(Flag.override_reason).is_(None),
        )
        .group_by(col(Translation.story_id), col(Translation.lang))
    )
    return {(story_id, lang): n for story_id, lang, n in session.exec(query)}  # type: ignore[call-overload]


def _english_versions(session: Session, story_ids: list[int]) -> dict[int, int]:
    """Each story's current English version number, in one query."""
    query = (
        sa_select(col(SourceVersion.story_id), func.max(SourceVersion.number))
        .where(col(SourceVersion.story_id).in_(story_ids))
        .group_by(col(SourceVersion.story_id))
    )
    return dict(session.exec(query).all())  # type: ignore[call-overload]


def version_totals(session: Session) -> dict[str, dict[VersionState, int]]:
    """How many versions of each language are in each state, outdated ones counted apart:
    two GROUP BY queries, whatever the number of stories."""
    totals: dict[str, dict[VersionState, int]] = {lang: {} for lang in LANGUAGES}
    by_state = (col(LanguageVersion.lang), col(LanguageVersion.state))
    stored = sa_select(*by_state, func.count()).group_by(*by_state)
    for lang, state, n in session.exec(stored):  # type: ignore[call-overload]
        totals.setdefault(lang, {})[VersionState(state)] = n
    outdated = (
        with_paragraphs(
            sa_select(
                col(LanguageVersion.lang),
                col(LanguageVersion.state),
                func.count(func.distinct(LanguageVersion.id)),
            ).join(
                Translation,
                (col(Translation.story_id) == col(LanguageVersion.story_id))
                & (col(Translation.lang) == col(LanguageVersion.lang)),
            )
        )
        .where(
            col(LanguageVersion.state).in_([VersionState.APPROVED, VersionState.PUBLISHED]),
            stale_condition(),
        )
        .group_by(col(LanguageVersion.lang), col(LanguageVersion.state))
    )
    for lang, state, n in session.exec(outdated):  # type: ignore[call-overload]
        # Shown as outdated, not under the state it is stored in (see `effective_state`).
        counts = totals.setdefault(lang, {})
        counts[VersionState(state)] -= n
        counts[VersionState.OUTDATED] = counts.get(VersionState.OUTDATED, 0) + n
    return totals


def stale_positions(session: Session, story_id: int, lang: str) -> list[int]:
    """Where the version's stale paragraphs are (0 is the headline), in order."""
    query = select(SourceParagraph.position).select_from(Translation)
    return list(
        session.exec(
            of_version(query, story_id, lang)
            .where(stale_condition())
            .order_by(col(SourceParagraph.position))
        )
    )


def story_counts(session: Session, story_ids: Iterable[int]) -> dict[int, StoryCounts]:
    """Words and characters of each story's English and translations, as they stand: one
    query reads the texts of the stories' current paragraphs (the English once, not once a
    language), `count_texts` counts each story's in one pass."""
    ids = list(story_ids)
    sources = sa_select(
        col(SourceParagraph.story_id), literal(ENGLISH).label("lang"), col(SourceParagraph.text)
    ).where(current(), col(SourceParagraph.story_id).in_(ids))
    translated = with_paragraphs(
        sa_select(col(Translation.story_id), col(Translation.lang), col(Translation.text))
    ).where(col(Translation.story_id).in_(ids))
    texts: dict[int, dict[str, list[str]]] = {}
    for story_id, lang, text in session.exec(union_all(sources, translated)):  # type: ignore[call-overload]
        texts.setdefault(story_id, {}).setdefault(lang, []).append(text)
    return {
        story_id: StoryCounts(
            count_texts(found.pop(ENGLISH, [])),
            {lang: count_texts(them) for lang, them in found.items()},
        )
        for story_id, found in texts.items()
    }
