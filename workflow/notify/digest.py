"""The hourly digest: one message, to one person on one channel, gathering the notifications
they chose to hear of hourly (`Timing.HOURLY`), grouped by story, urgent ones first.

Once an hour has ended, the sweep (`notify.due`) queues a digest job for every person and
channel with hourly news from before that hour's end still unsent. The job

1. claims that news for itself (its job id on the rows, in one UPDATE: no other digest
   takes them, and news made after the hour's end waits for the next one);
2. sends it as one message the one way the desk sends notifications (`notify.send.send_once`:
   marked sent and committed before it is handed over, no transaction held open while the
   mail server or the chat takes its time, unmarked when the server certainly did not take
   it, for the job's retry).

Never sent twice: a job retried after a failed send sends what it claimed the first time
(news that came since waits for the next digest); one retried after its worker died while
sending finds the news marked and sends nothing, so that digest may be lost, never doubled.

Never dropped either. A digest job that ended failed for want of attempts or time
(`jobs.ran_out`: its server stayed down for the whole day it is tried for, or its worker
stopped every time and the queue gave it up when its last lease ran out) has its unsent news
released by the next sweep (`job_id` cleared) and gathered into the next digest, tried for
another day: news outlasts any outage and any crash. A digest that can go nowhere (`GiveUp`:
the person has no e-mail address, the desk no chat channel, or the mail server refused the
address for good) keeps its news: the Administration page lists each of those notifications
as failed, with the reason; queued again, it would only fail again every hour. (One that gave
up on its very last attempt reads as running out: its news is tried once more, by a digest
that then gives up at its first attempt and keeps it.)
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import update
from sqlmodel import Session, col, select

from workflow.events import FIRST_RETRY, LONGEST_RETRY, MOST_ATTEMPTS, TRIED_FOR
from workflow.jobs import Handler, Outcome, Progress, Retry, add_jobs, ran_out
from workflow.languages import language_name
from workflow.models import Channel, Job, JobState, Notification, Story, Timing, as_utc, utcnow
from workflow.notify.send import Send, send_once, sender

DIGEST = "notification digest"
LOOKED_BACK = timedelta(days=1)  # how far back the sweep looks for digests that ran out

# How a digest is prepared to go out: (session, person, channel, subject, body, urgent) -> the
# send, which reads nothing (`notify.send.sender`); `GiveUp` when it can go nowhere. The send
# returns what the server said; raising means the server certainly did not take it (retried,
# unless `GiveUp`).
Deliver = Callable[[Session, int, Channel, str, str, bool], Send]


def hour_began(now: datetime) -> datetime:
    """The start of the hour `now` is in: where the last full hour ended."""
    return as_utc(now).replace(minute=0, second=0, microsecond=0)


def digest_key(person_id: int, channel: Channel) -> str:
    return f"digest:{person_id}:{channel.value}"


def queue_digests(session: Session, now: datetime | None = None) -> int:
    """A digest job for every person and channel with hourly news from before this hour began
    still unsent and unclaimed, unless one is queued for them already; how many were queued.
    Committed. Only the sweep calls this, one sweep at a time, so two never race. News held by
    a digest that failed for want of attempts or time is released for it first."""
    until = hour_began(now or utcnow())
    _release_failed(session, as_utc(now or utcnow()))
    waiting = session.exec(
        select(Notification.person_id, Notification.channel)
        .where(
            Notification.timing == Timing.HOURLY,
            col(Notification.sent_at).is_(None),
            col(Notification.job_id).is_(None),
            col(Notification.created_at) < until,
        )
        .distinct()
    ).all()
    if not waiting:
        return 0
    keys = {
        digest_key(person_id, Channel(channel)): (person_id, channel)
        for person_id, channel in waiting
    }
    queued = set(
        session.exec(
            select(Job.key).where(
                Job.kind == DIGEST, Job.state == JobState.QUEUED, col(Job.key).in_(list(keys))
            )
        )
    )
    fresh = [key for key in sorted(keys) if key not in queued]
    work = [
        (
            key,
            {
                "person_id": keys[key][0],
                "channel": Channel(keys[key][1]).value,
                "until": until.isoformat(),
            },
        )
        for key in fresh
    ]
    # Tried for a day, as a webhook's delivery is: a mail server down overnight loses none.
    retry = Retry(FIRST_RETRY, LONGEST_RETRY, utcnow() + TRIED_FOR)
    add_jobs(session, DIGEST, work, max_attempts=MOST_ATTEMPTS, retry=retry)
    session.commit()
    return len(fresh)


@dataclass(frozen=True)
class Digest:
    """One digest's message: its subject, its body, and whether any news in it is urgent."""

    subject: str
    body: str
    urgent: bool
    count: int


def compose(news: list[Notification], headlines: dict[int, str]) -> Digest:
    """The message of a digest: a section per story, those holding urgent news first (then in
    the order their news came), urgent news first within each; news about no story last."""

    def story_of(n: Notification) -> int:
        return n.story_id if n.story_id is not None else -1

    by_story = {
        story_id: sorted(items, key=lambda n: (not n.urgent, as_utc(n.created_at), n.id or 0))
        for story_id, items in groupby(sorted(news, key=story_of), key=story_of)
    }
    order = sorted(
        by_story,
        key=lambda s: (s == -1, not by_story[s][0].urgent, as_utc(by_story[s][0].created_at)),
    )
    sections = []
    for story_id in order:
        title = headlines.get(story_id, f"Story {story_id}") if story_id != -1 else "Other news"
        lines = [title, "=" * min(len(title), 72)]
        for n in by_story[story_id]:
            mark = "URGENT: " if n.urgent else ""
            where = f" ({language_name(n.lang)})" if n.lang else ""
            lines.append(f"- {mark}{n.subject}{where}")
            lines += [f"  {line}".rstrip() for line in n.body.splitlines()]
        sections.append("\n".join(lines))
    count = len(news)
    urgent = any(n.urgent for n in news)
    stories = sum(s != -1 for s in by_story)
    subject = f"Lockstep: {count} notification{'s' if count != 1 else ''} of the last hour"
    if stories:
        subject += f", {stories} stor{'ies' if stories != 1 else 'y'}"
    return Digest(subject, "\n\n".join(sections) + "\n", urgent, count)


def _claim(session: Session, job: Job, person_id: int, channel: Channel, until: datetime) -> None:
    """This job's news: hourly, unsent, unclaimed, made before `until` (one UPDATE)."""
    session.exec(
        update(Notification)  # type: ignore[call-overload]
        .where(
            col(Notification.person_id) == person_id,
            col(Notification.channel) == channel,
            col(Notification.timing) == Timing.HOURLY,
            col(Notification.sent_at).is_(None),
            col(Notification.job_id).is_(None),
            col(Notification.created_at) < until,
        )
        .values(job_id=job.id)
    )
    session.commit()


def send_digest(session: Session, job: Job, deliver: Deliver) -> Outcome:
    """Claim, send and mark sent one person's digest on one channel (see the module)."""
    person_id, channel = int(job.payload["person_id"]), Channel(job.payload["channel"])
    _claim(session, job, person_id, channel, as_utc(datetime.fromisoformat(job.payload["until"])))
    news = list(
        session.exec(
            select(Notification).where(
                Notification.job_id == job.id, col(Notification.sent_at).is_(None)
            )
        )
    )
    if not news:
        session.rollback()
        return Outcome("Nothing to send: the news was sent already.")
    story_ids = {n.story_id for n in news if n.story_id is not None}
    headlines = dict(
        session.exec(select(Story.id, Story.headline).where(col(Story.id).in_(story_ids))).all()
    )
    digest = compose(news, {int(k): v for k, v in headlines.items() if k is not None})
    # Raising fails the attempt: its news stays claimed, for the retry (or, once the digest ran
    # out of attempts or time, for the next sweep to release; `GiveUp`: listed as failed).
    send = deliver(session, person_id, channel, digest.subject, digest.body, digest.urgent)
    sent = send_once(session, news, send)
    if sent is None:
        return Outcome("Nothing to send: another attempt sent it.")
    return Outcome(
        f"Sent a digest of {digest.count} to person {person_id}: {sent.result}", sent.error
    )


def _release_failed(session: Session, now: datetime) -> None:
    """Unsent news held by a digest job that failed for want of attempts or time (`ran_out`)
    unclaimed, for the next digest; news of one that can go nowhere (`GiveUp`) stays held.
    Only digests that failed within `LOOKED_BACK` are read: a sweep runs every few minutes, so
    one that ran out is released long before, and those that can go nowhere, which pile up
    hour after hour, are not read again and again."""
    holding = select(Notification.job_id).where(
        Notification.timing == Timing.HOURLY,
        col(Notification.sent_at).is_(None),
        col(Notification.job_id).is_not(None),
    )
    failed = session.exec(
        select(Job).where(
            Job.kind == DIGEST,
            Job.state == JobState.FAILED,
            col(Job.finished_at) >= now - LOOKED_BACK,
            col(Job.id).in_(holding),
        )
    ).all()
    if ran := [job.id for job in failed if ran_out(job)]:
        session.exec(
            update(Notification)  # type: ignore[call-overload]
            .where(col(Notification.job_id).in_(ran), col(Notification.sent_at).is_(None))
            .values(job_id=None)
        )
        session.commit()


def deliver_by_notify(secrets: Mapping[str, str] | None = None) -> Deliver:
    """The desk's one way to send a prepared text to a person (`notify.send.sender`: their
    destination on the channel, and the mail server's settings from `secrets` or the
    environment)."""

    def deliver(
        session: Session, person_id: int, channel: Channel, subject: str, body: str, urgent: bool
    ) -> Send:
        return sender(session, person_id, channel, subject, body, urgent=urgent, secrets=secrets)

    return deliver


def digest_handlers(
    secrets: Mapping[str, str] | None = None, deliver: Deliver | None = None
) -> dict[str, Handler]:
    """The work queue's handler for digests, sending through `deliver` (tests) or notify's
    sending (`secrets` may hold the mail server's settings)."""
    chosen = deliver or deliver_by_notify(secrets)

    def run(session: Session, job: Job, progress: Progress) -> Outcome:
        outcome = send_digest(session, job, chosen)
        progress(1, 1)
        return outcome

    return {DIGEST: run}
