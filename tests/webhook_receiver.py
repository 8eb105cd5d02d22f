"""A webhook receiver on the loopback interface, for the delivery tests: it checks each
delivery's signature as a CMS would, and answers as told (2xx, an error, or too late)."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from workflow.webhooks import signature_holds


@dataclass
class Received:
    """One request as it arrived, and whether its signature held."""

    event: str
    delivery: str
    body: bytes
    signature: str
    signed: bool
    status: int


@dataclass
class Receiver:
    """What the receiver saw; `answer` says how it answers the next request (a status, or a
    delay in seconds before a 200), `now` is its clock for the signature's freshness."""

    secret: str
    url: str = ""
    answer: Callable[[], int | float] = lambda: 200
    now: Callable[[], float] = time.time
    seen: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted(self) -> list[Received]:
        """The deliveries it took (answered 2xx), in the order they arrived."""
        with self.lock:
            return [r for r in self.seen if 200 <= r.status < 300]


@contextmanager
def receiver(secret: str) -> Iterator[Receiver]:
    """A receiver listening on 127.0.0.1 (a free port) until the block ends."""
    got = Receiver(secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            header = self.headers.get("Lockstep-Signature", "")
            signed = signature_holds(got.secret, body, header, now=got.now())
            answer = got.answer()
            status = 200 if isinstance(answer, float) else answer
            if isinstance(answer, float):
                time.sleep(answer)
            event = self.headers.get("Lockstep-Event", "")
            delivery = self.headers.get("Lockstep-Delivery", "")
            with got.lock:
                got.seen.append(Received(event, delivery, body, header, signed, status))
            try:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:  # the desk stopped waiting (a timeout) and hung up
                pass

        def log_message(self, *args: object) -> None:
            pass  # quiet tests

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    got.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield got
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
