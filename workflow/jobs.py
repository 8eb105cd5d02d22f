"""The durable work queue: work that must not run inside a person's click (machine drafts,
webhook deliveries; notifications next), kept as `Job` rows in the desk's own database.

A job has a kind (which handler runs it), a JSON payload, a key (what it works on: a second
request for the same unfinished work returns the job already queued), a state, attempts, a
time before which it does not run (`run_after`, for retries), a lease, progress (done of
total) and what came of it (`result`, `error`).

Why not a library: the maintained Python task queues that keep jobs in a database serve one of
ours only (procrastinate and pgqueuer are PostgreSQL-only, huey's SQLite storage is
SQLite-only, huey's SQL storage brings a second ORM and its own consumer process, dj-queue is
Django's), and ours must run on the embedded SQLite file and on PostgreSQL alike.

How a job is taken, once, across processes:

- `claim` is one UPDATE of the row a sub-select picks, returning it. On PostgreSQL the
  sub-select is `FOR UPDATE SKIP LOCKED`: two workers claiming at once each get a different
  row, neither waits for the other. On SQLite the statement runs holding the database's one
  write lock (`BEGIN IMMEDIATE`), so claims simply take turns.
- The worker that claimed a job (`worker.Worker`) holds a lease on it (`lease_until`) and
  renews it as it reports progress (`heartbeat`). A worker that died stops renewing: once its
  lease has run out, any worker may claim the job again, as a new attempt. Every write a
  worker makes to its job checks that it still holds it, so a worker that lost its lease
  never overwrites the work of the one that took over.
- A handler that raises `GiveUp` fails its job at once, with the reason; any other that
  raises is retried later (after 5 s, 10 s, 20 s ...) until `max_attempts`;
  then the job is `FAILED` with the error in words. A job may carry its own `Retry` (in its
  payload, under `retry`): its first wait, its longest wait, and a time after which it is given
  up whatever its attempts (a webhook's delivery is tried for a day).
- Jobs with one key run in the order they were queued: `claim` takes none while an earlier
  job with its key is unfinished, running or queued for a retry (one story's events reach a
  receiver in order; one version's drafts never run two at once).
"""

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, text, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from workflow.errors import LockstepError
from workflow.import_policy import take_write_lock
from workflow.models import Job, JobState, utcnow
from workflow.models.base import as_utc

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)  # how long a worker may go without a heartbeat
RETRY_AFTER = timedelta(seconds=5)  # the first retry's wait; doubled for each later one
LONGEST_RETRY_WAIT = timedelta(minutes=10)
HEARTBEAT_EVERY = 1.0  # seconds between progress writes (the last one is always written)
LONGEST_POLL = 30.0  # seconds between looks for work while the database cannot be reached


class LeaseLost(Exception):
    """Another worker took this job over (this worker's lease ran out): stop working on it."""


class GiveUp(LockstepError):
    """A handler's word that its job can never succeed (a delivery whose webhook is gone):
    failed now with the reason, never retried."""


@dataclass(frozen=True)
class Outcome:
    """What a job came to: a summary for people, and what went wrong without failing it."""

    result: str
    error: str = ""


@dataclass(frozen=True)
class Retry:
    """A job's own retry policy: wait `first` seconds after the first failure, twice as long
    after each later one up to `longest`, the last wait shortened to end at `until` for one
    last attempt then; an attempt that fails at or after `until` gives the job up."""

    first: float
    longest: float
    until: datetime

    def as_payload(self) -> dict[str, Any]:
        return {"first": self.first, "longest": self.longest, "until": self.until.isoformat()}

    @classmethod
    def of(cls, job: Job) -> "Retry | None":
        """The policy a job carries, None when it takes the queue's own."""
        kept = job.payload.get("retry") if isinstance(job.payload, dict) else None
        if not isinstance(kept, dict):
            return None
        return cls(
            float(kept["first"]), float(kept["longest"]), datetime.fromisoformat(kept["until"])
        )


Progress = Callable[[int, int], None]  # (done, total); raises LeaseLost when the job moved on
Handler = Callable[[Session, Job, Progress], Outcome]


def enqueue(
    session: Session,
    kind: str,
    payload: Mapping[str, Any],
    *,
    key: str = "",
    max_attempts: int = 3,
    run_after: datetime | None = None,
) -> Job:
    """Queue a job now (or to run after `run_after`), or return the one still waiting with the
    same kind and key (asking twice for the same work queues it once)."""
    if key:
        # The check and the insert under one lock: SQLite's write lock, or on PostgreSQL a
        # lock on the key for this transaction (two processes asking at once queue it once).
        take_write_lock(session)
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
        # Only a job still waiting takes the request in: one already running read its work
        # when it started (a version's paragraphs), and what changed since needs a run of its
        # own, which `claim` starts once that one ends.
        waiting = _queued(session, kind, key)
        if waiting is not None:
            session.rollback()
            return waiting
    job = add_job(session, kind, payload, key=key, max_attempts=max_attempts, run_after=run_after)
    session.commit()
    session.refresh(job)
    return job


def add_job(
    session: Session,
    kind: str,
    payload: Mapping[str, Any],
    *,
    key: str = "",
    max_attempts: int = 3,
    run_after: datetime | None = None,
    retry: Retry | None = None,
) -> Job:
    """Add a job to the caller's transaction, without committing: it is queued when the change
    that asked for it commits, and never if that change is undone (an outbox). Unlike
    `enqueue`, a second job with the same key is queued after the first, never merged."""
    kept = dict(payload) | ({"retry": retry.as_payload()} if retry is not None else {})
    job = Job(
        kind=kind, key=key, payload=kept, max_attempts=max_attempts, run_after=run_after or utcnow()
    )
    session.add(job)
    return job


def add_jobs(
    session: Session,
    kind: str,
    work: Sequence[tuple[str, Mapping[str, Any]]],
    *,
    max_attempts: int = 3,
    run_after: datetime | None = None,
    retry: Retry | None = None,
) -> list[int]:
    """Add one job per (key, payload) to the caller's transaction, as `add_job` adds each, in
    one INSERT however many (an event for every webhook, a notification for every person);
    their ids, in the order of `work` (the queue runs one key's jobs in id order)."""
    if not work:
        return []
    now = utcnow()
    kept = {"retry": retry.as_payload()} if retry is not None else {}
    rows = [
        Job(
            kind=kind, key=key, payload=dict(payload) | kept, max_attempts=max_attempts,
            run_after=run_after or now, created_at=now,
        ).model_dump(exclude={"id"})
        for key, payload in work
    ]  # fmt: skip
    made = session.execute(insert(Job).values(rows).returning(col(Job.id))).all()
    # One VALUES list takes its ids in its order on SQLite and PostgreSQL alike; RETURNING
    # promises no order, so the ids are put back in theirs.
    return sorted(job_id for (job_id,) in made)


def unfinished(session: Session, kind: str, key: str) -> Job | None:
    """The queued or running job of this kind for this key, if there is one."""
    return session.exec(
        select(Job)
        .where(
            Job.kind == kind,
            Job.key == key,
            col(Job.state).in_([JobState.QUEUED, JobState.RUNNING]),
        )
        .order_by(col(Job.id))
        .execution_options(populate_existing=True)  # workers change jobs from other sessions
    ).first()


def _queued(session: Session, kind: str, key: str) -> Job | None:
    return session.exec(
        select(Job).where(Job.kind == kind, Job.key == key, Job.state == JobState.QUEUED)
    ).first()


def latest(session: Session, kind: str, key: str) -> Job | None:
    """The most recent job of this kind for this key, finished or not."""
    return session.exec(
        select(Job)
        .where(Job.kind == kind, Job.key == key)
        .order_by(col(Job.id).desc())
        .execution_options(populate_existing=True)
    ).first()


def claim(
    session: Session,
    worker: str,
    *,
    kinds: Collection[str] | None = None,
    only: int | None = None,
    lease: timedelta = LEASE,
) -> Job | None:
    """Take the next job that is due (or whose worker's lease ran out) for `worker`; None
    when there is none. `only` takes that one job or nothing."""
    now = utcnow()
    due = or_(
        (col(Job.state) == JobState.QUEUED) & (col(Job.run_after) <= now),
        (col(Job.state) == JobState.RUNNING) & (col(Job.lease_until) < now),
    )
    other = aliased(Job)
    key_busy = (
        select(other.id)
        .where(
            other.key == Job.key,
            other.id != Job.id,
            or_(
                # An earlier job of the key not over yet, even one waiting to retry: one
                # story's deliveries to a receiver go out in the order they happened.
                (col(other.id) < col(Job.id))
                & col(other.state).in_([JobState.QUEUED, JobState.RUNNING]),
                (col(other.state) == JobState.RUNNING) & (col(other.lease_until) >= now),
            ),
        )
        .exists()
    )
    # Jobs with one key (one version's drafts, one story's deliveries to one webhook) run one
    # at a time, in the order asked.
    pick = (
        select(Job.id)
        .where(due, (col(Job.key) == "") | ~key_busy)
        .order_by(col(Job.run_after), col(Job.id))
        .limit(1)
    )
    if kinds is not None:
        pick = pick.where(col(Job.kind).in_(list(kinds)))
    if only is not None:
        pick = pick.where(Job.id == only)
    postgres = session.get_bind().dialect.name == "postgresql"
    if session.exec(pick).first() is None:
        session.rollback()
        return None  # nothing due: an idle worker's look costs one read, never the write lock
    if postgres:
        pick = pick.with_for_update(skip_locked=True)
    else:
        take_write_lock(session)
    taken = session.exec(
        update(Job)
        .where(col(Job.id) == pick.scalar_subquery())
        .values(
            state=JobState.RUNNING,
            worker=worker,
            lease_until=now + lease,
            heartbeat_at=now,
            attempts=col(Job.attempts) + 1,
        )
        .returning(col(Job.id))
    ).first()
    session.commit()
    if taken is None:
        return None
    job = session.get(Job, taken[0], populate_existing=True)
    assert job is not None and job.id is not None
    if job.attempts > job.max_attempts:  # its workers kept dying (lease after lease ran out)
        _settle(session, job.id, worker, state=JobState.FAILED, error=_gave_up(job))
        return claim(session, worker, kinds=kinds, only=only, lease=lease)
    return job


def _gave_up(job: Job) -> str:
    return (
        f"Stopped after {job.max_attempts} attempts: the worker running it stopped "
        "(a restart or a crash) each time."
    )


def heartbeat(
    session: Session,
    job_id: int,
    worker: str,
    *,
    done: int | None = None,
    total: int | None = None,
    lease: timedelta = LEASE,
) -> bool:
    """Renew the worker's lease and note progress; False when the job is no longer this
    worker's."""
    now = utcnow()
    values: dict[str, Any] = {"lease_until": now + lease, "heartbeat_at": now}
    if done is not None:
        values["done"] = done
    if total is not None:
        values["total"] = total
    return _held_update(session, job_id, worker, values)


def finish(session: Session, job_id: int, worker: str, outcome: Outcome) -> bool:
    """Mark the job done with its outcome; False when it was no longer this worker's."""
    values = {"result": outcome.result, "error": outcome.error}
    return _settle(session, job_id, worker, state=JobState.DONE, **values)


def give_up(session: Session, job_id: int, worker: str, error: str) -> bool:
    """Fail the job now, with the reason, whatever attempts it has left (`GiveUp`). False
    when it was no longer this worker's."""
    return _settle(session, job_id, worker, state=JobState.FAILED, error=error)


def fail(session: Session, job_id: int, worker: str, error: str) -> bool:
    """After a failed attempt: queue the job again, later, or give up when it has had every
    attempt. False when the job was no longer this worker's."""
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:
        return False
    if job.attempts >= job.max_attempts:
        return _settle(session, job_id, worker, state=JobState.FAILED, error=error)
    retry = Retry.of(job)
    if retry is not None and utcnow() >= as_utc(retry.until):
        given_up = (
            f"Gave up after {job.attempts} attempts, the last at {utcnow():%Y-%m-%d %H:%M} UTC "
            f"(it was tried until {as_utc(retry.until):%Y-%m-%d %H:%M} UTC): {error}"
        )
        return _settle(session, job_id, worker, state=JobState.FAILED, error=given_up)
    first, longest = (
        (RETRY_AFTER, LONGEST_RETRY_WAIT)
        if retry is None
        else (timedelta(seconds=retry.first), timedelta(seconds=retry.longest))
    )
    wait = min(first * 2 ** max(job.attempts - 1, 0), longest)
    if retry is not None and utcnow() + wait > as_utc(retry.until):
        # The last wait ends at `until`, for one last attempt then: given up on time, never
        # a whole wait (an hour for a webhook) early.
        wait = as_utc(retry.until) - utcnow()
    values = {
        "state": JobState.QUEUED,
        "run_after": utcnow() + wait,
        "lease_until": None,
        "worker": None,
        "error": error,
    }
    return _held_update(session, job_id, worker, values)


def ran_out(job: Job) -> bool:
    """Whether a failed job failed for want of attempts or time (every attempt failed, or its
    worker stopped each time), rather than by its handler's word (`GiveUp`) with attempts and
    time to spare. A `GiveUp` on the very last attempt reads as running out: the queue keeps no
    other trace of it."""
    retry = Retry.of(job)
    ended = as_utc(job.finished_at) if job.finished_at is not None else utcnow()
    return job.attempts >= job.max_attempts or (retry is not None and ended >= as_utc(retry.until))


def _settle(session: Session, job_id: int, worker: str, *, state: JobState, **values: Any) -> bool:
    values |= {"state": state, "finished_at": utcnow(), "lease_until": None}
    return _held_update(session, job_id, worker, values)


def _held_update(session: Session, job_id: int, worker: str, values: dict[str, Any]) -> bool:
    """Change the job only while `worker` holds it (compare-and-set on the worker)."""
    changed = session.exec(
        update(Job)
        .where(
            col(Job.id) == job_id,
            col(Job.worker) == worker,
            col(Job.state) == JobState.RUNNING,
        )
        .values(**values)
        .returning(col(Job.id))
    ).first()
    session.commit()
    return changed is not None
