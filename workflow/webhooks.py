"""Webhooks: addresses an administrator registers to be told of the events they chose
(`events.WebhookEvent`), and the delivery of each event to each of them.

Registering, deactivating and removing a webhook are audited writes (`writes.apply`, by
administrators). A delivery is a job on the durable work queue (`events.emit` adds it in the
transaction of the change it reports); the `webhook` handler POSTs its body, the same bytes
on every attempt, signed as Stripe signs:

    Lockstep-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>

An answer 2xx delivers it; any other answer, a timeout or a refused connection is retried
(10 s, doubling, at most an hour apart) until a day after the event, then the delivery fails
with the reason in words. One story's deliveries to one webhook go out in order (the queue's
key), and the queue never hands one job to two workers, so each is sent once at a time.
"""

import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from workflow.errors import InputError, InvalidTransition, LockstepError, NotFound
from workflow.events import DELIVER, FIRST_RETRY, LONGEST_RETRY, TRIED_FOR, WebhookEvent
from workflow.jobs import GiveUp, Handler, Outcome, Progress, Retry, add_job
from workflow.models import Job, JobState, Person, Webhook, utcnow
from workflow.models.base import as_utc
from workflow.receivers import NotTaken, post_json
from workflow.records import Line, Record, RecordKind
from workflow.vocabulary import Event

TIMEOUT = 10.0  # seconds a receiver has to answer
LONGEST_URL = 2000  # the column's length
SHORTEST_SECRET = 24  # characters; the desk's own are 43 (32 random bytes)
LONGEST_SECRET = 200
USER_AGENT = "Lockstep-Webhooks/1"


class DeliveryFailed(LockstepError):
    """The receiver did not take the delivery: what it answered, or why it could not."""


# ----- what an administrator types -----


def check_url(typed: str) -> str:
    """The address to call, as typed (spaces around it aside, scheme and host in lower case);
    refused in words unless it is an http or https address of a host, without a password in
    it."""
    url = typed.strip()
    if not url:
        raise InputError("Give the address the desk should call, e.g. https://cms.example/hooks.")
    if len(url.encode("utf-8")) > LONGEST_URL:  # bytes: what the column and its index hold
        raise InputError(
            f"That address is longer than {LONGEST_URL:,} bytes (a character outside ASCII "
            "counts as several)."
        )
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise InputError("An address has no spaces or control characters in it.")
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # a port that is not a number raises here
    except ValueError as exc:
        raise InputError(f"That is not an address the desk can call: {exc}.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError("The address must start with http:// or https://.")
    if not host:
        raise InputError("The address names no host: write it as https://host/path.")
    if parts.username is not None or parts.password is not None:
        raise InputError(
            "Put no user name or password in the address: the receiver checks the signature "
            "made with the webhook's secret instead."
        )
    # Scheme and host in lower case (they are case-blind), so one address is one webhook.
    head = f"{parts.scheme}://{parts.netloc}"
    if url.lower().startswith(head.lower()):
        url = head.lower() + url[len(head) :]
    return url


def check_events(chosen: Iterable[str]) -> list[str]:
    """The events chosen, each once, in the order the desk lists them; refused in words when
    none is chosen or one is not an event the desk sends."""
    wanted = {str(name).strip() for name in chosen}
    known = {str(e) for e in WebhookEvent}
    if unknown := sorted(wanted - known):
        raise InputError(
            f"The desk sends no event {', '.join(map(repr, unknown))}: choose from "
            f"{', '.join(known_in_order())}."
        )
    if not wanted:
        raise InputError("Choose at least one event for the webhook.")
    return [name for name in known_in_order() if name in wanted]


def known_in_order() -> list[str]:
    return [str(e) for e in WebhookEvent]


def check_secret(typed: str) -> str:
    """The secret an administrator gave (spaces around it aside; empty: none given); refused
    in words when it is short enough to guess or longer than the column holds."""
    secret = typed.strip()
    if secret and len(secret) < SHORTEST_SECRET:
        raise InputError(
            f"A secret of at least {SHORTEST_SECRET} characters, please (this one has "
            f"{len(secret)}): a short one can be guessed, and then anyone can sign a call "
            "as the desk. Leave it empty and the desk makes one."
        )
    if len(secret) > LONGEST_SECRET:
        raise InputError(f"A secret of at most {LONGEST_SECRET} characters, please.")
    return secret


def new_secret() -> str:
    """A secret for signing, shown to the administrator once, for the receiver."""
    return secrets.token_urlsafe(32)


# ----- registering -----


def register_webhook(
    session: Session,
    *,
    url: str,
    events: Iterable[str],
    person: Person | None,
    secret: str | None = None,
) -> Webhook:
    """Register an address for the events chosen, with a secret (a new one unless given); the
    webhook returned carries the secret for the administrator to copy. `person` None is the
    command line's operator."""
    from workflow.writes import apply

    hook = Webhook(
        url=check_url(url),
        events=check_events(events),
        secret=check_secret(secret or "") or new_secret(),
        created_by_id=person.id if person is not None else None,
    )

    def write() -> Line:
        session.add(hook)
        return Line(f"{hook.url} for {', '.join(hook.events)}")  # never the secret

    def stored() -> bool:  # an active webhook to this address already
        found = select(Webhook.id).where(Webhook.url == hook.url, col(Webhook.active).is_(True))
        return session.exec(found).first() is not None

    def refusal() -> str:
        return (
            f"There is already an active webhook to {hook.url}: a second one would send every "
            "event there twice, signed with another secret. Deactivate or remove it first."
        )

    record = Record(RecordKind.WEBHOOK, write, stored, refusal=refusal)
    try:
        apply(session, Event.ADD_WEBHOOK, record, person=person, expect=False)
    except IntegrityError:  # another administrator registered it at the same moment
        session.rollback()
        raise InvalidTransition(refusal()) from None
    session.refresh(hook)
    return hook


def list_webhooks(session: Session) -> list[Webhook]:
    """Every webhook, the newest first."""
    return list(session.exec(select(Webhook).order_by(col(Webhook.id).desc())))


def _webhook(session: Session, webhook_id: int) -> Webhook:
    hook = session.get(Webhook, webhook_id, populate_existing=True)
    if hook is None:
        raise NotFound(f"Webhook {webhook_id} does not exist (any more).")
    return hook


def _stop_queued(session: Session, webhook_id: int, why: str) -> None:
    """Deliveries still waiting for a webhook that stops: failed, saying why, never sent."""
    session.exec(
        update(Job)  # type: ignore[call-overload]
        .where(
            col(Job.kind) == DELIVER,
            col(Job.key).startswith(f"webhook:{webhook_id}:", autoescape=True),
            col(Job.state) == JobState.QUEUED,
        )
        .values(state=JobState.FAILED, error=why, finished_at=utcnow())
    )


def deactivate_webhook(session: Session, webhook_id: int, *, person: Person | None) -> Webhook:
    """Stop calling a webhook: it is kept, with its deliveries, and is sent nothing more."""
    from workflow.writes import apply

    hook = _webhook(session, webhook_id)

    def write() -> Line:
        hook.active = False
        session.add(hook)
        _stop_queued(session, webhook_id, "Not sent: the webhook was deactivated.")
        return Line(hook.url)

    record = Record(RecordKind.WEBHOOK, write, stored=lambda: _webhook(session, webhook_id).active)
    apply(session, Event.DEACTIVATE_WEBHOOK, record, person=person, expect=True)
    return hook


def delete_webhook(session: Session, webhook_id: int, *, person: Person | None) -> None:
    """Remove a webhook; its past deliveries stay listed, those still waiting are not sent."""
    from workflow.writes import apply

    hook = _webhook(session, webhook_id)
    url = hook.url

    def write() -> Line:
        _stop_queued(session, webhook_id, "Not sent: the webhook was removed.")
        session.delete(hook)
        return Line(url)

    apply(session, Event.REMOVE_WEBHOOK, Record(RecordKind.WEBHOOK, write), person=person)


# ----- delivering -----


def sign(secret: str, body: bytes, at: int) -> str:
    """The `Lockstep-Signature` header of a body sent at unix time `at`."""
    signed = f"{at}.".encode() + body
    return f"t={at},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


def signature_holds(
    secret: str, body: bytes, header: str, *, now: float | None = None, tolerance: float = 300
) -> bool:
    """What a receiver checks: the header signs this body with this secret, at a time no
    further than `tolerance` seconds from `now` (a replayed old delivery is refused)."""
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, []).append(value)
    try:
        at = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - at) > tolerance:
        return False
    expected = sign(secret, body, at).split(",v1=")[1]
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))


def deliver(session: Session, job: Job, progress: Progress) -> Outcome:
    """The `webhook` job: POST the stored body, signed now; raise `DeliveryFailed` (retried by
    the queue) unless the receiver answers 2xx, and `GiveUp` (failed, never sent) when the
    webhook was removed or deactivated."""
    hook = session.get(Webhook, job.payload["webhook_id"])
    if hook is None:
        raise GiveUp("Not sent: the webhook was removed.")
    if not hook.active:
        raise GiveUp("Not sent: the webhook was deactivated.")
    url, secret = hook.url, hook.secret
    session.rollback()  # no transaction held open while a receiver takes its time
    body = str(job.payload["body"]).encode()
    at = int(utcnow().timestamp())
    headers = {
        "User-Agent": USER_AGENT,
        "Lockstep-Event": str(job.payload["event"]),
        "Lockstep-Delivery": str(job.payload["delivery"]),
        "Lockstep-Signature": sign(secret, body, at),
    }
    try:
        # Sent again even when it may have arrived: receivers tell repeats by the delivery id.
        status = post_json(url, body, headers, called=url, timeout=TIMEOUT)
    except NotTaken as exc:
        raise DeliveryFailed(str(exc)) from None
    progress(1, 1)
    return Outcome(f"Delivered: {url} answered {status}.")


def webhook_handlers() -> dict[str, Handler]:
    """The work queue's handler for deliveries."""
    return {DELIVER: deliver}


# ----- what the administrator sees and does -----


@dataclass(frozen=True)
class Delivery:
    """One delivery as the Administration page lists it."""

    job_id: int
    event: str
    story_id: int
    url: str
    state: JobState
    attempts: int
    error: str
    next_try: datetime | None  # when it waits for a retry
    created_at: datetime


def recent_deliveries(session: Session, limit: int = 50) -> list[Delivery]:
    """The latest deliveries, the newest first."""
    jobs = session.exec(
        select(Job).where(Job.kind == DELIVER).order_by(col(Job.id).desc()).limit(limit)
    ).all()
    return [
        Delivery(
            job_id=job.id or 0,
            event=str(job.payload.get("event", "")),
            story_id=int(job.payload.get("story_id", 0)),
            url=str(job.payload.get("url", "")),
            state=JobState(job.state),
            attempts=job.attempts,
            error=job.error,
            next_try=as_utc(job.run_after) if job.state == JobState.QUEUED else None,
            created_at=as_utc(job.created_at),
        )
        for job in jobs
    ]


def resend_delivery(session: Session, job_id: int, *, person: Person | None) -> Job:
    """Queue a delivery again: the same body and idempotency key, tried for another day, after
    whatever is still waiting for that story and webhook; refused in words for a webhook
    removed or deactivated."""
    from workflow.writes import apply

    sent = session.get(Job, job_id)
    if sent is None or sent.kind != DELIVER:
        raise NotFound(f"Delivery {job_id} does not exist.")
    if sent.state in (JobState.QUEUED, JobState.RUNNING):
        raise InvalidTransition("That delivery is still under way: it needs no resending.")
    hook = session.get(Webhook, sent.payload.get("webhook_id"))
    if hook is None:
        raise NotFound("Its webhook was removed: there is nowhere to send it.")
    if not hook.active:
        raise InvalidTransition(
            "Its webhook is deactivated: the desk sends it nothing. Register the address "
            "again to have it called."
        )
    payload = {k: v for k, v in sent.payload.items() if k != "retry"}
    now = utcnow()
    again: list[Job] = []

    def write() -> Line:
        retry = Retry(FIRST_RETRY, LONGEST_RETRY, now + TRIED_FOR)
        again.append(
            add_job(
                session,
                DELIVER,
                payload,
                key=sent.key,
                max_attempts=sent.max_attempts,
                run_after=now,
                retry=retry,
            )
        )
        return Line(f"{payload.get('event')} to {payload.get('url')} (delivery {job_id})")

    apply(session, Event.RESEND_DELIVERY, Record(RecordKind.WEBHOOK, write), person=person)
    session.refresh(again[0])
    return again[0]
