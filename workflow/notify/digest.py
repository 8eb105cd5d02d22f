"""The hourly digest: one message, to one person on one channel, gathering the notifications
they chose to hear of hourly (`Timing.HOURLY`), grouped by story, urgent ones first.

Once an hour has ended, the sweep (`notify.due`) queues a digest job for every person and
channel with hourly news from before that hour's end still unsent. The job

1. claims that news for itself (its job id on the rows, in one UPDATE: no other digest
   takes them, and news made after the hour's end waits for the next one);
2. marks it sent, committed, before it is handed over;
3. sends it as one message the one way the desk sends (`notify.send.send_text`), with no
   transaction held open while the mail server or the chat takes its time, and unmarks it
   when the server certainly did not take it, for the job's retry.

This is the order notify's own sending takes, for the same reason: never sent twice. A job
retried after a failed send sends what it claimed the first time (news that came since waits
for the next digest); one retried after its worker died while sending finds the news marked
and sends nothing, so that digest may be lost, never doubled.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy import update
from sqlmodel import Session, col, select

from workflow.events import FIRST_RETRY, LONGEST_RETRY, TRIED_FOR
from workflow.jobs import Handler, Outcome, Progress, Retry, add_job
from workflow.languages import language_name
from workflow.models import Channel, Job, JobState, Notification, Story, Timing, as_utc, utcnow
from workflow.notify.send import MaybeSent, SmtpSettings, destination, send_text

DIGEST = "notification digest"

# How a digest goes out: (session, person, channel, subject, body, urgent) -> what the server
# said; raising means the server certainly did not take it (retried, unless `GiveUp`).
Deliver = Callable[[Session, int, Channel, str, str, bool], str]


def hour_began(now: datetime) -> datetime:
    """The start of the hour `now` is in: where the last full hour ended."""
    return as_utc(now).replace(minute=0, second=0, microsecond=0)


def digest_key(person_id: int, channel: Channel) -> str:
    return f"digest:{person_id}:{channel.value}"


def queue_digests(session: Session, now: datetime | None = None) -> int:
    """A digest job for every person and channel with hourly news from before this hour began
    still unsent and unclaimed, unless one is queued for them already; how many were queued.
    Committed. Only the sweep calls this, one sweep at a time, so two never race."""
    until = hour_began(now or utcnow())
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
    for key in fresh:
        person_id, channel = keys[key]
        payload = {
            "person_id": person_id,
            "channel": Channel(channel).value,
            "until": until.isoformat(),
        }
        # Tried for a day, as a webhook's delivery is: a mail server down overnight loses none.
        retry = Retry(FIRST_RETRY, LONGEST_RETRY, utcnow() + TRIED_FOR)
        add_job(session, DIGEST, payload, key=key, max_attempts=100, retry=retry)
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
    ids = [n.id for n in news]
    marked = utcnow()
    _mark(session, ids, None, marked)
    try:
        said = deliver(session, person_id, channel, digest.subject, digest.body, digest.urgent)
    except BaseException:
        _mark(session, ids, marked, None)  # not taken: the retry sends it
        raise
    return Outcome(f"Sent a digest of {digest.count} to person {person_id}: {said}")


def _mark(
    session: Session, ids: list[int | None], was: datetime | None, now: datetime | None
) -> None:
    """Set the news's `sent_at` from `was` to `now` (compare-and-set), committed."""
    session.exec(
        update(Notification)  # type: ignore[call-overload]
        .where(
            col(Notification.id).in_(ids),
            col(Notification.sent_at).is_(None)
            if was is None
            else col(Notification.sent_at) == was,
        )
        .values(sent_at=now)
    )
    session.commit()


def deliver_by_notify(secrets: Mapping[str, str] | None = None) -> Deliver:
    """The desk's one way to send a prepared text (`notify.send`: the person's destination on
    the channel, then `send_text`). A server that took the message and never answered may have
    delivered it: said so, never sent again."""

    def deliver(
        session: Session, person_id: int, channel: Channel, subject: str, body: str, urgent: bool
    ) -> str:
        to = destination(session, channel, person_id)
        smtp = SmtpSettings.load(secrets) if channel is Channel.EMAIL else None
        session.rollback()  # no transaction held open while a server takes its time
        try:
            return send_text(to, subject, body, urgent=urgent, smtp=smtp)
        except MaybeSent as exc:
            return f"handed to the server; it may have arrived ({exc})"

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
