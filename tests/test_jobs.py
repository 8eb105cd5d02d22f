"""The work queue: a job is claimed by one worker, survives a restart, is taken over when its
worker dies, retried when it fails, and never run twice by workers claiming at once."""

import ast
import io
import logging
import os
import threading
import time
from datetime import timedelta
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import Session

from tests.conftest import SEED_BYTES
from workflow.cli import main
from workflow.cli.jobs import ProgressLine
from workflow.database import make_db_engine, open_database
from workflow.draft_jobs import enqueue_draft
from workflow.formats import read_story_file
from workflow.jobs import (
    Outcome,
    Retry,
    add_job,
    add_jobs,
    claim,
    enqueue,
    fail,
    finish,
    heartbeat,
)
from workflow.machinery.pool import pool_size
from workflow.models import Job, JobState, utcnow
from workflow.models.base import as_utc, clock_at
from workflow.notify.send import NotSent
from workflow.stories import import_story
from workflow.worker import Worker


def reloaded(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None
    return job


def lease_runs_out(session: Session, job_id: int) -> None:
    """As if the worker holding the job stopped renewing its lease a while ago."""
    moment = utcnow() - timedelta(seconds=1)
    session.exec(update(Job).where(Job.id == job_id).values(lease_until=moment))  # type: ignore[call-overload]
    session.commit()


def test_a_claimed_job_is_no_other_workers(session):
    job = enqueue(session, "note", {"text": "hello"})
    taken = claim(session, "first")
    assert taken is not None and taken.id == job.id
    assert (taken.state, taken.worker, taken.attempts) == (JobState.RUNNING, "first", 1)
    assert claim(session, "second") is None


def test_asking_twice_for_the_same_work_queues_it_once(session):
    first = enqueue(session, "draft", {"story_id": 1}, key="story:1:ru")
    again = enqueue(session, "draft", {"story_id": 1}, key="story:1:ru")
    other = enqueue(session, "draft", {"story_id": 1}, key="story:1:uk")
    assert again.id == first.id and other.id != first.id


def test_a_job_whose_worker_died_is_taken_over_and_the_dead_worker_writes_nothing(session):
    job = enqueue(session, "note", {})
    claim(session, "dies")
    assert claim(session, "survivor") is None  # the lease still holds
    lease_runs_out(session, job.id)

    taken = claim(session, "survivor")

    assert taken is not None and (taken.worker, taken.attempts) == ("survivor", 2)
    # The first worker wakes up: its progress and its end are no longer written.
    assert not heartbeat(session, job.id, "dies", done=5, total=5)
    assert not finish(session, job.id, "dies", Outcome("done by the dead"))
    assert finish(session, job.id, "survivor", Outcome("done"))
    assert (reloaded(session, job.id).state, reloaded(session, job.id).result) == (
        JobState.DONE,
        "done",
    )


def test_a_job_whose_workers_keep_dying_fails_in_words(session):
    job = enqueue(session, "note", {}, max_attempts=2)
    for worker in ("one", "two"):
        assert claim(session, worker) is not None
        lease_runs_out(session, job.id)
    assert claim(session, "three") is None
    failed = reloaded(session, job.id)
    assert failed.state is JobState.FAILED and "Stopped after 2 attempts" in failed.error


def test_a_failed_attempt_is_retried_later_then_given_up(session):
    job = enqueue(session, "note", {}, max_attempts=2)
    claim(session, "w")
    assert fail(session, job.id, "w", "the server said no")
    waiting = reloaded(session, job.id)
    assert waiting.state is JobState.QUEUED and waiting.error == "the server said no"
    assert waiting.run_after > utcnow()  # not at once
    assert claim(session, "w") is None

    session.exec(update(Job).values(run_after=utcnow()))  # type: ignore[call-overload]
    session.commit()
    claim(session, "w")
    assert fail(session, job.id, "w", "still no")
    assert reloaded(session, job.id).state is JobState.FAILED


def test_a_worker_retries_a_handler_that_raises_and_notes_progress(session):
    calls = []

    def flaky(session: Session, job: Job, progress) -> Outcome:
        calls.append(job.attempts)
        progress(1, 2)
        if len(calls) == 1:
            raise RuntimeError("a passing fault")
        progress(2, 2)
        return Outcome("both done")

    job = enqueue(session, "flaky", {})
    worker = Worker(session.get_bind(), {"flaky": flaky})
    worker.run_until_idle()
    assert reloaded(session, job.id).error == "RuntimeError: a passing fault"
    session.exec(update(Job).values(run_after=utcnow()))  # type: ignore[call-overload]
    session.commit()

    assert worker.run_until_idle() == 1
    done = reloaded(session, job.id)
    assert calls == [1, 2]
    assert (done.state, done.done, done.total, done.result) == (JobState.DONE, 2, 2, "both done")


def test_a_foreseen_failure_is_logged_in_one_line_and_an_unforeseen_one_with_its_traceback(
    session, caplog
):
    """A mail server down for an hour retries its news a dozen times: the operator's log says
    so in a line each, and keeps tracebacks for what nobody foresaw."""

    def down(session: Session, job: Job, progress) -> Outcome:
        raise NotSent("Could not connect to the mail server (refused, or unreachable).")

    def broken(session: Session, job: Job, progress) -> Outcome:
        return Outcome(f"story {job.payload['story_id']}")  # a KeyError mid-line

    enqueue(session, "down", {})
    enqueue(session, "broken", {})
    parse, parsed_in = ast.parse, []

    def parse_noting_the_thread(*args, **kwargs):
        parsed_in.append(threading.current_thread().name)
        return parse(*args, **kwargs)

    with (
        caplog.at_level(logging.WARNING, logger="workflow.worker"),
        mock.patch.object(ast, "parse", parse_noting_the_thread),
    ):
        worker = Worker(session.get_bind(), {"down": down, "broken": broken}).start()
        for _ in range(100):
            if len([r for r in caplog.records if "failed" in r.getMessage()]) == 2:
                break
            time.sleep(0.05)
        worker.stop()
    # Python 3.11's ast.parse is not thread-safe (CPython gh-106905) and Streamlit parses
    # every page it runs: a worker thread's log must never call it.
    assert parsed_in == []
    (foreseen,) = [r for r in caplog.records if "(down)" in r.getMessage()]
    assert foreseen.getMessage().endswith("failed: Could not connect to the mail server "
                                          "(refused, or unreachable).")  # fmt: skip
    assert "Traceback" not in foreseen.getMessage() and foreseen.levelno == logging.WARNING
    (unforeseen,) = [r for r in caplog.records if "(broken)" in r.getMessage()]
    assert "Traceback" in unforeseen.getMessage() and "KeyError" in unforeseen.getMessage()


def test_a_worker_that_lost_its_lease_stops_at_its_next_progress(session):
    reached = []

    def slow(session: Session, job: Job, progress) -> Outcome:
        lease_runs_out(session, job.id)
        claim(session, "other")  # another worker takes the job over meanwhile
        progress(1, 1)
        reached.append("after progress")
        return Outcome("done twice")

    job = enqueue(session, "slow", {})
    Worker(session.get_bind(), {"slow": slow}).run_until_idle()
    taken = reloaded(session, job.id)
    assert reached == [] and (taken.worker, taken.state) == ("other", JobState.RUNNING)


def test_queued_jobs_survive_a_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    before = open_database(url)
    with Session(before) as session:
        job = enqueue(session, "note", {"text": "kept"})
    before.dispose()  # the process ends

    after = make_db_engine(url, create=False)
    ran = []
    worker = Worker(after, {"note": lambda s, j, p: ran.append(j.payload) or Outcome("noted")})
    assert worker.run_until_idle() == 1
    with Session(after) as session:
        assert reloaded(session, job.id).state is JobState.DONE
    after.dispose()
    assert ran == [{"text": "kept"}]


def test_a_worker_thread_runs_what_is_queued_until_stopped(session):
    done = threading.Event()
    job = enqueue(session, "note", {})
    worker = Worker(session.get_bind(), {"note": lambda s, j, p: done.set() or Outcome("ok")})
    worker.start()
    try:
        assert done.wait(10)
    finally:
        worker.stop(10)
    assert not worker.running
    assert reloaded(session, job.id).state is JobState.DONE  # the run ends before the stop


def test_workers_claiming_at_once_never_take_one_job_twice(db_url):
    setup = open_database(db_url)
    with Session(setup) as session:
        queued = {enqueue(session, "note", {"n": n}).id for n in range(60)}
    setup.dispose()
    taken: dict[str, list[int]] = {}
    start = threading.Barrier(3)

    def work(name: str) -> None:
        engine = make_db_engine(db_url, create=False)  # a process of its own, as it were
        mine = taken.setdefault(name, [])
        start.wait()
        with Session(engine) as session:
            while (job := claim(session, name)) is not None:
                mine.append(job.id)
        engine.dispose()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    claimed = [job_id for ids in taken.values() for job_id in ids]
    assert sorted(claimed) == sorted(queued)  # every job once, none twice
    assert sum(bool(ids) for ids in taken.values()) >= 2  # and they really took turns


def test_a_run_that_reports_nothing_for_longer_than_its_lease_keeps_its_job(db_url):
    """An engine answering 429 over and over can hold a run past its lease with no progress
    to report: the worker still renews its lease, so no other worker starts the job again."""
    setup = open_database(db_url)
    with Session(setup) as session:
        job = enqueue(session, "slow", {}).id
    setup.dispose()
    engine = make_db_engine(db_url, create=False)
    others: list[Job | None] = []

    def slow(session: Session, job: Job, progress) -> Outcome:
        another_process = make_db_engine(db_url, create=False)
        with Session(another_process) as elsewhere:
            for _ in range(3):  # three leases long, and not one progress report
                threading.Event().wait(0.5)
                others.append(claim(elsewhere, "other", lease=timedelta(seconds=0.5)))
        another_process.dispose()
        return Outcome("finished by its own worker")

    Worker(engine, {"slow": slow}, lease=timedelta(seconds=0.5)).run_until_idle()
    with Session(engine) as session:
        ended = reloaded(session, job)
    engine.dispose()
    assert others == [None, None, None]
    assert (ended.state, ended.attempts, ended.result) == (
        JobState.DONE,
        1,
        "finished by its own worker",
    )


def test_asking_again_while_a_run_is_under_way_queues_one_more_run_after_it(session):
    """The running job read its work when it started; what changed since gets a run of its own,
    once that one has ended (one version's drafts never run two at once)."""
    first = enqueue(session, "draft", {}, key="story:1:uk")
    assert claim(session, "worker") is not None
    again = enqueue(session, "draft", {}, key="story:1:uk")
    assert again.id != first.id and again.state is JobState.QUEUED
    assert enqueue(session, "draft", {}, key="story:1:uk").id == again.id
    assert claim(session, "another") is None  # not while the first one runs
    finish(session, first.id, "worker", Outcome("done"))
    taken = claim(session, "another")
    assert taken is not None and taken.id == again.id


@given(st.text(max_size=20))
def test_the_number_of_engine_requests_in_flight_never_fails_on_what_an_operator_typed(typed):
    os.environ["LOCKSTEP_DRAFT_WORKERS"] = typed.replace("\x00", "")
    try:
        assert pool_size() >= 1
    finally:
        del os.environ["LOCKSTEP_DRAFT_WORKERS"]


def test_progress_on_a_terminal_is_one_bar_redrawn_and_plain_lines_elsewhere():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, log = Terminal(), io.StringIO()
    for done in range(0, 21):
        ProgressLine("Russian", terminal)(done, 20)
        ProgressLine("Russian", log)(done, 20) if done in (0, 20) else None
    assert terminal.getvalue().count("\r") == 21 and terminal.getvalue().endswith("20/20\n")
    assert "\r" not in log.getvalue() and log.getvalue().endswith("Russian: 20 of 20 paragraphs\n")


def test_the_worker_command_runs_queued_drafts_until_none_is_left(db_url, capsys, monkeypatch):
    monkeypatch.setenv("LOCKSTEP_MT_ENGINE", "fake")
    engine = open_database(db_url)
    with Session(engine) as session:
        story = import_story(session, read_story_file(SEED_BYTES), person=None)
        job_id = enqueue_draft(session, story_id=story.id, lang="ru", person=None).id
        enqueue(session, "notify", {})  # a kind no worker has a handler for yet: left alone
    engine.dispose()

    assert main(["worker", "--until-idle"]) == 0

    assert "Ran 1 jobs" in capsys.readouterr().out
    engine = open_database(db_url)
    with Session(engine) as session:
        ended = reloaded(session, job_id)
    engine.dispose()
    assert ended.state is JobState.DONE and "13 drafted" in ended.result


def test_a_later_job_of_a_key_waits_while_an_earlier_one_waits_to_retry(session):
    """One story's deliveries to one receiver go out in order: the second waits for the
    first, even while the first is only queued for a retry, and jobs of other keys go on."""
    first = add_job(session, "webhook", {}, key="webhook:1:story:1")
    second = add_job(session, "webhook", {}, key="webhook:1:story:1")
    other = add_job(session, "webhook", {}, key="webhook:1:story:2")
    session.commit()
    assert claim(session, "worker").id == first.id
    fail(session, first.id, "worker", "The receiver answered 503.")  # queued to retry later
    assert claim(session, "worker").id == other.id  # not the second: the first is unfinished
    assert claim(session, "worker") is None
    session.exec(update(Job).where(Job.id == first.id).values(run_after=utcnow()))
    session.commit()
    assert claim(session, "worker").id == first.id
    finish(session, first.id, "worker", Outcome("delivered"))
    assert claim(session, "worker").id == second.id


def test_a_job_tried_until_a_time_gets_its_last_attempt_at_that_time_not_a_wait_early(session):
    """A retry policy's longest wait (an hour) would pass `until` 40 minutes from now: the
    wait is shortened to end at `until`, one last attempt runs then, and only its failure
    gives the job up."""
    start = utcnow() + timedelta(seconds=1)  # the job is due
    until = start + timedelta(minutes=40)
    retry = Retry(first=3600, longest=3600, until=until)
    job = add_job(session, "note", {}, max_attempts=100, retry=retry)
    session.commit()
    with clock_at(start):
        claim(session, "w")
        assert fail(session, job.id, "w", "the receiver answered 503")
    waiting = reloaded(session, job.id)
    assert waiting.state is JobState.QUEUED
    assert as_utc(waiting.run_after) == until  # the last wait ends at `until`, not before
    with clock_at(until - timedelta(seconds=1)):
        assert claim(session, "w") is None
    with clock_at(until):
        assert claim(session, "w").id == job.id
    with clock_at(until + timedelta(seconds=2)):
        assert fail(session, job.id, "w", "the receiver answered 503 again")
    given_up = reloaded(session, job.id)
    assert given_up.state is JobState.FAILED and given_up.attempts == 2
    assert given_up.error.startswith("Gave up after 2 attempts")


def test_jobs_added_in_bulk_are_one_insert_queued_in_the_order_given(session):
    from sqlalchemy import event

    statements = []
    engine = session.get_bind()

    def count(*_args: object) -> None:
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        ids = add_jobs(session, "demo", [(f"key {n}", {"n": n}) for n in range(5)], run_after=None)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    session.commit()
    assert len(statements) == 1
    assert [reloaded(session, job_id).payload["n"] for job_id in ids] == [0, 1, 2, 3, 4]
    assert [reloaded(session, job_id).key for job_id in ids] == [f"key {n}" for n in range(5)]
    assert add_jobs(session, "demo", []) == []
