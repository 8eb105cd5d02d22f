"""The sweep: work due within the hour is told once to whoever holds it, late work once more,
and a new due time is new news; one sweep is ever queued, and it queues its next run and the
hour's digests."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from workflow.assignments import assign
from workflow.database import open_database
from workflow.models import (
    Channel,
    Job,
    JobState,
    Notification,
    NotificationKind,
    Person,
    Timing,
)
from workflow.models.base import clock_at
from workflow.notify.choices import choose, set_chat_channel
from workflow.notify.digest import DIGEST
from workflow.notify.due import SWEEP, ensure_sweep, make_due_news, sweep, sweep_handlers
from workflow.notify.news import NOTIFY
from workflow.states import VersionState
from workflow.versions import get_version
from workflow.worker import Worker

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def addresses(session, people) -> None:
    """The desk's people have e-mail addresses (nobody is e-mailed without one)."""
    for person in people.values():
        person.email = f"{person.name.lower()}@newsroom.test"
        session.add(person)
    session.commit()


def at(moment: datetime, run) -> object:
    """`run()` with the desk's clock at `moment`."""
    with clock_at(moment):
        return run()


def rounds(session, *moments: datetime) -> None:
    """The sweep's rounds at these moments."""
    for moment in moments:
        at(moment, lambda: sweep(session))


def due(session, people, story, lang: str, at: datetime, reviewer: bool = False) -> None:
    translator = people["translator" if lang == "ru" else "translator_uk"]
    with clock_at(NOW - timedelta(days=1)):
        assign(
            session, story_id=story.id, lang=lang, person=people["editor"],
            translator_id=translator.id, reviewer_id=people["editor"].id if reviewer else None,
            due_at=at,
        )  # fmt: skip


IS_DUE_TIME_NEWS = col(Notification.kind).in_([NotificationKind.DUE_SOON, NotificationKind.LATE])
DUE_TIME_NEWS = select(Notification).where(IS_DUE_TIME_NEWS)


def told(session) -> list[tuple[str, str, NotificationKind]]:
    """Who was told of due times: (person's name, language, kind), in the order the news was
    made (an assignment in a test's set-up makes news of its own: not counted here)."""
    rows = session.exec(
        select(Person.name, Notification.lang, Notification.kind)
        .join(Person, col(Person.id) == col(Notification.person_id))
        .where(IS_DUE_TIME_NEWS)
        .order_by(col(Notification.id))
    ).all()
    return [tuple(row) for row in rows]


def test_work_due_within_the_hour_is_told_once_to_its_translator(session, people, story):
    due(session, people, story, "ru", NOW + timedelta(minutes=40))
    due(session, people, story, "uk", NOW + timedelta(hours=3))  # not yet
    # Nobody hears of work due soon before they ask to (the desk's default): Tanya asks.
    tanya = people["translator"]
    choose(
        session, person=tanya, person_id=tanya.id,
        chosen={(NotificationKind.DUE_SOON, Channel.EMAIL): Timing.IMMEDIATELY},
    )  # fmt: skip
    rounds(session, NOW)
    assert told(session) == [("Tanya", "ru", NotificationKind.DUE_SOON)]
    (news,) = session.exec(DUE_TIME_NEWS).all()
    assert news.subject.startswith("Due in 40 min:") and "(Russian)" in news.subject
    assert "/desk?story=" in news.body
    assert session.get(Job, news.job_id).kind == NOTIFY  # sent at once, by notify's sender
    rounds(session, NOW + timedelta(minutes=5))  # the next round: nothing new
    assert len(told(session)) == 1


def test_late_work_is_told_once_and_a_new_due_time_is_new_news(session, people, story):
    due(session, people, story, "uk", NOW - timedelta(minutes=1))
    rounds(session, NOW, NOW + timedelta(minutes=5))
    assert told(session) == [("Taras", "uk", NotificationKind.LATE)]  # late is told by default
    assert session.exec(DUE_TIME_NEWS).one().subject.startswith("Late:")
    due(session, people, story, "uk", NOW + timedelta(minutes=2))  # given more time
    rounds(session, NOW + timedelta(minutes=10))
    assert told(session)[1:] == [("Taras", "uk", NotificationKind.LATE)]  # late again, anew
    assert len({n.key for n in session.exec(DUE_TIME_NEWS)}) == 2


def test_work_waiting_for_review_is_told_to_its_reviewer_not_its_translator(session, people, story):
    due(session, people, story, "uk", NOW - timedelta(minutes=5), reviewer=True)
    version = get_version(session, story.id, "uk")
    version.state = VersionState.IN_REVIEW  # set-up: submitted for review
    session.add(version)
    session.commit()
    rounds(session, NOW)
    assert told(session) == [("Eva", "uk", NotificationKind.LATE)]


def test_finished_work_is_never_late(session, people, story):
    due(session, people, story, "ru", NOW - timedelta(hours=2))
    version = get_version(session, story.id, "ru")
    version.state = VersionState.APPROVED
    session.add(version)
    session.commit()
    assert at(NOW, lambda: make_due_news(session)) == []


def test_news_goes_to_the_chat_only_when_the_desk_has_a_channel_and_as_chosen(
    session, people, story
):
    taras = people["translator_uk"]
    choose(
        session, person=taras, person_id=taras.id,
        chosen={(NotificationKind.LATE, Channel.CHAT): Timing.HOURLY,
                (NotificationKind.LATE, Channel.EMAIL): Timing.OFF},
    )  # fmt: skip
    due(session, people, story, "uk", NOW - timedelta(minutes=1))
    assert at(NOW, lambda: make_due_news(session)) == []  # no channel; e-mail is off
    session.rollback()
    set_chat_channel(session, url="https://chat.example/hook", person=people["admin"])
    (made,) = at(NOW, lambda: make_due_news(session))
    news = session.get(Notification, made)
    assert (news.channel, news.timing, news.job_id) == (Channel.CHAT, Timing.HOURLY, None)


def test_one_sweep_is_ever_queued_and_each_round_queues_the_next(session, people):
    first = ensure_sweep(session)
    assert ensure_sweep(session).id == first.id  # a second process starting: the same one
    worker = Worker(session.get_bind(), sweep_handlers())
    assert worker.run_once() is not None
    query = select(Job).where(Job.kind == SWEEP).order_by(col(Job.id))
    jobs = session.exec(query.execution_options(populate_existing=True)).all()
    assert [j.state for j in jobs] == [JobState.DONE, JobState.QUEUED]
    later = jobs[1].run_after.replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(minutes=4) < later <= timedelta(minutes=5)
    assert ensure_sweep(session).id == jobs[1].id  # a process starting now adds none


def test_sweeps_finished_over_a_day_ago_are_cleared_and_recent_ones_kept(session, people):
    """Every five minutes is 288 finished sweeps a day: the queue keeps a day of them."""
    at(NOW, lambda: ensure_sweep(session))
    worker = Worker(session.get_bind(), sweep_handlers())
    hours = [0, 1, 2, 20, 25, 26]
    for hour in hours:
        assert at(NOW + timedelta(hours=hour), worker.run_once) is not None
    query = select(Job).where(Job.kind == SWEEP).order_by(col(Job.id))
    jobs = session.exec(query.execution_options(populate_existing=True)).all()
    finished = [j.finished_at.replace(tzinfo=UTC) - NOW for j in jobs if j.state is JobState.DONE]
    assert finished == [timedelta(hours=h) for h in (2, 20, 25, 26)]  # 0 and 1: over a day
    assert [j.state for j in jobs].count(JobState.QUEUED) == 1  # the round goes on


def test_a_sweep_queues_the_digests_of_the_hour_that_ended(session, people, story):
    taras = people["translator_uk"]
    choose(
        session, person=taras, person_id=taras.id,
        chosen={(NotificationKind.LATE, Channel.EMAIL): Timing.HOURLY},
    )  # fmt: skip
    due(session, people, story, "uk", NOW - timedelta(minutes=30))
    rounds(session, NOW - timedelta(minutes=20))  # 09:40: made, hourly
    assert session.exec(DUE_TIME_NEWS).one().job_id is None  # not sent at once
    assert session.exec(select(Job).where(Job.kind == DIGEST)).all() == []
    rounds(session, NOW + timedelta(minutes=2))  # 10:02: the 09:00-10:00 digest is due
    (digest,) = session.exec(select(Job).where(Job.kind == DIGEST)).all()
    assert digest.payload["person_id"] == taras.id and digest.payload["channel"] == "email"
    rounds(session, NOW + timedelta(minutes=7))  # queued once, not again each round
    assert len(session.exec(select(Job).where(Job.kind == DIGEST)).all()) == 1


def test_processes_starting_at_once_queue_one_sweep(db_url):
    """Four app processes starting together (threads with engines of their own, on the file
    SQLite or PostgreSQL) queue the sweep once between them."""
    engines = [open_database(db_url) for _ in range(4)]
    start = threading.Barrier(len(engines))
    queued: list[int] = []

    def starting(engine) -> None:
        with Session(engine) as session:
            start.wait()
            queued.append(ensure_sweep(session).id)

    threads = [threading.Thread(target=starting, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engines[0]) as session:
        sweeps = session.exec(select(Job).where(Job.kind == SWEEP)).all()
    for engine in engines:
        engine.dispose()
    assert len(sweeps) == 1 and set(queued) == {sweeps[0].id}
