"""An engine that trickles its reply is refused at the call's deadline, not when it finishes.

A real server on the loopback interface (no internet), talking through real sockets, and the
engines' real code paths: deep-translator's for Google, our own client for LibreTranslate.
"""

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

import pytest
import requests
from deep_translator import GoogleTranslator

from tests.libre_server import loopback_server
from workflow.machinery.base import EngineTimeout
from workflow.machinery.deep import GoogleEngine
from workflow.machinery.libre import LibreEngine

TEXT = "This is reported by CNN."


@contextmanager
def engine_server(body: bytes, *, pause: float) -> Iterator[str]:
    """A server that answers every request with `body`, one byte every `pause` seconds."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for byte in body if pause else [body]:
                    self.wfile.write(bytes([byte]) if pause else byte)
                    self.wfile.flush()
                    time.sleep(pause)
            except OSError:
                pass  # the desk gave up and hung up: as it should

        do_GET = do_POST = _reply

        def log_message(self, *args: object) -> None:
            pass

    with loopback_server(Handler) as url:
        yield url


class LoopbackGoogle(GoogleEngine):
    """Google Translate through deep-translator's own code, pointed at the loopback server."""

    def __init__(self, url: str, **settings: float) -> None:
        super().__init__(**settings)
        self.server = url

    def make(self, target: str) -> GoogleTranslator:
        translator = GoogleTranslator(source="en", target=target)
        translator._base_url = self.server + "/m"
        return translator


GOOGLE_PAGE = '<html><body><div class="result-container">Об этом сообщает CNN.</div></body></html>'
LIBRE_REPLY = json.dumps({"translatedText": "Об этом сообщает CNN."})


def _engine(name: str, url: str, **bounds: float):
    return LoopbackGoogle(url, **bounds) if name == "google" else LibreEngine(url=url, **bounds)


@pytest.mark.parametrize("name", ["google", "libre"])
def test_a_trickling_engine_is_refused_in_words_at_the_deadline(name):
    reply = (GOOGLE_PAGE if name == "google" else LIBRE_REPLY).encode()
    # One byte every 0.2 s: no read ever times out, and the whole reply would take 15 s or more.
    with engine_server(reply, pause=0.2) as url:
        started = time.monotonic()
        with pytest.raises(EngineTimeout) as refused:
            _engine(name, url, timeout=1.0, deadline=2.0).translate(TEXT, "ru")
        took = time.monotonic() - started
    assert took < 3.0
    assert "no full answer within 2 seconds" in str(refused.value)
    assert "too slow" in str(refused.value)


@pytest.mark.parametrize("name", ["google", "libre"])
def test_a_prompt_engine_translates_through_the_bounded_reading(name):
    reply = (GOOGLE_PAGE if name == "google" else LIBRE_REPLY).encode()
    with engine_server(reply, pause=0) as url:
        assert _engine(name, url).translate(TEXT, "ru") == "Об этом сообщает CNN."


def test_a_reply_in_small_pieces_within_the_deadline_is_kept():
    # One byte every 30 ms: the whole reply in under a second, well within the deadline.
    with engine_server(b'{"translatedText": "ok"}', pause=0.03) as url:
        assert LibreEngine(url=url, timeout=1.0, deadline=5.0).translate(TEXT, "ru") == "ok"


def test_requests_outside_an_engine_call_are_not_bounded():
    with engine_server(b"plain", pause=0) as url:
        assert requests.get(url, timeout=5).text == "plain"


def test_a_version_drafted_from_a_trickling_engine_stops_at_the_deadline_and_says_so(
    session, story
):
    from workflow.drafts import draft_version

    with engine_server(LIBRE_REPLY.encode(), pause=0.2) as url:
        started = time.monotonic()
        report = draft_version(
            session, story_id=story.id, lang="ru", person=None,
            engine=LibreEngine(url=url, timeout=1.0, deadline=2.0),
        )  # fmt: skip
        took = time.monotonic() - started
    assert took < 3.0  # the first paragraph's deadline, then no more is sent
    assert isinstance(report.fault, EngineTimeout)
    assert "no full answer within 2 seconds" in report.summary()
    assert report.drafted == 0 and report.left == report.paragraphs
