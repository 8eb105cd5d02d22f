"""Servers on this machine for tests that talk HTTP: a LibreTranslate-compatible one, for
end-to-end tests of drafting (with latency, a rate limit, or none at all: `down_url`), and any
other handler (`loopback_server`)."""

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Traffic:
    """What the server saw: the requests it answered, and how many it had at once."""

    received: list[dict[str, str]] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    refused: int = 0  # answered 429
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def arrive(self) -> int:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            return self.in_flight

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


@contextmanager
def libre_traffic(
    latency: float = 0.0,
    most_at_once: int | None = None,
    hold: threading.Event | None = None,
    held_at_most: float = 30.0,
) -> Iterator[tuple[str, Traffic]]:
    """Serve POST /translate on a free loopback port, answering each request after `latency`
    seconds (and not before `hold` is set, when given, or `held_at_most` seconds); with
    `most_at_once`, a request beyond that many in flight is refused with 429. Yields its URL
    and what it saw."""
    traffic = Traffic()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            fields = {k: v[0] for k, v in parse_qs(url.query or body).items()}
            if url.path != "/translate" or "q" not in fields:
                self._reply(404, {"error": "Not Found"})
                return
            at_once = traffic.arrive()
            try:
                if most_at_once is not None and at_once > most_at_once:
                    with traffic.lock:
                        traffic.refused += 1
                    self._reply(429, {"error": "Too many requests"})
                    return
                time.sleep(latency)
                if hold is not None:
                    hold.wait(held_at_most)
                with traffic.lock:
                    traffic.received.append(fields)
                self._reply(200, {"translatedText": f"[{fields['target']}] {fields['q']}"})
            finally:
                traffic.leave()

        def _reply(self, status: int, body: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    with loopback_server(Handler) as url:
        yield url, traffic


@contextmanager
def libre_server(latency: float = 0.0) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """Serve POST /translate on a free loopback port; yields its URL and the requests it got."""
    with libre_traffic(latency) as (url, traffic):
        yield url, traffic.received


def down_url() -> str:
    """The address of a loopback port nothing listens on: an engine that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class _Server(ThreadingHTTPServer):
    request_queue_size = 64  # a drafting run's requests arrive together
    daemon_threads = True


@contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free loopback port, in a thread; yields the server's URL."""
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
