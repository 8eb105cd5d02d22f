"""Sending: a notification that is to go out at once leaves as a job on the durable work queue
(`news.NOTIFY`), never inside the click that made the news; `send_once`, the one way the desk
sends notifications (one, or an hourly digest's), and `send_text`, which hands a prepared text
to the mail server or the chat channel.

E-mail goes by SMTP, configured by environment variables or the app's secrets (the
environment first): `LOCKSTEP_SMTP_HOST`, `LOCKSTEP_SMTP_PORT`, `LOCKSTEP_SMTP_USER`,
`LOCKSTEP_SMTP_PASSWORD`, `LOCKSTEP_SMTP_FROM` and `LOCKSTEP_SMTP_SECURITY` (`starttls`, the
default; `ssl`; or `none`). It is text/plain; an urgent one says so in its subject and its
`Importance`/`X-Priority` headers. The chat channel gets a POST of `{"text": ...}`, the JSON
that Slack, Mattermost and Microsoft Teams incoming webhooks accept, with what those treat as
mentions and links in people's text neutralised (`text.chat_safe`).

A server that is down, or answers with an error, is tried again (10 s, doubling to an hour)
for a day; a mail server's permanent refusal of the address (5xx) fails it at once, saying so.

Never sent twice. A notification is marked sent (`sent_at`, a compare-and-set on its being
unsent and on its text being as read, committed) before it is handed to the server, with no
transaction open while the server takes its time, and unmarked when the server certainly did
not take it (refused the connection or the message, or answered an error); one whose text
changed meanwhile (`sent_back`) is not marked, and goes on the retry as it reads then. So a
job retried after its worker died while sending finds it marked and does not send it again:
the price is that such a crash, in the moment between handing over and the server's answer,
may lose that one message, and the job says so in its outcome. The same holds when the
server takes the message and then never answers: it may have arrived, so it is not sent
again.
"""

import json
import os
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import partial

from sqlalchemy import func, tuple_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from workflow.errors import LockstepError
from workflow.jobs import GiveUp, Handler, Outcome, Progress
from workflow.links import base_url
from workflow.models import Channel, Job, Notification, Person, utcnow
from workflow.models.base import as_utc
from workflow.notify.choices import CHAT_CHANNEL
from workflow.notify.news import NOTIFY
from workflow.notify.text import URGENT, chat_text, one_line
from workflow.receivers import NotTaken, post_json
from workflow.settings import stored_setting

TIMEOUT = 10.0  # seconds a server has to answer
USER_AGENT = "Lockstep-Notifications/1"
SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class NotSent(LockstepError):
    """The server certainly did not take the message (down, refused, an error answer): it is
    tried again later."""


class Undeliverable(GiveUp):
    """The mail server refused the address for good (5xx): never tried again."""


class Changed(NotSent):
    """What was to be sent changed as it was about to go: nothing went; read it again."""


class MaybeSent(LockstepError):
    """The message was handed over and the server's answer never came: it may have arrived,
    so it is not sent again."""


# ----- where messages go -----


@dataclass(frozen=True)
class SmtpSettings:
    """How the desk reaches its mail server (`load`: the environment, else the secrets)."""

    host: str
    port: int
    user: str
    password: str
    sender: str
    security: str  # one of SECURITIES

    @classmethod
    def load(cls, secrets: Mapping[str, str] | None = None) -> "SmtpSettings":
        def setting(name: str) -> str:
            full = f"LOCKSTEP_SMTP_{name}"
            return (os.environ.get(full) or str((secrets or {}).get(full, ""))).strip()

        security = setting("SECURITY").lower() or "starttls"
        if security not in SECURITIES:
            raise NotSent(f"LOCKSTEP_SMTP_SECURITY is {security!r}: say starttls, ssl or none.")
        port = setting("PORT")
        if port and not port.isdigit():
            raise NotSent(f"LOCKSTEP_SMTP_PORT is {port!r}: give the mail server's port number.")
        return cls(
            host=setting("HOST"),
            port=int(port) if port else DEFAULT_PORTS[security],
            user=setting("USER"),
            password=setting("PASSWORD"),
            sender=setting("FROM") or setting("USER"),
            security=security,
        )


@dataclass(frozen=True)
class Destination:
    """Where one message goes: a person's e-mail address, or the desk's chat channel."""

    channel: Channel
    address: str  # the e-mail address, or the channel's incoming webhook
    name: str  # the person it is for


def destination(session: Session, channel: Channel, person_id: int) -> Destination:
    """Where a message for this person on this channel goes now; `GiveUp` when nowhere (no
    e-mail address, no chat channel)."""
    person = session.get(Person, person_id)
    if person is None:
        raise GiveUp("Not sent: that person no longer works at the desk.")
    if channel is Channel.EMAIL:
        if not person.email:
            raise GiveUp(f"Not sent: {person.name} has no e-mail address at the desk.")
        return Destination(channel, person.email, person.name)
    url = (stored_setting(session, CHAT_CHANNEL) or "").strip()
    if not url:
        raise GiveUp("Not sent: the desk has no chat channel (any more).")
    return Destination(channel, url, person.name)


# ----- what is sent -----


def email_message(
    settings: SmtpSettings, to: Destination, subject: str, body: str, *, urgent: bool,
    message_id: str | None = None,
) -> EmailMessage:  # fmt: skip
    """The text/plain e-mail; an urgent one says URGENT in its subject and asks for attention
    in its headers."""
    message = EmailMessage()
    # A header is one line: a line break in a name or a headline would make the message
    # refuse the value (retried in vain for a day), or start a header of the text's own.
    message["Subject"] = (f"{URGENT}: " if urgent else "") + one_line(subject)
    message["From"] = formataddr(("Lockstep", one_line(settings.sender)))
    message["To"] = formataddr((one_line(to.name), one_line(to.address)))
    message["Message-ID"] = message_id or make_msgid(domain="lockstep.desk")
    message["Date"] = utcnow().strftime("%a, %d %b %Y %H:%M:%S +0000")
    if urgent:
        message["Importance"] = "high"
        message["X-Priority"] = "1"
    message.set_content(body)
    return message


# ----- sending -----


def send_text(
    to: Destination,
    subject: str,
    body: str,
    *,
    urgent: bool = False,
    smtp: SmtpSettings | None = None,
    message_id: str | None = None,
) -> str:
    """Send a prepared text: by e-mail, or to the chat channel. What the server answered, in
    words; raises `NotSent` (try again later), `Undeliverable` (never) or `MaybeSent`."""
    if to.channel is Channel.CHAT:
        return post_to_chat(to.address, chat_text(subject, body, urgent=urgent, name=to.name))
    settings = smtp or SmtpSettings.load()
    message = email_message(settings, to, subject, body, urgent=urgent, message_id=message_id)
    return send_email(settings, message)


def post_to_chat(url: str, text: str) -> str:
    """POST `{"text": ...}` to the channel's incoming webhook (`receivers.post_json`)."""
    data = json.dumps({"text": text}, ensure_ascii=False).encode()
    try:
        status = post_json(
            url, data, {"User-Agent": USER_AGENT}, called="the chat channel", timeout=TIMEOUT
        )
    except NotTaken as exc:
        raise (MaybeSent if exc.handed_over else NotSent)(str(exc)) from None
    return f"Posted to the chat channel: it answered {status}."


def send_email(settings: SmtpSettings, message: EmailMessage) -> str:
    """Hand the message to the mail server, for its one recipient."""
    if not settings.host:
        raise NotSent("No mail server is configured (LOCKSTEP_SMTP_HOST).")
    if not settings.sender:
        raise NotSent("No sender address is configured (LOCKSTEP_SMTP_FROM).")
    to = str(message["To"])
    server = f"{settings.host}:{settings.port}"
    try:
        smtp = _connect(settings)
        try:
            smtp.send_message(message, from_addr=settings.sender)
        finally:
            _hang_up(smtp)  # the message's fate is known by now: nothing here changes it
    except smtplib.SMTPRecipientsRefused as exc:
        ((code, said),) = exc.recipients.values()
        why = _said(said)
        if 500 <= code < 600:
            raise Undeliverable(f"The mail server refused {to} for good: {code} {why}") from None
        raise NotSent(f"The mail server refused {to} for now: {code} {why}") from None
    except smtplib.SMTPResponseException as exc:
        why = _said(exc.smtp_error)
        if isinstance(exc, smtplib.SMTPDataError) and 500 <= exc.smtp_code < 600:
            raise Undeliverable(
                f"The mail server refused the message for {to}: {exc.smtp_code} {why}"
            ) from None
        raise NotSent(f"The mail server {server} answered {exc.smtp_code} {why}") from None
    except OSError as exc:  # smtplib's own errors are OSErrors too: a hang-up, a timeout
        if _handed_over(exc):
            raise MaybeSent(
                f"The mail server {server} stopped answering after the message."
            ) from None
        raise NotSent(f"Could not send through the mail server {server}: {exc}") from None
    return f"Sent to {to} through {server}."


def _said(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)


def _hang_up(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except OSError:
        smtp.close()


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        context = ssl.create_default_context()
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=TIMEOUT, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
    try:
        if settings.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _handed_over(exc: BaseException) -> bool:
    """Whether a hang-up or a timeout came while the message's text went out or the server's
    answer to it was awaited (smtplib's `data`): then the server may have taken it."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name == "data":
            return True
        tb = tb.tb_next
    return False


# ----- the job -----


def message_id(notification: Notification) -> str:
    """The same Message-ID on every attempt: a mail client shows one message however often
    a server was handed it."""
    host = base_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "lockstep.desk"
    return f"<notification-{notification.id}@{host}>"


Send = Callable[[], str]  # hands one prepared message over: what the server said


def sender(
    session: Session, person_id: int, channel: Channel, subject: str, body: str, *,
    urgent: bool, secrets: Mapping[str, str] | None = None, message_id: str | None = None,
) -> Send:  # fmt: skip
    """A message to a person on a channel, with all it needs read now (where it goes, the mail
    server's settings): sending it then reads nothing. `GiveUp` when it can go nowhere."""
    to = destination(session, channel, person_id)
    smtp = SmtpSettings.load(secrets) if channel is Channel.EMAIL else None
    return partial(send_text, to, subject, body, urgent=urgent, smtp=smtp, message_id=message_id)


def send_once(session: Session, news: Sequence[Notification], send: Send) -> Outcome | None:
    """The desk's one way to send notifications (one, or a digest's), `send` made from `news`
    as read: mark them sent, commit, send with no transaction open while the server takes its
    time, and unmark them when the server certainly did not take it, raising its error for the
    job's retry (see the module's docstring for why in this order). None, with nothing sent,
    when another attempt marked any of them first; `Changed` when one's text changed since it
    was read (a paragraph added to a send-back's news), to be read and sent again."""
    ids = [n.id for n in news]
    marked = utcnow()
    as_read = tuple_(col(Notification.id), col(Notification.body)).in_(
        [(n.id, n.body) for n in news]
    )
    if _mark(session, ids, None, marked, as_read) != len(ids):
        _mark(session, ids, marked, None)  # some were another attempt's: leave them all to it
        if _unsent(session, ids) == len(ids):  # none was another attempt's: one was rewritten
            raise Changed("The news changed as it was about to go: sent again as it is now.")
        return None
    try:
        said = send()
    except MaybeSent as exc:
        return Outcome(
            "Handed to the server; it may have arrived.",
            error=f"{exc} Not sent again, so nobody gets it twice.",
        )
    except Exception:  # an answer: certainly not taken, so tried again (a worker stopped
        # mid-send, SystemExit or KeyboardInterrupt, may have handed it over: it stays marked)
        _mark(session, ids, marked, None)
        raise
    return Outcome(said)


def _mark(
    session: Session,
    ids: list[int | None],
    was: datetime | None,
    now: datetime | None,
    *also: ColumnElement[bool],
) -> int:
    """Set the notifications' `sent_at` from `was` to `now` (compare-and-set, on `also` too),
    committed; how many moved."""
    moved = session.exec(
        update(Notification)  # type: ignore[call-overload]
        .where(
            col(Notification.id).in_(ids),
            col(Notification.sent_at).is_(None)
            if was is None
            else col(Notification.sent_at) == was,
            *also,
        )
        .values(sent_at=now)
    ).rowcount
    session.commit()
    return int(moved)


def _unsent(session: Session, ids: list[int | None]) -> int:
    unsent = col(Notification.id).in_(ids) & col(Notification.sent_at).is_(None)
    return session.exec(select(func.count()).where(unsent)).one()


def deliver_notification(
    session: Session, job: Job, progress: Progress, secrets: Mapping[str, str] | None = None
) -> Outcome:
    """The `notification` job: its notification sent once (`send_once`)."""
    notification = session.get(Notification, job.payload["notification_id"], populate_existing=True)
    if notification is None:
        raise GiveUp("Not sent: the notification was removed.")
    if notification.sent_at is not None:
        return Outcome(f"Sent already, at {as_utc(notification.sent_at):%Y-%m-%d %H:%M:%S} UTC.")
    send = sender(
        session, notification.person_id, notification.channel, notification.subject,
        notification.body, urgent=notification.urgent, secrets=secrets,
        message_id=message_id(notification),
    )  # fmt: skip
    outcome = send_once(session, [notification], send)
    if outcome is None:
        return Outcome("Sent already, by another attempt.")
    progress(1, 1)
    return outcome


def notification_handlers(secrets: Mapping[str, str] | None = None) -> dict[str, Handler]:
    """The work queue's handler for notifications; `secrets` may hold the SMTP settings."""

    def handler(session: Session, job: Job, progress: Progress) -> Outcome:
        return deliver_notification(session, job, progress, secrets)

    return {NOTIFY: handler}
