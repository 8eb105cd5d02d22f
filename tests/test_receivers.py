"""The one way the desk POSTs JSON to a receiver (a webhook's URL, the chat channel): 2xx is
taken; anything else is said in words naming the receiver as its caller calls it, and a POST
that went out and got no answer is told apart from one that never arrived."""

import re
import socket
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.webhook_receiver import receiver
from workflow.notify import send
from workflow.receivers import NotTaken, post_json


@pytest.fixture(scope="module")
def closed_port() -> Iterator[int]:
    """A port nothing listens on, held bound (never listening) for the tests that use it, so no
    loopback server of another test can take it meanwhile: connecting is refused."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield int(held.getsockname()[1])


def test_a_receiver_that_answers_2xx_took_the_json_with_its_headers():
    with receiver("s" * 24) as got:
        status = post_json(
            got.url, b'{"a": 1}', {"Lockstep-Event": "story.created"}, called=got.url, timeout=5
        )
    (seen,) = got.seen
    assert status == 200 and seen.body == b'{"a": 1}' and seen.event == "story.created"


def test_an_error_answer_or_no_connection_never_arrived_and_is_said_with_the_callers_words(
    closed_port,
):
    with receiver("s" * 24) as got:
        got.answer = lambda: 503
        with pytest.raises(NotTaken, match=r"^The chat channel answered 503") as answered:
            post_json(got.url, b"{}", {}, called="the chat channel", timeout=5)
    url = f"http://127.0.0.1:{closed_port}/hooks"
    with pytest.raises(NotTaken, match=f"^Could not connect to {re.escape(url)} ") as refused:
        post_json(url, b"{}", {}, called=url, timeout=5)
    assert not answered.value.handed_over and not refused.value.handed_over


def test_a_receiver_too_slow_to_answer_may_have_taken_it_and_a_chat_message_is_not_sent_again(
    monkeypatch,
):
    monkeypatch.setattr(send, "TIMEOUT", 0.3)
    with receiver("s" * 24) as got:
        got.answer = lambda: 1.0
        with pytest.raises(NotTaken, match=r"did not answer within 0\.3 s") as slow:
            post_json(got.url, b"{}", {}, called=got.url, timeout=0.3)
        assert slow.value.handed_over
        with pytest.raises(send.MaybeSent, match=r"^The chat channel did not answer"):
            send.post_to_chat(got.url, "hello")


@settings(max_examples=50, deadline=None)
@given(path=st.text(max_size=60), typed=st.text(max_size=60).filter(lambda t: "://" not in t))
def test_any_address_is_taken_or_refused_in_words_never_an_error(closed_port, path, typed):
    """An address a person typed (a path on a port nothing listens on; text that is no address
    at all) is refused as `NotTaken`, in words naming it."""
    for url in (f"http://127.0.0.1:{closed_port}/{path}", typed):
        with pytest.raises(NotTaken) as refused:
            post_json(url, b"{}", {}, called=url, timeout=2)
        assert url in str(refused.value) or url[:1].upper() + url[1:] in str(refused.value)


def test_an_answer_that_breaks_off_as_it_is_read_means_the_post_arrived():
    """The receiver took the request and began to answer: a chat message is not sent again."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/hooks"

        def answer_then_break_off() -> None:
            conn, _ = server.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")

        thread = threading.Thread(target=answer_then_break_off, daemon=True)
        thread.start()
        with pytest.raises(NotTaken, match="broke off") as broken:
            post_json(url, b"{}", {}, called="the chat channel", timeout=5)
        thread.join(5)
    assert broken.value.handed_over
