"""Delivering webhooks to a receiver on the loopback interface that checks signatures as a
CMS would: signed bodies, retries after an error or a timeout, a receiver down for an hour
that then gets every event once and in order per story, a delivery given up after a day, two
workers that never send one event twice, and nobody's click waiting on a receiver."""

import json
import socket
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text, update
from sqlmodel import Session, col, select

from tests.conftest import SEED_BYTES
from tests.webhook_receiver import receiver
from workflow import webhooks
from workflow.database import make_db_engine, open_database
from workflow.draft_jobs import enqueue_draft
from workflow.errors import InvalidTransition
from workflow.events import DELIVER, WebhookEvent, emit
from workflow.formats import ParsedStory, read_story_file
from workflow.jobs import claim
from workflow.models import Job, JobState, utcnow
from workflow.models.base import clock_at
from workflow.sources import update_source
from workflow.stories import import_story
from workflow.webhooks import (
    deactivate_webhook,
    delete_webhook,
    register_webhook,
    resend_delivery,
    signature_holds,
)
from workflow.work import all_handlers, lane_workers
from workflow.worker import Worker

SECRET = "the receiver knows this and nobody else"
EVENTS = ["story.imported", "english.corrected"]


def add_hook(session, url: str):
    return register_webhook(session, url=url, events=EVENTS, secret=SECRET, person=None)


def new_story(session, headline: str = "Council approves the budget"):
    parsed = ParsedStory(headline=headline, paragraphs=["The council met on Monday."])
    return import_story(session, parsed, person=None)


def correct(session, story, text: str) -> None:
    update_source(session, story_id=story.id, paragraphs=[story.headline, text], person=None)


def run(session) -> int:
    """Run every delivery due now, here; how many ran."""
    return Worker(session.get_bind(), all_handlers()).run_until_idle()


def jobs(session) -> list[Job]:
    query = select(Job).where(Job.kind == DELIVER).order_by(col(Job.id))
    return list(session.exec(query.execution_options(populate_existing=True)))


def due_now(session) -> None:
    """The retry's wait is over (as if its time had come)."""
    session.exec(update(Job).where(col(Job.state) == JobState.QUEUED).values(run_after=utcnow()))
    session.commit()


def test_a_delivery_is_signed_so_a_receiver_with_the_secret_can_verify_it(session):
    with receiver(SECRET) as got:
        add_hook(session, got.url)
        story = new_story(session)
        assert got.seen == []  # the import only queued it
        assert run(session) == 1
    (arrived,) = got.seen
    assert arrived.signed and arrived.event == "story.imported"
    body = json.loads(arrived.body)
    assert body["id"] == arrived.delivery and body["event"] == "story.imported"
    assert body["story"]["id"] == story.id
    assert not signature_holds("another secret", arrived.body, arrived.signature)
    assert not signature_holds(SECRET, arrived.body + b" ", arrived.signature)
    old = time.time() + 3600  # a delivery replayed an hour later is refused
    assert not signature_holds(SECRET, arrived.body, arrived.signature, now=old)
    (job,) = jobs(session)
    assert job.state is JobState.DONE and "answered 200" in job.result


def first_attempt(session, got, answers: list[int | float]) -> Job:
    """One event to `got`, which gives these answers in turn; its job after the first try."""
    left = iter(answers)
    got.answer = lambda: next(left)
    add_hook(session, got.url)
    new_story(session)
    run(session)
    (job,) = jobs(session)
    return job


def test_a_receiver_answering_500_gets_the_same_bytes_again_later(session):
    with receiver(SECRET) as got:
        job = first_attempt(session, got, [500, 200])
        assert job.state is JobState.QUEUED and job.attempts == 1
        assert job.error.endswith("answered 500 Internal Server Error.")
        wait = (job.run_after - job.created_at).total_seconds()
        assert 9 <= wait <= 11  # the first retry waits ten seconds
        assert run(session) == 0  # not before its time
        due_now(session)
        assert run(session) == 1
    first, second = got.seen
    assert (first.status, second.status) == (500, 200)
    assert first.body == second.body and first.delivery == second.delivery
    assert jobs(session)[0].state is JobState.DONE


def test_a_receiver_too_slow_to_answer_is_tried_again(session, monkeypatch):
    monkeypatch.setattr(webhooks, "TIMEOUT", 0.3)
    with receiver(SECRET) as got:
        job = first_attempt(session, got, [1.0, 200])
        assert job.state is JobState.QUEUED and "did not answer within 0.3 s" in job.error
        due_now(session)
        run(session)
    assert jobs(session)[0].state is JobState.DONE
    assert [r.delivery for r in got.accepted()] == [json.loads(job.payload["body"])["id"]]


def test_a_receiver_that_refuses_connections_is_tried_again(session):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    add_hook(session, f"http://127.0.0.1:{port}/hooks")
    new_story(session)
    run(session)
    (job,) = jobs(session)
    assert job.state is JobState.QUEUED and job.error.startswith("Could not connect to")


def test_a_receiver_down_for_an_hour_then_gets_every_event_once_in_order_per_story(session):
    start = utcnow()
    down = True
    with receiver(SECRET) as got:
        got.answer = lambda: 503 if down else 200
        add_hook(session, got.url)
        first, second = new_story(session, "First story"), new_story(session, "Second story")
        correct(session, first, "The council met on Tuesday.")
        correct(session, second, "The council met on Friday.")
        correct(session, first, "The council met on Wednesday.")
        order = {}  # each story's idempotency keys in the order its events happened
        for job in jobs(session):
            order.setdefault(job.payload["story_id"], []).append(job.payload["delivery"])

        moment = start
        while any(j.state is not JobState.DONE for j in jobs(session)):
            assert moment < start + timedelta(hours=4), [j.error for j in jobs(session)]
            down = moment < start + timedelta(hours=1)
            got.now = lambda at=moment: at.timestamp()  # the receiver's clock is the desk's
            with clock_at(moment):
                run(session)
            moment += timedelta(minutes=1)
    assert sum(r.status == 503 for r in got.seen) >= 10  # it was tried, and tried again
    accepted = got.accepted()
    assert all(r.signed for r in got.seen)
    keys = [r.delivery for r in accepted]
    assert len(keys) == len(set(keys)) == 5  # every event, once
    for story_id, expected in order.items():
        arrived = [k for k in keys if k in expected]
        assert arrived == expected, story_id  # in the order it happened


def test_a_delivery_is_given_up_a_day_after_its_event_with_the_reason(session):
    start = utcnow()
    with receiver(SECRET) as got:
        got.answer = lambda: 500
        add_hook(session, got.url)
        new_story(session)
        moment = start
        while jobs(session)[0].state is JobState.QUEUED and moment < start + timedelta(days=2):
            with clock_at(moment):
                run(session)
            moment += timedelta(minutes=30)
    (job,) = jobs(session)
    assert job.state is JobState.FAILED
    assert job.error.startswith("Gave up after") and "answered 500" in job.error
    assert timedelta(hours=23) <= moment - start <= timedelta(hours=25, minutes=30)
    waits = len(got.seen)
    assert 20 <= waits <= 40  # ten seconds doubling to an hour, not every half hour from start


def test_a_resent_delivery_carries_the_same_body_and_key(session, people):
    with receiver(SECRET) as got:
        add_hook(session, got.url)
        new_story(session)
        run(session)
        (sent,) = jobs(session)
        again = resend_delivery(session, sent.id, person=people["admin"])
        assert again.payload["body"] == sent.payload["body"]
        run(session)
    first, second = got.seen
    assert first.body == second.body and first.delivery == second.delivery


def test_nobody_waits_for_a_slow_receiver(db_url):
    engine = open_database(db_url)
    with receiver(SECRET) as got, Session(engine) as session:
        got.answer = lambda: 2.0  # answers, two seconds late
        add_hook(session, got.url)
        worker = Worker(engine, all_handlers(), poll=0.05).start()
        try:
            new_story(session)  # returns while the delivery has not even been answered
            assert got.seen == []
            assert jobs(session)[0].state in (JobState.QUEUED, JobState.RUNNING)
            deadline = time.monotonic() + 30
            while jobs(session)[0].state is not JobState.DONE:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        finally:
            worker.stop(10)
    engine.dispose()
    assert len(got.accepted()) == 1


def test_a_draft_queued_behind_a_slow_receiver_is_done_before_the_receiver_answers(
    db_url, monkeypatch
):
    """The app's workers, one per lane: a receiver that takes its time holds up the next
    delivery, never a translator's draft queued after it."""
    monkeypatch.setenv("LOCKSTEP_MT_ENGINE", "fake")
    engine = open_database(db_url)
    with receiver(SECRET) as got, Session(engine) as session:
        got.answer = lambda: 5.0  # answers, five seconds late
        add_hook(session, got.url)
        story = import_story(session, read_story_file(SEED_BYTES), person=None)
        draft = enqueue_draft(session, story_id=story.id, lang="ru", person=None)
        workers = lane_workers(engine, poll=0.05)
        for worker in workers.values():
            worker.start()
        try:
            deadline = time.monotonic() + 30
            while reloaded(session, draft.id).state is not JobState.DONE:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            (delivery,) = jobs(session)
            assert delivery.state is not JobState.DONE and got.accepted() == []
        finally:
            for worker in workers.values():
                worker.stop(10)
    engine.dispose()


def reloaded(session, job_id: int) -> Job:
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None
    return job


def test_two_workers_never_deliver_one_event_twice_and_keep_each_storys_order(db_url):
    """Two processes' workers at once (on PostgreSQL their claims skip each other's locked
    rows; on SQLite they take turns)."""
    setup = open_database(db_url)
    with receiver(SECRET) as got:
        with Session(setup) as session:
            add_hook(session, got.url)
            for n in range(6):
                story = new_story(session, f"Story {n}")
                correct(session, story, f"The council met {n} times.")
                correct(session, story, f"The council met {n + 1} times.")
            order: dict[int, list[str]] = {}
            for job in jobs(session):
                order.setdefault(job.payload["story_id"], []).append(job.payload["delivery"])
        engines = [make_db_engine(db_url, create=False) for _ in range(2)]
        workers = [Worker(e, all_handlers(), poll=0.02).start() for e in engines]
        deadline = time.monotonic() + 60
        try:
            with Session(setup) as session:
                while any(j.state is not JobState.DONE for j in jobs(session)):
                    assert time.monotonic() < deadline
                    threading.Event().wait(0.1)
                ran_by = {j.worker for j in jobs(session)}
        finally:
            for worker in workers:
                worker.stop(10)
            for e in engines:
                e.dispose()
    setup.dispose()
    keys = [r.delivery for r in got.seen]
    assert len(keys) == len(set(keys)) == 18  # once each
    for story_id, expected in order.items():
        assert [k for k in keys if k in expected] == expected, story_id
    assert len(ran_by) == 2  # both workers delivered


def taken_by_a_worker_that_then_stopped(session) -> Job:
    """A delivery a worker claimed and then stopped on: once its lease runs out, any worker
    takes it over (as the app's worker does after a restart)."""
    job = claim(session, "a worker that stopped")
    assert job is not None
    session.exec(update(Job).where(col(Job.id) == job.id).values(lease_until=utcnow()))
    session.commit()
    return job


@pytest.mark.parametrize("stop", ["deactivated", "removed"])
def test_a_delivery_whose_webhook_stopped_while_it_was_under_way_fails_unsent_in_words(
    session, people, stop
):
    with receiver(SECRET) as got:
        made = add_hook(session, got.url)
        new_story(session)
        taken_by_a_worker_that_then_stopped(session)
        if stop == "deactivated":
            deactivate_webhook(session, made.id, person=people["admin"])
        else:
            delete_webhook(session, made.id, person=people["admin"])
        run(session)
    assert got.seen == []
    (job,) = jobs(session)
    assert job.state is JobState.FAILED  # the page shows it Failed, never Delivered
    assert job.error == f"Not sent: the webhook was {stop}."
    (listed,) = webhooks.recent_deliveries(session)
    assert listed.state is JobState.FAILED and listed.error == job.error


def test_resending_to_a_deactivated_webhook_is_refused_in_words(session, people):
    with receiver(SECRET) as got:
        made = add_hook(session, got.url)
        new_story(session)
        run(session)
        deactivate_webhook(session, made.id, person=people["admin"])
        (sent,) = jobs(session)
        with pytest.raises(InvalidTransition, match="deactivated"):
            resend_delivery(session, sent.id, person=people["admin"])
    assert len(jobs(session)) == 1 and len(got.seen) == 1


def _waits_for_a_lock(session) -> bool:
    """Whether a transaction on this database waits for an advisory lock (PostgreSQL)."""
    query = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND "
        "database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    waiting = session.execute(query).scalar_one() > 0
    session.rollback()
    return waiting


def test_one_storys_events_reach_the_queue_in_the_order_their_changes_commit(db_url):
    """Two changes to one story at once: the second's event waits while the first's change is
    uncommitted, so a worker never sends the second before the first (on PostgreSQL two
    transactions can take ids in one order and commit in the other)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer: the second change cannot write before the first")
    engine = open_database(db_url)
    with Session(engine) as setup:
        story_id = new_story(setup).id
        add_hook(setup, "http://127.0.0.1:9/not-called-here")
    first, second = Session(engine), Session(engine)
    emit(first, WebhookEvent.ENGLISH_CORRECTED, story_id, {"change": 1})
    first.flush()  # its delivery has its id, and is not committed yet
    committed = threading.Event()

    def second_change() -> None:
        emit(second, WebhookEvent.ENGLISH_CORRECTED, story_id, {"change": 2})
        second.commit()
        committed.set()

    thread = threading.Thread(target=second_change)
    thread.start()
    try:
        with Session(engine) as look:
            deadline = time.monotonic() + 10
            while not committed.is_set() and not _waits_for_a_lock(look):
                assert time.monotonic() < deadline
                time.sleep(0.02)
            assert claim(look, "worker") is None  # the second's delivery is not there to take
            first.commit()
            thread.join(10)
            assert committed.is_set()
            taken = claim(look, "worker")
            assert taken is not None and json.loads(taken.payload["body"])["data"] == {"change": 1}
            assert [json.loads(j.payload["body"])["data"] for j in jobs(look)] == [
                {"change": 1},
                {"change": 2},
            ]
    finally:
        thread.join(10)
        first.close()
        second.close()
        engine.dispose()
