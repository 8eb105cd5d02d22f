"""The sweep: a job that comes back every few minutes to tell people of work due within the
hour (`DUE_SOON`) and of work past its due time (`LATE`), and to queue the hourly digests.

The person told is whoever holds the version now: its translator while it is in translation,
its reviewer while it waits for review (every editor of the language when it has none). Each
is told once per version and due time: the news's `key` names both, so a later sweep finds it
made, and a new due time is new news.

One sweep is ever queued across every process: `ensure_sweep` (when workers start) and the
sweep itself (queuing its next run, first thing, so a sweep that fails does not end the
round) ask the queue for it by one key, and the queue returns the one already waiting. Jobs
with one key never run two at once, so two sweeps never race over the same news.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from workflow.events import FIRST_RETRY, LONGEST_RETRY, TRIED_FOR
from workflow.jobs import Handler, Outcome, Progress, Retry, add_job, enqueue
from workflow.languages import language_name
from workflow.links import desk_url
from workflow.models import (
    Channel,
    Job,
    LanguageVersion,
    Notification,
    NotificationKind,
    Person,
    PersonLanguage,
    Story,
    Timing,
    as_utc,
    utcnow,
)
from workflow.notify.choices import chat_channel, timings
from workflow.notify.digest import queue_digests
from workflow.states import Role, VersionState

SWEEP = "notification sweep"
SEND = "notification"  # the kind of notify's job that sends one notification at once
EVERY = timedelta(minutes=5)  # news of a due time reaches people at most this late
SOON = timedelta(hours=1)

# After the news is written in the sweep's transaction: queue the sending of what is to go at
# once (`queue_sending`, by default).
SendAtOnce = Callable[[Session, Sequence[Notification]], None]


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
    the person who holds it (one query, and one for the editors of unreviewed languages)."""
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
    unreviewed = {
        v.lang for v, _ in rows if v.state is VersionState.IN_REVIEW and v.reviewer_id is None
    }
    editors = _editors(session, unreviewed)
    found = []
    for version, headline in rows:
        kind = NotificationKind.LATE if _due_at(version) <= now else NotificationKind.DUE_SOON
        if version.state is VersionState.IN_TRANSLATION:
            holders = [version.translator_id] if version.translator_id is not None else []
        else:
            reviewer = version.reviewer_id
            holders = [reviewer] if reviewer is not None else editors.get(version.lang, [])
        found += [Due(person_id, kind, version, headline) for person_id in holders]
    return found


def _editors(session: Session, langs: set[str]) -> dict[str, list[int]]:
    if not langs:
        return {}
    rows = session.exec(
        select(PersonLanguage.lang, Person.id)
        .join(Person, col(Person.id) == col(PersonLanguage.person_id))
        .where(col(PersonLanguage.lang).in_(sorted(langs)), Person.role == Role.EDITOR)
        .order_by(col(Person.id))
    ).all()
    editors: dict[str, list[int]] = {}
    for lang, person_id in rows:
        if person_id is not None:
            editors.setdefault(lang, []).append(person_id)
    return editors


def news_key(due: Due, channel: Channel) -> str:
    """What the news tells, once: its kind, the version, its due time, the person, the channel."""
    at = _due_at(due.version)
    return f"{due.kind.value}:{due.version.id}:{at:%Y%m%dT%H%M}:{due.person_id}:{channel.value}"


def _words(due: Due, now: datetime) -> tuple[str, str]:
    version = due.version
    at = _due_at(version)
    language = language_name(version.lang)
    if due.kind is NotificationKind.LATE:
        subject = f"Late: {due.headline} ({language}) was due at {at:%H:%M} UTC"
    else:
        minutes = max(int((at - now).total_seconds() // 60), 0)
        subject = f"Due in {minutes} min: {due.headline} ({language}), at {at:%H:%M} UTC"
    task = "review" if version.state is VersionState.IN_REVIEW else "translation"
    link = desk_url(version.story_id, version.lang)
    body = f"The {language} {task} is due {at:%Y-%m-%d %H:%M} UTC.\n{link}"
    return subject, body


def make_due_news(session: Session, now: datetime | None = None) -> list[Notification]:
    """The due-soon and late news not yet made, each to the person who holds the version, on
    the channels and with the timing they chose (the chat only when the desk has a channel);
    added to the session, not committed."""
    now = as_utc(now or utcnow())
    found = due_versions(session, now)
    channels = list(Channel) if chat_channel(session) else [Channel.EMAIL]
    chosen = {
        kind: timings(session, [d.person_id for d in found if d.kind is kind], kind)
        for kind in {d.kind for d in found}
    }
    wanted = [
        (due, channel, timing)
        for due in found
        for channel in channels
        if (timing := chosen[due.kind][due.person_id][channel]) is not Timing.OFF
    ]
    keys = [news_key(due, channel) for due, channel, _ in wanted]
    made = set(session.exec(select(Notification.key).where(col(Notification.key).in_(keys))))
    news = []
    for (due, channel, timing), key in zip(wanted, keys, strict=True):
        if key in made:
            continue
        subject, body = _words(due, now)
        news.append(
            Notification(
                key=key, person_id=due.person_id, kind=due.kind, channel=channel, timing=timing,
                story_id=due.version.story_id, lang=due.version.lang, subject=subject[:300],
                body=body, created_at=now,
            )
        )  # fmt: skip
        made.add(key)
    session.add_all(news)
    return news


def sweep(session: Session, send_at_once: SendAtOnce, now: datetime | None = None) -> Outcome:
    """One round: the next one queued, the due news made (and what goes at once queued for
    sending), the digests of the hour that ended queued."""
    now = as_utc(now or utcnow())
    ensure_next = enqueue(session, SWEEP, {}, key=SWEEP, run_after=now + EVERY)
    news = make_due_news(session, now)
    send_at_once(session, [n for n in news if n.timing is Timing.IMMEDIATELY])
    session.commit()
    digests = queue_digests(session, now)
    return Outcome(
        f"{len(news)} due-time notification{'s' if len(news) != 1 else ''}, "
        f"{digests} digest{'s' if digests != 1 else ''} queued; next sweep job {ensure_next.id}."
    )


def queue_sending(session: Session, news: Sequence[Notification]) -> None:
    """A job per notification to go at once, as notify's news writer queues one: its kind,
    payload and key are what notify's sender (`notify.send`) runs; tried for a day."""
    if not news:
        return
    session.flush()  # the news has its ids for the jobs
    retry = Retry(FIRST_RETRY, LONGEST_RETRY, utcnow() + TRIED_FOR)
    jobs = [
        add_job(
            session, SEND, {"notification_id": n.id}, key=f"notification:{n.id}",
            max_attempts=100, retry=retry,
        )
        for n in news
    ]  # fmt: skip
    session.flush()  # one INSERT for every job
    for notification, job in zip(news, jobs, strict=True):
        notification.job_id = job.id
        session.add(notification)


def sweep_handlers(send_at_once: SendAtOnce | None = None) -> dict[str, Handler]:
    """The work queue's handler for the sweep, queuing immediate news through `send_at_once`
    (tests) or `queue_sending`."""
    chosen = send_at_once or queue_sending

    def run(session: Session, job: Job, progress: Progress) -> Outcome:
        outcome = sweep(session, chosen)
        progress(1, 1)
        return outcome

    return {SWEEP: run}
