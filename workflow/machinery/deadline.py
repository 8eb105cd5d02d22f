"""How long an engine may take: a timeout for each read and a deadline for the whole call.

A timeout alone does not bound a call: an engine that sends one byte every few seconds never
lets a read time out, and held a draft for ten minutes. So every HTTP request made inside
`bounded(timeout, deadline)` (on that thread) waits at most `timeout` for any one read, and
its reply is read in pieces as they arrive, each read waiting no longer than the time left:
a reply not complete by the deadline is abandoned (`DeadlinePassed`, a `requests` Timeout).

What this does not cut at the deadline: the status line and headers, read by `http.client`
before the reply reaches us. A server that holds them back is bounded by the timeout (never
more than the time left when the request starts); one trickling its headers byte by byte is
bounded only per read.

deep-translator calls `requests.get`/`post` with neither a timeout nor any way to pass one, so
the bound is applied where every one of those calls passes, `requests.Session.request`, and
only inside `bounded`: every other caller of `requests` is untouched.
"""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import requests
import urllib3

from workflow.machinery.base import EngineTimeout, EngineUnreachable

_READ_SIZE = 64 * 1024


class DeadlinePassed(requests.exceptions.Timeout):
    """The engine's reply was not complete by the call's deadline."""


@dataclass(frozen=True)
class _Bound:
    timeout: float
    deadline: float  # a time.monotonic() reading
    seconds: float  # how long the whole call may take, to say so

    def left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DeadlinePassed(f"no full answer within {self.seconds:.0f} seconds")
        return left


_current = threading.local()
_original_request = getattr(
    requests.sessions.Session.request, "lockstep_original", requests.sessions.Session.request
)


@contextmanager
def bounded(timeout: float, deadline: float) -> Iterator[None]:
    """Within this block, this thread's HTTP requests end by `deadline` seconds from now."""
    previous = getattr(_current, "bound", None)
    _current.bound = _Bound(timeout, time.monotonic() + deadline, deadline)
    try:
        yield
    finally:
        _current.bound = previous


def _bounded_request(self: requests.Session, method: str, url: str, **kwargs: Any) -> Any:
    bound: _Bound | None = getattr(_current, "bound", None)
    if bound is None:
        return _original_request(self, method, url, **kwargs)
    if kwargs.get("timeout") is None:
        kwargs["timeout"] = min(bound.timeout, bound.left())
    streamed = kwargs.get("stream")
    kwargs["stream"] = True  # the reply is read here, piece by piece, against the deadline
    response = _original_request(self, method, url, **kwargs)
    if not streamed:
        try:
            _read_before_deadline(response, bound)
        finally:
            response.close()
    return response


def _read_before_deadline(response: requests.Response, bound: _Bound) -> None:
    """Read the whole reply into `response` as requests would, or raise `DeadlinePassed`."""
    raw = response.raw
    # The socket under the reply, when there is one (a mocked reply has none).
    sock: socket.socket | None = getattr(getattr(raw, "connection", None), "sock", None)
    pieces = []
    while True:
        left = bound.left()
        if sock is not None:
            # `read1` returns what has arrived; the socket waits at most the time left.
            sock.settimeout(min(bound.timeout, left))
        try:
            piece = raw.read1(_READ_SIZE, decode_content=True)
        except (TimeoutError, urllib3.exceptions.ReadTimeoutError):
            bound.left()  # the deadline passed while waiting: say that
            raise requests.exceptions.ReadTimeout(
                f"no answer within {bound.timeout:g} seconds"
            ) from None
        except Exception as exc:
            # What requests would raise for a reply that broke off or cannot be decoded.
            raise requests.exceptions.ConnectionError(str(exc)) from None
        if not piece:
            break
        pieces.append(piece)
    response._content = b"".join(pieces)
    response._content_consumed = True


# Installed once, however often this module is reloaded.
_bounded_request.lockstep_original = _original_request  # type: ignore[attr-defined]
requests.sessions.Session.request = _bounded_request  # type: ignore[method-assign, assignment]


def network_fault(
    exc: requests.exceptions.RequestException, label: str, timeout: float
) -> NoReturn:
    """Raise the engine fault that a network error (no connection, too slow) amounts to."""
    if isinstance(exc, DeadlinePassed):
        raise EngineTimeout(label, str(exc), "The engine is too slow; try again later.") from None
    if isinstance(exc, requests.exceptions.Timeout):
        raise EngineTimeout(
            label, f"no answer within {timeout:g} seconds", "Try again in a moment."
        ) from None
    raise EngineUnreachable(
        label, "cannot be reached", "Check the network or the engine's address."
    ) from None
