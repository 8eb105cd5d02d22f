"""Servers on this machine for tests that talk HTTP: a LibreTranslate-compatible one, for
end-to-end tests of drafting, and any other handler (`loopback_server`)."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@contextmanager
def libre_server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """Serve POST /translate on a free loopback port; yields its URL and the requests it got."""
    received: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            fields = {k: v[0] for k, v in parse_qs(url.query or body).items()}
            if url.path != "/translate" or "q" not in fields:
                self.send_response(404)
                self.end_headers()
                return
            received.append(fields)
            reply = json.dumps({"translatedText": f"[{fields['target']}] {fields['q']}"})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(reply.encode())

        def log_message(self, *args: object) -> None:
            pass

    with loopback_server(Handler) as url:
        yield url, received


@contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free loopback port, in a thread; yields the server's URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
