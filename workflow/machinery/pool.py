"""Several engine requests in flight at once, within bounds.

A drafting run asks the engine for hundreds of paragraphs; one at a time, a 300 ms engine
takes two minutes for a long story in two languages. `EnginePool` keeps up to `size`
requests in flight (`LOCKSTEP_DRAFT_WORKERS`, default 8), each thread with its own HTTP
connection, each request still bounded by the engine's timeout and deadline.

- Rate limits slow the pool down, they do not end the run: a request refused with 429 is
  asked again after a pause that doubles while refusals go on, and the number of requests
  allowed in flight is halved; it grows back by one after that many answers in a row.
- Any other fault that says the engine cannot serve us now (unreachable, too slow, refused
  key, language not offered, server error) stops sending: requests not yet sent are answered
  at once with that fault (`Answer.sent` False), so a run with the engine down ends quickly
  and its report says how many paragraphs the engine could not do, and why.
- A reply that cannot be read concerns its paragraph only: the others go on.

The pool only talks to the engine. Its caller writes the answers (on its own thread, the one
that holds the database session), as they arrive (`answers`, `ready`).
"""

import os
import queue
import threading
import time
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from workflow.machinery.base import Engine, MachineryError, MalformedReply, RateLimited

DEFAULT_WORKERS = 8


def pool_size() -> int:
    """How many engine requests a drafting run keeps in flight (`LOCKSTEP_DRAFT_WORKERS`)."""
    try:
        return max(1, int(os.environ.get("LOCKSTEP_DRAFT_WORKERS", DEFAULT_WORKERS)))
    except ValueError:
        return DEFAULT_WORKERS


@dataclass(frozen=True)
class Answer:
    """The engine's answer to one request: its text, or the fault that kept it."""

    key: Hashable
    text: str | None
    fault: MachineryError | None = None
    sent: bool = True  # False: never sent, because the engine had failed before


@dataclass
class _Request:
    key: Hashable
    text: str
    lang: str
    refusals: int = 0  # rate-limit refusals so far


class _Gate:
    """How many requests may be in flight now, and until when everyone waits (rate limits)."""

    def __init__(self, size: int) -> None:
        self.size = self.allowed = size
        self.in_flight = 0
        self.resume_at = 0.0
        self.streak = 0  # answers in a row since the last refusal
        self.most_in_flight = 0
        self._lock = threading.Condition()

    def enter(self) -> None:
        with self._lock:
            while True:
                wait = self.resume_at - time.monotonic()
                if wait <= 0 and self.in_flight < self.allowed:
                    break
                self._lock.wait(wait if wait > 0 else None)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def leave(self, *, refused_for: float | None = None) -> None:
        with self._lock:
            self.in_flight -= 1
            if refused_for is not None:
                self.allowed = max(1, self.allowed // 2)
                self.resume_at = max(self.resume_at, time.monotonic() + refused_for)
                self.streak = 0
            else:
                self.streak += 1
                if self.streak >= self.allowed and self.allowed < self.size:
                    self.allowed += 1
                    self.streak = 0
            self._lock.notify_all()


class EnginePool:
    """Up to `size` threads asking one engine; answers come back in the order they arrive."""

    first_pause = 0.5  # seconds after the first rate-limit refusal; doubled for each more
    longest_pause = 30.0
    most_refusals = 8  # a request refused this often is answered with the rate-limit fault

    def __init__(self, engine: Engine, size: int | None = None) -> None:
        self.engine = engine
        self.size = size or pool_size()
        self.gate = _Gate(self.size)
        self.refusals = 0  # rate-limit refusals over the run
        self.broken: MachineryError | None = None  # the fault that stopped sending
        self._closing = False  # the caller stopped (an error, a job taken over): send no more
        self._requests: queue.Queue[_Request | None] = queue.Queue()
        self._answers: queue.Queue[Answer] = queue.Queue()
        self._pending = 0
        self._threads = [
            threading.Thread(target=self._serve, name=f"engine-{i}", daemon=True)
            for i in range(self.size)
        ]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> "EnginePool":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def submit(self, key: Hashable, text: str, lang: str) -> None:
        """Ask for `text` in `lang`; its answer comes back with `key`."""
        self._pending += 1
        self._requests.put(_Request(key, text, lang))

    @property
    def pending(self) -> int:
        """Requests submitted and not yet taken back as answers."""
        return self._pending

    def ready(self) -> list[Answer]:
        """The answers that have arrived, without waiting."""
        found = []
        while True:
            try:
                found.append(self._answers.get_nowait())
            except queue.Empty:
                break
        self._pending -= len(found)
        return found

    def answers(self) -> Iterator[Answer]:
        """Every answer still to come, as it arrives."""
        while self._pending:
            answer = self._answers.get()
            self._pending -= 1
            yield answer

    def close(self) -> None:
        """Stop: requests not yet sent are not sent; those in flight end within their bound."""
        self._closing = True
        for _ in self._threads:
            self._requests.put(None)
        for thread in self._threads:
            thread.join()

    def _serve(self) -> None:
        while (request := self._requests.get()) is not None:
            if self._closing:
                continue
            if self.broken is not None:
                self._answers.put(Answer(request.key, None, self.broken, sent=False))
                continue
            self.gate.enter()
            try:
                text = self.engine.translate(request.text, request.lang)
            except RateLimited as fault:
                self._refused(request, fault)
            except MalformedReply as fault:
                self.gate.leave()
                self._answers.put(Answer(request.key, None, fault))
            except MachineryError as fault:
                self.gate.leave()
                self.broken = self.broken or fault
                self._answers.put(Answer(request.key, None, fault))
            except Exception as exc:  # a bug in an engine must not hang the run
                self.gate.leave()
                bug = MachineryError(self.engine.label, f"failed ({type(exc).__name__})")
                self.broken = self.broken or bug
                self._answers.put(Answer(request.key, None, bug))
            else:
                self.gate.leave()
                self._answers.put(Answer(request.key, text))

    def _refused(self, request: _Request, fault: RateLimited) -> None:
        self.refusals += 1
        request.refusals += 1
        pause = min(self.first_pause * 2 ** (request.refusals - 1), self.longest_pause)
        self.gate.leave(refused_for=pause)
        if request.refusals >= self.most_refusals:
            self._answers.put(Answer(request.key, None, fault))
        else:
            self._requests.put(request)  # asked again once the pause is over
