"""A worker on the durable work queue (`jobs`): it claims due jobs of the kinds it runs and
runs them one at a time, in a daemon thread or until none is left. A process runs one worker
per lane of work (`work.LANES`), so a slow kind (a receiver taking its time) never holds up
another (a translator's draft).

While a handler runs, the worker renews its lease on the job (whether or not the handler
reports progress), so only a worker that really stopped loses its job to another. A handler
that raises `jobs.GiveUp` is failed at once with its reason; any other that raises is
`jobs.fail`ed (retried later, or failed in words); one that returns is
`jobs.finish`ed with its outcome.
"""

import logging
import os
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Collection, Mapping
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from workflow.errors import LockstepError, plain_traceback
from workflow.jobs import (
    HEARTBEAT_EVERY,
    LEASE,
    LONGEST_POLL,
    GiveUp,
    Handler,
    LeaseLost,
    Progress,
    claim,
    fail,
    finish,
    give_up,
    heartbeat,
)
from workflow.models import Job, JobState

log = logging.getLogger(__name__)


def worker_name() -> str:
    """This worker's name: the machine, the process and a unique part (two in one process
    are two workers)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    """Claims due jobs of the kinds it runs (every kind it has a handler for, or those of
    `kinds`) and runs them, one at a time."""

    def __init__(
        self,
        engine: Engine,
        handlers: Mapping[str, Handler],
        *,
        kinds: Collection[str] | None = None,
        name: str | None = None,
        lease: timedelta = LEASE,
        poll: float = 1.0,
        observe: Progress | None = None,
    ) -> None:
        self.engine, self.handlers, self.observe = engine, dict(handlers), observe
        self.kinds = frozenset(self.handlers if kinds is None else kinds)
        assert self.kinds <= self.handlers.keys(), f"no handler for {self.kinds - handlers.keys()}"
        self.name, self.lease, self.poll = name or worker_name(), lease, poll
        self._stop, self._wake = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, only: int | None = None) -> Job | None:
        """Claim one due job and run it to its end; None when none was due."""
        with Session(self.engine, expire_on_commit=False) as session:
            job = claim(session, self.name, kinds=self.kinds, only=only, lease=self.lease)
        if job is None:
            return None
        assert job.id is not None
        self._run(job)
        return job

    def run_to_end(self, job_id: int, observe: Progress, poll: float = 0.5) -> Job:
        """Run this one job here whenever it can be claimed (now, after a retry's wait, or when
        another worker's lease ran out), else follow the worker that has it; the ended job."""
        while True:
            self.run_once(only=job_id)
            with Session(self.engine, expire_on_commit=False) as session:
                job = session.get(Job, job_id)
            if job is None:
                raise LockstepError(f"Job {job_id} does not exist (any more).")
            observe(job.done, job.total)
            if job.state in (JobState.DONE, JobState.FAILED):
                return job
            time.sleep(poll)

    def run_until_idle(self) -> int:
        """Run due jobs until none is left; how many ran."""
        ran = 0
        while self.run_once() is not None:
            ran += 1
        return ran

    def _run(self, job: Job) -> None:
        assert job.id is not None
        job_id = job.id
        done, lost = threading.Event(), threading.Event()
        keeper = threading.Thread(
            target=self._keep_lease,
            args=(job_id, done, lost),
            name=f"{WORKER_THREAD}{self.name}-lease",
            daemon=True,
        )
        keeper.start()
        try:
            self._run_held(job, self._progress(job_id, lost))
        finally:
            done.set()
            keeper.join()

    def _keep_lease(self, job_id: int, done: threading.Event, lost: threading.Event) -> None:
        """Renew the job's lease while its handler runs, whether or not it reports progress
        (an engine that keeps answering 429 may hold a run past the lease): only a worker
        that really stopped loses its job to another."""
        while not done.wait(self.lease.total_seconds() / 3):
            try:
                with Session(self.engine) as session:
                    held = heartbeat(session, job_id, self.name, lease=self.lease)
            except Exception:  # the database out of reach for a moment: try at the next beat
                log.warning("Could not renew the lease of job %s; trying again.", job_id)
                continue
            if not held:
                lost.set()
                return

    def _run_held(self, job: Job, progress: Progress) -> None:
        assert job.id is not None
        job_id = job.id
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                outcome = self.handlers[job.kind](session, job, progress)
            except LeaseLost:
                log.warning("Job %s was taken over by another worker; %s stops.", job_id, self.name)
                return
            except GiveUp as exc:
                session.rollback()
                log.warning("Job %s (%s) cannot succeed: %s", job_id, job.kind, exc)
                give_up(session, job_id, self.name, str(exc))
                return
            except LockstepError as exc:  # a failure the job foresaw, in words: no traceback
                session.rollback()
                log.warning("Job %s (%s) failed: %s", job_id, job.kind, exc)
                fail(session, job_id, self.name, str(exc))
                return
            except Exception as exc:
                session.rollback()
                log.error("Job %s (%s) failed:\n%s", job_id, job.kind, plain_traceback(exc))
                fail(session, job_id, self.name, _in_words(exc))
                return
            finish(session, job_id, self.name, outcome)

    def _progress(self, job_id: int, lost: threading.Event) -> Progress:
        """Progress for a handler: written (with the lease renewed) at most every second, and
        always at the end; raises LeaseLost when the job is no longer this worker's."""
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            if lost.is_set():
                raise LeaseLost(f"Job {job_id} is no longer this worker's.")
            if self.observe is not None:
                self.observe(done, total)
            now = time.monotonic()
            if done < total and now - last < HEARTBEAT_EVERY:
                return
            last = now
            with Session(self.engine) as session:
                held = heartbeat(
                    session, job_id, self.name, done=done, total=total, lease=self.lease
                )
            if not held:
                raise LeaseLost(f"Job {job_id} is no longer this worker's.")

        return progress

    def start(self) -> "Worker":
        """Run jobs in a daemon thread until `stop` (again, if it was stopped)."""
        if not self.running:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._loop, name=f"{WORKER_THREAD}{self.name}", daemon=True
            )
            self._thread.start()
            _started.add(self)
        return self

    def wake(self) -> None:
        """Look for work now, not at the next poll (after queuing a job in this process)."""
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        wait, said = self.poll, ""
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except LockstepError as exc:  # the database is gone or unusable: say it once, stop
                log.error("The worker %s stops: %s", self.name, exc)
                return
            except Exception as exc:
                # The database cannot be reached (a restart, a network fault): say so once,
                # and look again less and less often until it answers.
                fault = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                if fault != said:
                    log.error("The worker %s cannot claim jobs now: %s", self.name, fault)
                    said = fault
                wait = min(wait * 2, LONGEST_POLL)
                self._wake.wait(wait)
                self._wake.clear()
                continue
            wait, said = self.poll, ""
            if ran is None:
                self._wake.wait(self.poll)
                self._wake.clear()


WORKER_THREAD = "lockstep-worker-"  # how a worker's thread is named, before the worker's name
_started: "weakref.WeakSet[Worker]" = weakref.WeakSet()


def stop_workers(timeout: float = 5.0) -> None:
    """Stop every worker thread this process started (a test's end, an app's shutdown)."""
    for worker in list(_started):
        worker.stop(timeout)


def _in_words(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, LockstepError) else f"{type(exc).__name__}: {exc}"
