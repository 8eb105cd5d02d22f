"""The manager's report: one row per story and language, every figure counted in the database.

`report_rows` runs one aggregate query (GROUP BY story and language over the translations,
joined to the versions, the people assigned, and the flags), filtered and paginated in SQL,
so its cost does not grow with the paragraphs loaded into Python. Words and characters are the
exception: they are counted as translators count them (`counts.count_text`), which SQL cannot,
from one more query over the texts of the rows' stories only. `to_csv` guards every cell
against spreadsheet formula injection.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from workflow.counts import StoryCounts, TextCount
from workflow.models import (
    Change,
    Flag,
    LanguageVersion,
    Person,
    Story,
    Translation,
    as_utc,
)
from workflow.progress import story_counts
from workflow.queries import stale_condition, with_paragraphs
from workflow.states import TranslationState, VersionState, effective_state
from workflow.vocabulary import Severity

T = TranslationState


@dataclass(frozen=True)
class ReportFilter:
    """What the manager narrows the report to; None means everything."""

    lang: str | None = None
    state: VersionState | None = None
    person_id: int | None = None  # as translator or reviewer
    section: str | None = None
    since: datetime | None = None  # stories whose English last changed since
    until: datetime | None = None
    needs_attention: bool = False  # stale, open errors, or overdue


@dataclass(frozen=True)
class ReportRow:
    """One story in one language, as the manager sees it."""

    story_id: int
    headline: str
    section: str
    lang: str
    state: VersionState
    paragraphs: int
    approved: int
    translated: int
    machine_draft: int
    empty: int
    needs_editing: int
    stale: int
    open_errors: int
    translator: str | None
    reviewer: str | None
    due_at: datetime | None
    english_changed_at: datetime
    overdue: bool
    # The story's English and this language's text as they stand, as translators count them.
    english_words: int = 0
    english_characters: int = 0
    english_characters_no_spaces: int = 0
    words: int = 0
    characters: int = 0
    characters_no_spaces: int = 0

    def as_json(self) -> dict[str, Any]:
        row = asdict(self)
        row["state"] = self.state.slug
        for key in ("due_at", "english_changed_at"):
            row[key] = row[key].isoformat() if row[key] else None
        return row


def _count(state: TranslationState) -> Any:
    return func.sum(case((col(Translation.state) == state, 1), else_=0))


ORDER = (col(Story.updated_at).desc(), col(Story.id).desc(), col(LanguageVersion.lang))


def _where(query: Any, filters: ReportFilter) -> Any:
    """The filters that narrow versions before anything is counted."""
    if filters.lang:
        query = query.where(col(LanguageVersion.lang) == filters.lang)
    if filters.person_id is not None:
        query = query.where(
            or_(
                col(LanguageVersion.translator_id) == filters.person_id,
                col(LanguageVersion.reviewer_id) == filters.person_id,
            )
        )
    if filters.section:
        query = query.where(col(Story.section) == filters.section)
    if filters.since:
        query = query.where(col(Story.english_changed_at) >= filters.since)
    if filters.until:
        query = query.where(col(Story.english_changed_at) <= filters.until)
    if filters.state is not None and filters.state is not VersionState.OUTDATED:
        query = query.where(col(LanguageVersion.state) == filters.state)
    return query


def _counts_first(filters: ReportFilter) -> bool:
    """Whether the filters depend on counted figures (stale, errors, late), so every version
    must be counted before a page can be cut; otherwise the page's versions are chosen first
    and only they are counted."""
    finished = (VersionState.OUTDATED, VersionState.APPROVED, VersionState.PUBLISHED)
    return filters.needs_attention or filters.state in finished


def _versions(filters: ReportFilter) -> Any:
    """The ids of the versions the filters leave, most recently worked on first."""
    query = (
        sa_select(col(LanguageVersion.id), col(LanguageVersion.story_id))
        .join(Story, col(Story.id) == col(LanguageVersion.story_id))
        .order_by(*ORDER)
    )
    return _where(query, filters)


def _figures(stories: Any = None) -> tuple[Any, Any]:
    """Two aggregates keyed by story and language: the paragraphs counted by state (and stale),
    and the open errors. Grouped by two integers over the translations alone, so the cost is
    close to a bare GROUP BY; `stories` (a query of story ids) limits them to one page."""
    stale = func.sum(case((stale_condition(), 1), else_=0))
    counts: Any = with_paragraphs(
        sa_select(
            col(Translation.story_id).label("story_id"),
            col(Translation.lang).label("lang"),
            func.count().label("paragraphs"),
            _count(T.APPROVED).label("approved"),
            _count(T.TRANSLATED).label("translated"),
            _count(T.MACHINE_DRAFT).label("machine_draft"),
            _count(T.EMPTY).label("empty"),
            _count(T.NEEDS_EDITING).label("needs_editing"),
            stale.label("stale"),
        )
    ).group_by(col(Translation.story_id), col(Translation.lang))
    errors: Any = (
        sa_select(
            col(Translation.story_id).label("story_id"),
            col(Translation.lang).label("lang"),
            func.count().label("n"),
        )
        .select_from(Flag)
        .join(Translation, col(Translation.id) == col(Flag.translation_id))
        .where(col(Flag.severity) == Severity.ERROR, col(Flag.override_reason).is_(None))
        .group_by(col(Translation.story_id), col(Translation.lang))
    )
    if stories is not None:
        counts = counts.where(col(Translation.story_id).in_(stories))
        errors = errors.where(col(Translation.story_id).in_(stories))
    return counts.subquery(), errors.subquery()


def report_query(filters: ReportFilter, now: datetime, stories: Any = None) -> Any:
    """The report's query: the versions the filters leave, joined to their counted figures.
    `stories` (a query of story ids) limits the counting to one page's stories."""
    translator = aliased(Person)
    reviewer = aliased(Person)
    counts, errors = _figures(stories)
    open_errors = func.coalesce(errors.c.n, 0)
    query = (
        sa_select(  # type: ignore[call-overload]  # seventeen columns: past its overloads
            col(Story.id),
            col(Story.headline),
            col(Story.section),
            col(LanguageVersion.lang),
            col(LanguageVersion.state),
            counts.c.paragraphs,
            counts.c.approved,
            counts.c.translated,
            counts.c.machine_draft,
            counts.c.empty,
            counts.c.needs_editing,
            counts.c.stale,
            open_errors,
            translator.name,
            reviewer.name,
            col(LanguageVersion.due_at),
            col(Story.english_changed_at),
        )
        .select_from(LanguageVersion)
        .join(Story, col(Story.id) == col(LanguageVersion.story_id))
        .join(
            counts,
            and_(
                counts.c.story_id == col(LanguageVersion.story_id),
                counts.c.lang == col(LanguageVersion.lang),
            ),
        )
        .outerjoin(
            errors,
            and_(
                errors.c.story_id == col(LanguageVersion.story_id),
                errors.c.lang == col(LanguageVersion.lang),
            ),
        )
        .outerjoin(translator, translator.id == col(LanguageVersion.translator_id))
        .outerjoin(reviewer, reviewer.id == col(LanguageVersion.reviewer_id))
        .order_by(*ORDER)
    )
    query = _where(query, filters)
    finished = col(LanguageVersion.state).in_([VersionState.APPROVED, VersionState.PUBLISHED])
    if filters.state is VersionState.OUTDATED:
        query = query.where(finished, counts.c.stale > 0)
    elif filters.state in (VersionState.APPROVED, VersionState.PUBLISHED):
        query = query.where(counts.c.stale == 0)  # one the English has overtaken is outdated
    if filters.needs_attention:
        late = and_(col(LanguageVersion.due_at) < now, ~finished)
        query = query.where(or_(counts.c.stale > 0, open_errors > 0, late))
    return query


def report_rows(
    session: Session,
    filters: ReportFilter | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    now: datetime | None = None,
) -> list[ReportRow]:
    """One page of the report (all of it without `limit`), most recently changed first."""
    now = now or datetime.now(UTC)
    filters = filters or ReportFilter()
    if limit is not None and not _counts_first(filters):
        # Choose the page's versions by index, then count only their stories.
        page = _versions(filters).limit(limit).offset(offset).subquery()
        query = report_query(filters, now, sa_select(page.c.story_id))
        query = query.where(col(LanguageVersion.id).in_(sa_select(page.c.id)))
    else:
        query = report_query(filters, now)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
    found = list(session.exec(query))  # type: ignore[call-overload]
    counted = story_counts(session, {story_id for story_id, *_ in found})
    rows = []
    for (
        story_id, headline, section, lang, state, paragraphs, approved, translated, draft,
        empty, needs_editing, stale, errors, translator, reviewer, due_at, changed_at,
    ) in found:  # fmt: skip
        shown = effective_state(VersionState(state), int(stale))  # PostgreSQL sums are Decimal
        due = as_utc(due_at)
        story = counted.get(story_id, StoryCounts(TextCount(), {}))  # one without paragraphs
        english, text = story.english, story.of(lang)
        rows.append(
            ReportRow(
                story_id=story_id,
                headline=headline,
                section=section,
                lang=lang,
                state=shown,
                paragraphs=int(paragraphs),
                approved=int(approved),
                translated=int(translated),
                machine_draft=int(draft),
                empty=int(empty),
                needs_editing=int(needs_editing),
                stale=int(stale),
                open_errors=int(errors),
                translator=translator,
                reviewer=reviewer,
                due_at=due,
                english_changed_at=as_utc(changed_at) or now,
                overdue=due is not None
                and due < now
                and shown not in (VersionState.APPROVED, VersionState.PUBLISHED),
                english_words=english.words,
                english_characters=english.characters,
                english_characters_no_spaces=english.characters_no_spaces,
                words=text.words,
                characters=text.characters,
                characters_no_spaces=text.characters_no_spaces,
            )
        )
    return rows


def report_count(session: Session, filters: ReportFilter | None = None) -> int:
    """How many rows the filters leave, for pagination."""
    filters = filters or ReportFilter()
    if _counts_first(filters):
        query = report_query(filters, datetime.now(UTC)).subquery()
    else:
        query = _versions(filters).order_by(None).subquery()
    return session.exec(sa_select(func.count()).select_from(query)).one()[0]  # type: ignore[call-overload]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS: Sequence[str] = tuple(ReportRow.__dataclass_fields__)


def guard_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs: one that starts like a formula gets a
    leading apostrophe (as Weblate's CSV export does)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: Iterable[ReportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        data = row.as_json()
        writer.writerow([guard_cell(data[column]) for column in COLUMNS])
    return out.getvalue()


def desk_generation(session: Session) -> str:
    """A key that changes with every change at the desk (every action writes the audit log):
    a cache key that is never stale for longer than one change. The newest line's time goes
    with its id, so a database emptied and filled again (ids restarting) never repeats a key
    that the caches of this process still hold."""
    newest = session.exec(
        sa_select(col(Change.id), col(Change.created_at)).order_by(col(Change.id).desc()).limit(1)  # type: ignore[call-overload]
    ).first()
    return "empty" if newest is None else f"{newest[0]}@{newest[1].isoformat()}"


def sections(session: Session) -> list[str]:
    query = sa_select(col(Story.section)).distinct().where(col(Story.section) != "")
    return sorted(s for (s,) in session.exec(query))  # type: ignore[call-overload]
