"""LibreTranslate, through our own small client: the key and the text go in the POST body.

deep-translator's client puts the key and the paragraph in the URL's query, where every proxy
and server log between the desk and the engine keeps them; it also lacks Ukrainian, which
LibreTranslate servers translate, and refuses an empty key (a self-hosted server often needs
none). The call is bounded like every engine call (`deadline.bounded`). Each thread that
calls it keeps its own HTTP session (a drafting run asks from several threads at once), so
its connection to the server is kept open between paragraphs where the server allows it.
"""

import ipaddress
import threading
from typing import Any
from urllib.parse import urlparse

import requests

from workflow.machinery.base import (
    Engine,
    EngineNotConfigured,
    EngineServerError,
    MalformedReply,
    RateLimited,
    UnsupportedLanguage,
)
from workflow.machinery.deadline import bounded, network_fault


class LibreEngine(Engine):
    """A LibreTranslate server: the public one, or the newsroom's own."""

    name, label, needs_url = "libre", "LibreTranslate", True

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self._local = threading.local()

    def _http(self) -> requests.Session:
        """This thread's HTTP session (requests' sessions are not shared between threads)."""
        http: requests.Session | None = getattr(self._local, "http", None)
        if http is None:
            http = self._local.http = requests.Session()
        return http

    @property
    def outside(self) -> bool:
        """A server on this machine or the newsroom's own network keeps embargoed text in."""
        host = urlparse(self.url).hostname or ""
        if host == "localhost":
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return True
        return not (address.is_loopback or address.is_private)

    def translate_piece(self, text: str, target: str) -> str:
        if not self.url:
            raise EngineNotConfigured(self.label, "no server address", "Set LOCKSTEP_MT_URL.")
        form = {"q": text, "source": "en", "target": target, "format": "text"}
        if self.key:
            form["api_key"] = self.key
        try:
            with bounded(self.timeout, self.deadline):
                reply = self._http().post(self.url.rstrip("/") + "/translate", data=form)
        except requests.exceptions.RequestException as exc:
            network_fault(exc, self.label, self.timeout)
        return self._read(reply, target)

    def _read(self, reply: requests.Response, target: str) -> str:
        """The translation in a reply, or the fault the reply reports."""
        try:
            body: Any = reply.json()
        except ValueError:
            body = None
        error = str(body.get("error", "")) if isinstance(body, dict) else ""
        if reply.status_code == 429:
            raise RateLimited(self.label, "too many requests for now", "Wait a minute, then retry.")
        if reply.status_code == 403 or (reply.status_code == 400 and "key" in error.lower()):
            raise EngineNotConfigured(
                self.label, "the key is missing or was refused", "An admin sets LOCKSTEP_MT_KEY."
            )
        if reply.status_code == 400 and "support" in error.lower():
            raise UnsupportedLanguage(self.label, f"does not translate into {target!r}")
        if reply.status_code >= 400:
            raise EngineServerError(
                self.label, f"the server answered with an error ({reply.status_code})"
            )
        translated = body.get("translatedText") if isinstance(body, dict) else None
        if not isinstance(translated, str):
            raise MalformedReply(self.label, "the reply could not be read")
        return translated
