"""Receivers: the outside addresses the desk POSTs JSON to (a webhook's URL, the desk's chat
channel), and `post_json`, the one way it calls them.

A receiver takes a POST when it answers 2xx. Anything else is `NotTaken`, said in words
naming the receiver as its caller calls it, and split by what the desk can know of it: the
request certainly never arrived, or was refused (`handed_over` False: send it again), or it
went out and no whole answer came (`handed_over` True: a timeout reading the answer, a hang-up,
or an answer that broke off; it may have arrived). A webhook's delivery is sent again either
way (its receivers expect duplicates, by the delivery's id); a chat message is not, once it may
have arrived, so nobody reads it twice.
"""

from collections.abc import Mapping

import requests
from urllib3.exceptions import ProtocolError

from workflow.errors import LockstepError


class NotTaken(LockstepError):
    """The receiver did not take the POST: why, in words; `handed_over` when the request went
    out and its answer never came (it may have arrived)."""

    def __init__(self, message: str, *, handed_over: bool = False) -> None:
        super().__init__(message)
        self.handed_over = handed_over


def post_json(
    url: str, body: bytes, headers: Mapping[str, str], *, called: str, timeout: float
) -> int:
    """POST the JSON `body` to `url` with `headers` (its content type added), following no
    redirect; the 2xx status it answered. `called` is how messages name the receiver ("the chat
    channel", or its URL); raises `NotTaken` otherwise."""
    sent = {"Content-Type": "application/json", **headers}
    name = called[:1].upper() + called[1:] if called.startswith("the ") else called
    try:
        answer = requests.post(url, data=body, headers=sent, timeout=timeout, allow_redirects=False)
    except requests.ConnectTimeout:
        raise NotTaken(f"{name} could not be reached within {timeout:g} s.") from None
    except requests.ReadTimeout:
        raise NotTaken(f"{name} did not answer within {timeout:g} s.", handed_over=True) from None
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
        # Its answer came and broke off as it was read: the POST arrived, whatever it said.
        raise NotTaken(f"{name} answered, but its answer broke off.", handed_over=True) from None
    except requests.ConnectionError as exc:
        if exc.args and isinstance(exc.args[0], ProtocolError):  # hung up on the request
            raise NotTaken(f"{name} hung up before answering.", handed_over=True) from None
        raise NotTaken(f"Could not connect to {called} (refused, or unreachable).") from None
    except requests.RequestException as exc:
        raise NotTaken(f"Could not call {called}: {type(exc).__name__}.") from None
    with answer:
        status, reason = answer.status_code, answer.reason or ""
    if not 200 <= status < 300:
        raise NotTaken(f"{name} answered {status} {reason}".rstrip() + ".")
    return status
