"""A mail server on the loopback interface (aiosmtpd), for the notification tests: it keeps
what it accepts, refuses addresses as told, and can go down and come back on its port."""

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    """What the server accepted; `refuse` maps an address to the answer its RCPT gets."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    controller: Controller | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def up(self) -> None:
        """Listen (again) on the inbox's port."""
        assert self.controller is None
        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()

    def down(self) -> None:
        """Stop listening: the desk's connections are refused."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def inbox(monkeypatch: Any, *, running: bool = True) -> Iterator[Inbox]:
    """A mail server on a free port, and the desk's settings pointing at it."""
    got = Inbox(port=free_port())
    monkeypatch.setenv("LOCKSTEP_SMTP_HOST", got.host)
    monkeypatch.setenv("LOCKSTEP_SMTP_PORT", str(got.port))
    monkeypatch.setenv("LOCKSTEP_SMTP_SECURITY", "none")
    monkeypatch.setenv("LOCKSTEP_SMTP_FROM", "desk@lockstep.test")
    if running:
        got.up()
    try:
        yield got
    finally:
        got.down()
