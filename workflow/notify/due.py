"""The sweep: a job that comes back every few minutes to tell people of work due within the
hour (`DUE_SOON`) and of work past its due time (`LATE`), and to queue the hourly digests.

The person told is whoever holds the version now: its translator while it is in translation,
its reviewer while it waits for review (every editor of the language when it has none, as its
submission told them). Each is told once per version and due time: the news's `key` names
both, so a later sweep finds it told, and a new due time is new news. It is told as every
change's news is (notify's `tell`: by each person's choices, the sending of what goes at once
queued with it).

One sweep is ever queued across every process: `ensure_sweep` (when workers start) and the
sweep itself (queuing its next run, first thing, so a sweep that fails does not end the
round) ask the queue for it by one key, and the queue returns the one already waiting. Jobs
with one key never run two at once, so two sweeps never race over the same news.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from workflow.jobs import Handler, Outcome, Progress, enqueue
from workflow.languages import language_name
from workflow.models import (
    Job,
    JobState,
    LanguageVersion,
    NotificationKind,
    Story,
    as_utc,
    utcnow,
)
from workflow.notify.digest import queue_digests
from workflow.notify.news import News, open_it, reviewers, tell
from workflow.states import VersionState

SWEEP = "notification sweep"
EVERY = timedelta(minutes=5)  # news of a due time reaches people at most this late
SOON = timedelta(hours=1)
# How long a finished sweep stays on the queue, for an operator to see it ran: a day of them
# is 288 rows, which no one reads, so each sweep deletes those older than this.
KEPT_FOR = timedelta(days=1)


def ensure_sweep(session: Session) -> Job:
    """The sweep queued (to run now) unless one is queued already: the one waiting."""
    return enqueue(session, SWEEP, {}, key=SWEEP)


@dataclass(frozen=True)
class Due:
    """A version someone must hear of: who, what, and the news's words."""

    person_id: int
    kind: NotificationKind
    version: LanguageVersion
    headline: str


def _due_at(version: LanguageVersion) -> datetime:
    assert version.due_at is not None  # only versions with a due time are swept
    return as_utc(version.due_at)


def due_versions(session: Session, now: datetime) -> list[Due]:
    """Every version in translation or in review that is due within the hour or late, with
    the people who hold it (one query, and one per version in review with no reviewer)."""
    rows = session.exec(
        select(LanguageVersion, Story.headline)
        .join(Story, col(Story.id) == col(LanguageVersion.story_id))
        .where(
            col(LanguageVersion.due_at).is_not(None),
            col(LanguageVersion.due_at) <= now + SOON,
            col(LanguageVersion.state).in_([VersionState.IN_TRANSLATION, VersionState.IN_REVIEW]),
        )
        .order_by(col(LanguageVersion.id))
    ).all()
    found = []
    for version, headline in rows:
        kind = NotificationKind.LATE if _due_at(version) <= now else NotificationKind.DUE_SOON
        if version.state is VersionState.IN_TRANSLATION:
            holders = {version.translator_id} if version.translator_id is not None else set()
        else:
            holders = reviewers(session, version)  # as its submission told them
        found += [Due(person_id, kind, version, headline) for person_id in sorted(holders)]
    return found


def _words(due: Due, now: datetime) -> News:
    version = due.version
    at = _due_at(version)
    language = language_name(version.lang)
    if due.kind is NotificationKind.LATE:
        subject = f"Late: {due.headline} ({language}) was due at {at:%H:%M} UTC"
    else:
        minutes = max(int((at - now).total_seconds() // 60), 0)
        subject = f"Due in {minutes} min: {due.headline} ({language}), at {at:%H:%M} UTC"
    task = "review" if version.state is VersionState.IN_REVIEW else "translation"
    link = open_it(version.story_id, version.lang)
    body = f"The {language} {task} is due {at:%Y-%m-%d %H:%M} UTC.\n{link}"
    # Once per version (its story and language) and due time: a new due time is new news.
    about = f"due {at:%Y-%m-%dT%H:%M}Z"
    return News(due.kind, version.story_id, version.lang, about, subject, body)


def make_due_news(session: Session) -> list[int]:
    """The due-soon and late news not yet told, each to whoever holds the version, by their
    choices (notify's `tell`: the sending of what goes at once queued with it), in the
    session's transaction; the ids of the notifications written."""
    now = utcnow()
    told: dict[tuple[int | None, NotificationKind], tuple[News, list[int]]] = {}
    for due in due_versions(session, now):
        _, people = told.setdefault((due.version.id, due.kind), (_words(due, now), []))
        people.append(due.person_id)
    return tell(session, list(told.values()), by=None)


def sweep(session: Session) -> Outcome:
    """One round: the next one queued, the due news told, the digests of the hour that ended
    queued."""
    now = utcnow()
    ensure_next = enqueue(session, SWEEP, {}, key=SWEEP, run_after=now + EVERY)
    forget_old_sweeps(session, now)
    news = make_due_news(session)
    session.commit()
    digests = queue_digests(session, now)
    return Outcome(
        f"{len(news)} due-time notification{'s' if len(news) != 1 else ''}, "
        f"{digests} digest{'s' if digests != 1 else ''} queued; next sweep job {ensure_next.id}."
    )


def forget_old_sweeps(session: Session, now: datetime) -> int:
    """Delete the sweeps that finished more than `KEPT_FOR` ago (one statement); how many.
    In the session's transaction."""
    gone = session.exec(
        delete(Job).where(  # type: ignore[call-overload]
            col(Job.kind) == SWEEP,
            col(Job.state).in_([JobState.DONE, JobState.FAILED]),
            col(Job.finished_at) < now - KEPT_FOR,
        )
    )
    return int(gone.rowcount)


def sweep_handlers() -> dict[str, Handler]:
    """The work queue's handler for the sweep."""

    def run(session: Session, job: Job, progress: Progress) -> Outcome:
        outcome = sweep(session)
        progress(1, 1)
        return outcome

    return {SWEEP: run}
