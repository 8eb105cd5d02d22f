"""The hourly digest: one message per person and channel, a section per story, the story with
urgent news first and urgent news first within it; only news from before the hour ended, and
nothing twice (the digest run again sends nothing). A digest whose send fails is retried with
the same news, never lost."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from workflow.formats import ParsedStory
from workflow.jobs import GiveUp, claim
from workflow.models import Channel, Job, JobState, Notification, NotificationKind, Timing
from workflow.models.base import clock_at
from workflow.notify.digest import DIGEST, compose, digest_handlers, queue_digests
from workflow.notify.recent import recent_notifications
from workflow.stories import import_story
from workflow.worker import Worker

HOUR_END = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


class Outbox:
    """Stands in for the desk's sending: keeps what it was given; fails while `down`; notes
    whether the worker's session held a transaction open while it sent."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.down = False
        self.nowhere = False  # the person has no address: `GiveUp`, as `destination` says
        self.held_open: list[bool] = []

    def __call__(self, session, person_id, channel, subject, body, urgent):
        if self.nowhere:
            raise GiveUp("Not sent: Taras has no e-mail address at the desk.")

        def send() -> str:
            self.held_open.append(session.in_transaction())
            if self.down:
                raise ConnectionError("the mail server is down")
            self.sent.append(
                {"person": person_id, "channel": channel, "subject": subject, "body": body,
                 "urgent": urgent}
            )  # fmt: skip
            return "250 OK"

        return send


def two_stories(session) -> tuple[int, int]:
    first = import_story(session, ParsedStory("Council meets", ["The council met."]), person=None)
    second = import_story(session, ParsedStory("Port reopens", ["The port reopened."]), person=None)
    return first.id, second.id


def news(session, person_id, story_id, subject, *, minutes_before_end, urgent=False,
         timing=Timing.HOURLY, channel=Channel.EMAIL) -> Notification:  # fmt: skip
    """A notification as notify's news writer makes one, `minutes_before_end` before 11:00."""
    made = Notification(
        key=f"test:{subject}:{person_id}:{channel}", person_id=person_id,
        kind=NotificationKind.ENGLISH_CHANGED if urgent else NotificationKind.ASSIGNED,
        channel=channel, timing=timing, urgent=urgent, story_id=story_id, lang="uk",
        subject=subject, body=f"About {subject}.",
        created_at=HOUR_END - timedelta(minutes=minutes_before_end),
    )  # fmt: skip
    session.add(made)
    session.commit()
    return made


def run_digests(session, outbox: Outbox, now: datetime = HOUR_END + timedelta(minutes=3)) -> int:
    queue_digests(session, now)
    return Worker(session.get_bind(), digest_handlers(deliver=outbox)).run_until_idle()


def test_a_digest_groups_the_hours_news_by_story_urgent_first(session, people):
    taras = people["translator_uk"].id
    council, port = two_stories(session)
    news(session, taras, council, "Assigned: council", minutes_before_end=50)
    news(session, taras, port, "Assigned: port", minutes_before_end=40)
    news(session, taras, port, "English changed: port", minutes_before_end=20, urgent=True)
    news(session, taras, council, "Sent back: council", minutes_before_end=10)
    outbox = Outbox()
    assert run_digests(session, outbox) == 1
    (digest,) = outbox.sent
    assert outbox.held_open == [False]  # no transaction open while the server takes its time
    assert digest["person"] == taras and digest["channel"] is Channel.EMAIL
    assert digest["urgent"] is True
    assert digest["subject"] == "Lockstep: 4 notifications of the last hour, 2 stories"
    body = digest["body"]
    # The story with urgent news first, its urgent news first; then the other, in order.
    order = [
        "Port reopens", "URGENT: English changed: port", "Assigned: port",
        "Council meets", "Assigned: council", "Sent back: council",
    ]  # fmt: skip
    at = [body.index(said) for said in order]
    assert at == sorted(at), body
    assert "(Ukrainian)" in body and "About Sent back: council." in body


def test_news_of_the_next_hour_waits_for_the_next_digest_and_nothing_is_sent_twice(session, people):
    taras = people["translator_uk"].id
    council, _port = two_stories(session)
    news(session, taras, council, "Before the hour ended", minutes_before_end=30)
    later = news(session, taras, council, "After the hour ended", minutes_before_end=-2)
    outbox = Outbox()
    run_digests(session, outbox)
    (digest,) = outbox.sent
    assert "Before the hour ended" in digest["body"]
    assert "After the hour ended" not in digest["body"]
    assert run_digests(session, outbox) == 0  # the digest again: nothing is waiting
    assert len(outbox.sent) == 1
    session.refresh(later)
    assert later.sent_at is None and later.job_id is None  # the next hour's digest takes it
    run_digests(session, outbox, HOUR_END + timedelta(hours=1, minutes=3))
    assert len(outbox.sent) == 2 and "After the hour ended" in outbox.sent[1]["body"]
    assert "Before the hour ended" not in outbox.sent[1]["body"]


def test_each_person_and_channel_has_a_digest_of_their_own(session, people):
    taras, tanya = people["translator_uk"].id, people["translator"].id
    council, _port = two_stories(session)
    news(session, taras, council, "Taras by mail", minutes_before_end=30)
    news(session, taras, council, "Taras in chat", minutes_before_end=30, channel=Channel.CHAT)
    news(session, tanya, council, "Tanya by mail", minutes_before_end=30)
    outbox = Outbox()
    assert run_digests(session, outbox) == 3
    got = {(d["person"], d["channel"]): d["body"] for d in outbox.sent}
    assert "Taras by mail" in got[(taras, Channel.EMAIL)]
    assert "Taras in chat" in got[(taras, Channel.CHAT)]
    assert "Tanya by mail" in got[(tanya, Channel.EMAIL)]
    assert all(d["urgent"] is False for d in outbox.sent)


def test_news_to_send_at_once_is_never_in_a_digest(session, people):
    taras = people["translator_uk"].id
    council, _port = two_stories(session)
    news(session, taras, council, "At once", minutes_before_end=30, timing=Timing.IMMEDIATELY)
    outbox = Outbox()
    assert run_digests(session, outbox) == 0 and outbox.sent == []


def refused_once(session, people) -> tuple[Notification, Outbox, Job]:
    """Taras's news of the hour, its digest refused by a server that is down."""
    council, _port = two_stories(session)
    first = news(session, people["translator_uk"].id, council, "Assigned: council",
                 minutes_before_end=30)  # fmt: skip
    outbox = Outbox()
    outbox.down = True
    run_digests(session, outbox)
    return first, outbox, session.exec(select(Job).where(Job.kind == DIGEST)).one()


def test_a_digest_that_could_not_be_sent_is_sent_later_with_the_same_news(session, people):
    first, outbox, job = refused_once(session, people)
    assert job.state is JobState.QUEUED and "down" in job.error  # waiting for a retry
    session.refresh(first)
    assert first.sent_at is None and first.job_id == job.id
    outbox.down = False
    job.run_after = HOUR_END  # the retry's wait is over
    session.add(job)
    session.commit()
    Worker(session.get_bind(), digest_handlers(deliver=outbox)).run_until_idle()
    (digest,) = outbox.sent
    assert "Assigned: council" in digest["body"]
    session.refresh(first)
    assert first.sent_at is not None


def test_a_digest_down_for_its_whole_day_hands_its_news_to_the_next_digest(session, people):
    """Its last attempt fails: the next sweep unclaims the news, and that digest sends it."""
    first, outbox, job = refused_once(session, people)
    day_over = HOUR_END + timedelta(days=1, minutes=5)
    with clock_at(day_over):
        job.run_after = day_over - timedelta(minutes=1)  # its last try, at the day's end
        job.payload = job.payload | {"retry": job.payload["retry"] | {"until": str(day_over)}}
        session.add(job)
        session.commit()
        Worker(session.get_bind(), digest_handlers(deliver=outbox)).run_until_idle()
    session.refresh(job)
    session.refresh(first)
    assert job.state is JobState.FAILED and "Gave up after 2 attempts" in job.error
    assert first.sent_at is None  # not dropped: the next sweep releases it
    outbox.down = False
    assert run_digests(session, outbox, day_over + timedelta(hours=1)) == 1
    (digest,) = outbox.sent
    assert "Assigned: council" in digest["body"]
    session.refresh(first)
    assert first.sent_at is not None


def test_a_digest_whose_worker_died_every_time_hands_its_news_to_the_next_digest(session, people):
    """Its worker claimed the news and stopped before sending, attempt after attempt, until the
    queue gave the job up when its last lease ran out: the next sweep releases the news, and
    that digest sends it."""
    council, _port = two_stories(session)
    first = news(session, people["translator_uk"].id, council, "Assigned: council",
                 minutes_before_end=30)  # fmt: skip
    queue_digests(session, HOUR_END + timedelta(minutes=3))

    def dies(*_args):
        raise SystemExit("the worker's process was stopped")

    (handler,) = digest_handlers(deliver=dies).values()
    while (job := claim(session, "dying", kinds=[DIGEST], lease=timedelta(0))) is not None:
        with pytest.raises(SystemExit):
            handler(session, job, lambda *_: None)  # its lease runs out: claimed again
        session.rollback()
    job = session.exec(select(Job).where(Job.kind == DIGEST)).one()
    session.refresh(first)
    assert job.state is JobState.FAILED and "the worker running it stopped" in job.error
    assert first.job_id == job.id and first.sent_at is None
    outbox = Outbox()
    assert run_digests(session, outbox, HOUR_END + timedelta(hours=1, minutes=3)) == 1
    (digest,) = outbox.sent
    assert "Assigned: council" in digest["body"]
    session.refresh(first)
    assert first.sent_at is not None


def test_a_digest_that_can_go_nowhere_is_listed_failed_with_the_reason(session, people):
    """No address (or no channel, or an address refused for good) will not pass in an hour:
    its news is not queued again, and the Administration page lists each as failed."""
    taras = people["translator_uk"].id
    council, port = two_stories(session)
    news(session, taras, council, "Assigned: council", minutes_before_end=30)
    news(session, taras, port, "Assigned: port", minutes_before_end=20)
    outbox = Outbox()
    outbox.nowhere = True
    run_digests(session, outbox)
    listed = recent_notifications(session)
    assert [(n.state, n.sent_at) for n in listed] == [(JobState.FAILED, None)] * 2
    assert all("has no e-mail address" in n.error for n in listed)
    assert queue_digests(session, HOUR_END + timedelta(hours=1, minutes=3)) == 0


@given(
    items=st.lists(
        st.tuples(st.sampled_from([1, 2, None]), st.booleans(), st.text(max_size=40)),
        max_size=12,
    )
)
def test_a_digest_of_any_news_holds_every_item(items):
    made = [
        Notification(
            id=n,
            key=str(n),
            person_id=1,
            kind=NotificationKind.ASSIGNED,
            channel=Channel.EMAIL,
            timing=Timing.HOURLY,
            urgent=urgent,
            story_id=story,
            lang="ru",
            subject=f"item-{n}-{text}",
            body=text,
            created_at=HOUR_END,
        )
        for n, (story, urgent, text) in enumerate(items)
    ]
    digest = compose(made, {1: "One", 2: "Two"})
    assert digest.count == len(items)
    assert digest.urgent == any(urgent for _, urgent, _ in items)
    for n in range(len(items)):
        assert digest.body.count(f"item-{n}-") >= 1
