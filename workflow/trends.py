"""How the desk works over time: the figures behind the manager's charts.

Every figure is one aggregate query (GROUP BY, window functions) over the audit log, the
translations and the stale periods, and its rows are the query's rows, named (`DayCount`,
`Turnaround`, `Work`, `MachineShare`, `WordsPerDay`); days are UTC days. Words are the one
figure summed in Python, as translators count them (`counts.count_text`), over the texts one
query reads. `track_stale` keeps the stale periods,
the only history these figures need that the audit log does not already hold.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Float, case, func, literal, or_, union_all, update
from sqlalchemy import select as sa_select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlmodel import Session, col, select

from workflow.counts import count_texts
from workflow.models import (
    Change,
    LanguageVersion,
    Person,
    Revision,
    SourceParagraph,
    StalePeriod,
    Story,
    Translation,
    insert_for,
    utcnow,
)
from workflow.queries import is_current, is_stale, with_paragraphs
from workflow.states import Action, TranslationState, VersionState
from workflow.vocabulary import Origin


def track_stale(
    session: Session,
    translation: Translation,
    paragraph: SourceParagraph,
    open_ids: set[int] | None = None,
) -> None:
    """Open a stale period when a translation has just gone stale, close it when it is in step
    again (or its English was removed); not committed. Called wherever a translation's text,
    state or English changes. `open_ids`, when given, are the translations known to have an
    open period (read once for a whole story), saving a query per translation.

    A partial unique index allows one open period per translation, so two processes cannot
    both open one."""
    assert translation.id is not None
    stale = is_stale(translation, paragraph) and is_current(paragraph)
    if open_ids is None:
        is_open = (
            session.exec(
                select(StalePeriod.id).where(
                    StalePeriod.translation_id == translation.id,
                    col(StalePeriod.ended_at).is_(None),
                )
            ).first()
            is not None
        )
    else:
        is_open = translation.id in open_ids
    if stale and not is_open:
        session.exec(
            insert_for(session)(StalePeriod)  # type: ignore[call-overload]
            .values(
                translation_id=translation.id,
                story_id=translation.story_id,
                lang=translation.lang,
                started_at=utcnow(),
            )
            .on_conflict_do_nothing(  # another process opened it a moment ago
                index_elements=["translation_id"],
                index_where=col(StalePeriod.ended_at).is_(None),
            )
        )
    elif not stale and is_open:
        session.exec(
            update(StalePeriod)  # type: ignore[call-overload]
            .where(
                col(StalePeriod.translation_id) == translation.id,
                col(StalePeriod.ended_at).is_(None),
            )
            .values(ended_at=utcnow())
        )


def open_stale_periods(session: Session, story_id: int) -> set[int]:
    """The story's translations that have an open stale period."""
    return set(
        session.exec(
            select(StalePeriod.translation_id).where(
                StalePeriod.story_id == story_id, col(StalePeriod.ended_at).is_(None)
            )
        )
    )


class hours_between(FunctionElement[float]):
    """Hours from the second time to the first, in each database's own date arithmetic."""

    type = Float()
    inherit_cache = True


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 24.0)"


@compiles(hours_between)
def _hours_standard(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600.0)"


class utc_date(FunctionElement[date]):
    """The UTC calendar day of a stored time, whatever the database session's time zone."""

    inherit_cache = True


@compiles(utc_date, "sqlite")
def _utc_date_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    (moment,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({moment})"  # SQLite keeps times as UTC text


@compiles(utc_date)
def _utc_date_standard(element: Any, compiler: Any, **kw: Any) -> str:
    (moment,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(({moment} AT TIME ZONE 'UTC') AS DATE)"


def _day(value: Any) -> date:
    """A day as the database returns it: a date (PostgreSQL) or its ISO text (SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class DayCount(NamedTuple):
    day: date
    lang: str
    paragraphs: int  # approved that day, or stale at its end


def approved_per_day(session: Session, since: datetime) -> list[DayCount]:
    """Paragraph approvals each day in each language (one by one or with a whole version); a
    paragraph approved again after a change counts again, as work done that day."""
    day = utc_date(col(Change.created_at))
    query = (
        sa_select(day, col(Change.lang), func.count())
        .where(
            col(Change.action) == Action.APPROVE,
            col(Change.translation_id).is_not(None),
            col(Change.created_at) >= since,
        )
        .group_by(day, col(Change.lang))
        .order_by(day, col(Change.lang))
    )
    return [DayCount(_day(d), lang, int(n)) for d, lang, n in session.exec(query)]  # type: ignore[call-overload]


class Turnaround(NamedTuple):
    lang: str
    median_hours: float
    versions: int


def median_hours_to_approval(session: Session, since: datetime) -> list[Turnaround]:
    """Per language, the median time from a story's import to its version's first approval,
    over versions first approved since `since`: a window-function median, in SQL."""
    first = (
        sa_select(
            col(Change.story_id).label("story_id"),
            col(Change.lang).label("lang"),
            func.min(col(Change.created_at)).label("at"),
        )
        .where(col(Change.action) == Action.APPROVE_VERSION)
        .group_by(col(Change.story_id), col(Change.lang))
        .subquery()
    )
    hours = hours_between(first.c.at, col(Story.created_at))
    ranked = (
        sa_select(
            first.c.lang,
            hours.label("hours"),
            func.row_number().over(partition_by=first.c.lang, order_by=hours).label("rank"),
            func.count().over(partition_by=first.c.lang).label("n"),
        )
        .join(Story, col(Story.id) == first.c.story_id)
        .where(first.c.at >= since)
        .subquery()
    )
    middle = or_(
        ranked.c.rank == (ranked.c.n + 1) // 2,
        ranked.c.rank == (ranked.c.n + 2) // 2,
    )
    query = (
        sa_select(ranked.c.lang, func.avg(ranked.c.hours), func.max(ranked.c.n))
        .where(middle)
        .group_by(ranked.c.lang)
        .order_by(ranked.c.lang)
    )
    return [Turnaround(lang, float(h), int(n)) for lang, h, n in session.exec(query)]  # type: ignore[call-overload]


def stale_backlog(session: Session, since: datetime) -> list[DayCount]:
    """Stale translations at the end of each day since `since` on which the number changed,
    per language, with the number when the period began first: a running sum over the
    periods' starts and ends."""
    baseline = (
        sa_select(col(StalePeriod.lang), func.count())
        .where(
            col(StalePeriod.started_at) < since,
            or_(col(StalePeriod.ended_at).is_(None), col(StalePeriod.ended_at) >= since),
        )
        .group_by(col(StalePeriod.lang))
    )
    start = dict(session.exec(baseline).all())  # type: ignore[call-overload]
    started = utc_date(col(StalePeriod.started_at))
    ended = utc_date(col(StalePeriod.ended_at))
    moves = union_all(
        sa_select(started.label("day"), col(StalePeriod.lang), func.count().label("n"))
        .where(col(StalePeriod.started_at) >= since)
        .group_by(started, col(StalePeriod.lang)),
        sa_select(ended.label("day"), col(StalePeriod.lang), (-func.count()).label("n"))
        .where(col(StalePeriod.ended_at) >= since)
        .group_by(ended, col(StalePeriod.lang)),
    ).subquery()
    daily = (
        sa_select(moves.c.day, moves.c.lang, func.sum(moves.c.n).label("n"))
        .group_by(moves.c.day, moves.c.lang)
        .subquery()
    )
    running = func.sum(daily.c.n).over(partition_by=daily.c.lang, order_by=daily.c.day)
    query = sa_select(daily.c.day, daily.c.lang, running).order_by(daily.c.lang, daily.c.day)
    at: dict[tuple[str, date], int] = {}
    for day, lang, n in session.exec(query):  # type: ignore[call-overload]
        at[(lang, _day(day))] = int(start.get(lang, 0)) + int(n)
    for lang in {lang for lang, _ in at} | set(start):
        at.setdefault((lang, since.date()), int(start.get(lang, 0)))  # as the period began
    points = [DayCount(day, lang, n) for (lang, day), n in at.items()]
    return sorted(points, key=lambda p: (p.lang, p.day))


WORK_KINDS: dict[str, tuple[Action, ...]] = {
    "translated": (Action.SAVE, Action.MARK_TRANSLATED),
    "confirmed": (Action.CONFIRM,),  # still valid after the English changed
    "approved": (Action.APPROVE,),
    "sent back": (Action.SEND_BACK,),
}


class Work(NamedTuple):
    person: str
    kind: str
    paragraphs: int


def work_per_person(session: Session, since: datetime) -> list[Work]:
    """Paragraphs each person translated (wrote or fixed text), confirmed, approved or sent
    back since `since`: a paragraph saved five times in the period counts once per kind."""
    kind = case(
        *((col(Change.action).in_(actions), literal(name)) for name, actions in WORK_KINDS.items())
    ).label("kind")
    counted = (
        sa_select(
            col(Change.person_id).label("person_id"),
            kind,
            func.count(func.distinct(col(Change.translation_id))).label("n"),
        )
        .where(
            col(Change.action).in_([a for actions in WORK_KINDS.values() for a in actions]),
            col(Change.created_at) >= since,
            col(Change.translation_id).is_not(None),
        )
        .group_by(col(Change.person_id), kind)
        .subquery()
    )  # counted by person id first, named after: one join per person, not per action
    query = (
        sa_select(col(Person.name), counted.c.kind, counted.c.n)
        .join(Person, col(Person.id) == counted.c.person_id)
        .order_by(col(Person.name), counted.c.kind)
    )
    return [Work(name, k, int(n)) for name, k, n in session.exec(query)]  # type: ignore[call-overload]


class WordsPerDay(NamedTuple):
    day: date
    person: str
    words: int  # of the paragraphs they moved into Translated that day


def words_translated_per_day(session: Session, since: datetime) -> list[WordsPerDay]:
    """Each day, the words of the paragraphs each person moved into Translated (a save or a Mark
    translated of an empty, machine-drafted or sent-back paragraph), each paragraph once a day,
    as its text stood then: the newest revision saved by that moment, from the audit log and the
    history. Touching a paragraph already translated (a later fix, an editor's correction)
    translates nothing, so it counts nothing."""
    day = utc_date(col(Change.created_at))
    marked = (
        sa_select(
            day.label("day"),
            col(Change.person_id).label("person_id"),
            col(Change.translation_id).label("translation_id"),
            func.max(col(Change.created_at)).label("at"),
        )
        .where(
            col(Change.to_state) == TranslationState.TRANSLATED,
            or_(
                col(Change.from_state).is_(None),
                col(Change.from_state) != TranslationState.TRANSLATED,
            ),
            col(Change.action).in_([Action.SAVE, Action.MARK_TRANSLATED]),
            col(Change.created_at) >= since,
            col(Change.translation_id).is_not(None),
            col(Change.person_id).is_not(None),
        )
        .group_by(day, col(Change.person_id), col(Change.translation_id))
        .subquery()
    )
    text_then = (
        sa_select(col(Revision.text))
        .where(
            col(Revision.translation_id) == marked.c.translation_id,
            col(Revision.created_at) <= marked.c.at,
        )
        .order_by(col(Revision.created_at).desc(), col(Revision.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        sa_select(marked.c.day, col(Person.name), func.coalesce(text_then, ""))
        .join(Person, col(Person.id) == marked.c.person_id)
        .order_by(marked.c.day, col(Person.name))
    )
    texts: dict[tuple[date, str], list[str]] = {}
    for d, name, text in session.exec(query):  # type: ignore[call-overload]
        texts.setdefault((_day(d), name), []).append(text)
    return [WordsPerDay(d, name, count_texts(found).words) for (d, name), found in texts.items()]


class MachineShare(NamedTuple):
    lang: str
    machine: int  # published paragraphs that started as a machine draft
    unedited: int  # of those, published exactly as the engine wrote them

    @property
    def share(self) -> float:
        return self.unedited / self.machine if self.machine else 0.0


def unedited_machine_share(session: Session, since: datetime) -> list[MachineShare]:
    """Per language, of the paragraphs published since `since` that started as machine text,
    how many went out exactly as the engine wrote them."""
    unedited = func.sum(case((col(Translation.text) == col(Translation.draft_text), 1), else_=0))
    query = (
        with_paragraphs(sa_select(col(Translation.lang), func.count(), unedited))
        .join(
            LanguageVersion,
            (col(LanguageVersion.story_id) == col(Translation.story_id))
            & (col(LanguageVersion.lang) == col(Translation.lang)),
        )
        .where(
            col(LanguageVersion.state) == VersionState.PUBLISHED,
            col(LanguageVersion.updated_at) >= since,  # a published version last moved then
            col(Translation.draft_origin) == Origin.MACHINE,
            col(Translation.state) != TranslationState.EMPTY,
        )
        .group_by(col(Translation.lang))
        .order_by(col(Translation.lang))
    )
    return [MachineShare(lang, int(n), int(u or 0)) for lang, n, u in session.exec(query)]  # type: ignore[call-overload]


@dataclass(frozen=True)
class Trends:
    """Everything the manager's charts show, for one period."""

    approved: list[DayCount]
    turnaround: list[Turnaround]
    backlog: list[DayCount]
    work: list[Work]
    machine: list[MachineShare]
    words: list[WordsPerDay]


def desk_trends(session: Session, since: datetime) -> Trends:
    return Trends(
        approved_per_day(session, since),
        median_hours_to_approval(session, since),
        stale_backlog(session, since),
        work_per_person(session, since),
        unedited_machine_share(session, since),
        words_translated_per_day(session, since),
    )
