"""Who wants to hear what, how and when: each person's `NotificationChoice` rows over the
desk's defaults, and the desk's chat channel (a `Setting` an administrator chooses).

Both are written through `writes.apply`, as every change at the desk is: a person chooses for
themselves only (nobody, an administrator included, chooses for someone else), compared with
the choices their page drew; an administrator sets the channel, compared with the address
their page drew. Each write is one audit line.
"""

import hashlib
from collections.abc import Iterable, Mapping
from functools import partial
from urllib.parse import urlsplit

from sqlalchemy import and_
from sqlmodel import Session, col, select

from workflow.errors import PermissionDenied
from workflow.models import (
    Change,
    Channel,
    NotificationChoice,
    NotificationKind,
    Person,
    Setting,
    Timing,
)
from workflow.records import Line, Record, RecordKind, changed_meanwhile
from workflow.settings import stored_setting
from workflow.states import Role
from workflow.vocabulary import Event
from workflow.webhooks import check_url

CHAT_CHANNEL = "chat_channel_url"  # the Setting holding the desk channel's incoming webhook

# What a person hears of before they choose: their own work at once by e-mail; the rest, and
# anything in the chat channel, only when they ask for it.
DEFAULT_TIMINGS: dict[tuple[NotificationKind, Channel], Timing] = {
    (kind, channel): (
        Timing.IMMEDIATELY
        if channel is Channel.EMAIL and kind is not NotificationKind.DUE_SOON
        else Timing.OFF
    )
    for kind in NotificationKind
    for channel in Channel
}

# The desk's words for each kind, channel and timing, on the Settings page and in the audit log.
KIND_LABELS: dict[NotificationKind, str] = {
    NotificationKind.ASSIGNED: "Assigned to you",
    NotificationKind.SENT_BACK: "Came back to you with comments",
    NotificationKind.TO_REVIEW: "Submitted for your review",
    NotificationKind.APPROVED: "Your translation was approved",
    NotificationKind.ENGLISH_CHANGED: "The English of your story changed",
    NotificationKind.DUE_SOON: "Your work is due within the hour",
    NotificationKind.LATE: "Your work is late",
}
CHANNEL_LABELS: dict[Channel, str] = {Channel.EMAIL: "E-mail", Channel.CHAT: "Chat channel"}
TIMING_LABELS: dict[Timing, str] = {
    Timing.OFF: "Off",
    Timing.IMMEDIATELY: "At once",
    Timing.HOURLY: "Hourly digest",
}

# The one exception to a person's timing (`news.sent_when`), as their Settings page says it.
URGENT_AT_ONCE = (
    "Urgent news (the English of a published story changed) comes at once on every channel "
    "you have not turned off, even where you chose the hourly digest."
)

Choices = dict[tuple[NotificationKind, Channel], Timing]


# News a role never gets: nobody submits work for a translator's or a manager's review.
NEVER_FOR: dict[Role, frozenset[NotificationKind]] = {
    Role.TRANSLATOR: frozenset({NotificationKind.TO_REVIEW}),
    Role.MANAGER: frozenset({NotificationKind.TO_REVIEW}),
}


def kinds_for(role: Role) -> list[NotificationKind]:
    """The kinds of news a person of this role may get, in the Settings page's order."""
    return [kind for kind in NotificationKind if kind not in NEVER_FOR.get(role, frozenset())]


def timings(
    session: Session, person_ids: Iterable[int], kind: NotificationKind
) -> dict[int, dict[Channel, Timing]]:
    """For each person, when they want to hear of `kind` on each channel: their choice, else
    the default; never by e-mail to someone the desk has no address for. One query whatever
    the number of people."""
    ids = sorted(set(person_ids))
    chosen = {person_id: {c: DEFAULT_TIMINGS[(kind, c)] for c in Channel} for person_id in ids}
    if not ids:
        return chosen
    rows = session.exec(
        select(Person.id, Person.email, NotificationChoice.channel, NotificationChoice.timing)
        .outerjoin(
            NotificationChoice,
            and_(
                col(NotificationChoice.person_id) == Person.id,
                col(NotificationChoice.kind) == kind,
            ),
        )
        .where(col(Person.id).in_(ids))
    )
    for person_id, email, channel, timing in rows:
        assert person_id is not None  # read from the table
        if channel is not None:
            chosen[person_id][Channel(channel)] = Timing(timing)
        if not email:  # signs in by single sign-on only: nowhere to send an e-mail
            chosen[person_id][Channel.EMAIL] = Timing.OFF
    return chosen


def choices_of(session: Session, person_id: int) -> Choices:
    """Every kind on every channel for one person: their choice, else the default."""
    chosen = dict(DEFAULT_TIMINGS)
    rows = session.exec(select(NotificationChoice).where(NotificationChoice.person_id == person_id))
    for row in rows:
        chosen[(NotificationKind(row.kind), Channel(row.channel))] = Timing(row.timing)
    return chosen


def said(kind: NotificationKind, channel: Channel, timing: Timing) -> str:
    """ "Assigned to you by e-mail: hourly digest": one choice in words."""
    how = "by e-mail" if channel is Channel.EMAIL else "in the chat channel"
    return f"{KIND_LABELS[kind]} {how}: {TIMING_LABELS[timing].lower()}"


def choose(
    session: Session,
    *,
    person: Person,
    person_id: int,
    chosen: Mapping[tuple[NotificationKind, Channel], Timing],
    seen: Mapping[tuple[NotificationKind, Channel], Timing] | None = None,
) -> list[str]:
    """A person's choices of when to hear of each kind on each channel, for themselves only:
    what changed, in words (nothing written, nor recorded, when nothing did). Refused, with
    nothing written, when the choices stored are no longer those their page drew (`seen`;
    None: as read here)."""
    from workflow.writes import apply

    if person.id is None or person.id != person_id:
        raise PermissionDenied(
            "People choose their own notifications: nobody, an administrator included, "
            "chooses them for someone else."
        )
    drawn = choices_of(session, person_id) if seen is None else dict(seen)
    changes = {cell: Timing(timing) for cell, timing in chosen.items() if drawn.get(cell) != timing}
    if not changes:
        return []

    def stored() -> Choices:
        rows = session.exec(
            select(NotificationChoice)
            .where(NotificationChoice.person_id == person_id)
            .with_for_update()
        )
        now = dict(DEFAULT_TIMINGS)
        for row in rows:
            now[(NotificationKind(row.kind), Channel(row.channel))] = Timing(row.timing)
        return {cell: now[cell] for cell in changes}

    def write() -> Line:
        for (kind, channel), timing in changes.items():
            row = session.get(NotificationChoice, (person_id, kind, channel)) or (
                NotificationChoice(person_id=person_id, kind=kind, channel=channel, timing=timing)
            )
            row.timing = timing
            session.add(row)
        return Line("; ".join(said(*cell, timing) for cell, timing in changes.items()))

    own = col(Change.person_id) == person_id  # another browser of theirs changed them
    refusal = partial(
        changed_meanwhile, session, "your notification choices", [Event.CHOOSE_NOTIFICATIONS], own
    )
    record = Record(RecordKind.NOTIFICATIONS, write, stored, refusal=refusal)
    apply(
        session,
        Event.CHOOSE_NOTIFICATIONS,
        record,
        person=person,
        expect={cell: drawn.get(cell, DEFAULT_TIMINGS[cell]) for cell in changes},
    )
    return [said(*cell, timing) for cell, timing in changes.items()]


def chat_channel(session: Session) -> str:
    """The incoming-webhook address of the desk's chat channel; empty when it has none."""
    return stored_setting(session, CHAT_CHANNEL) or ""


def shown_address(url: str) -> str:
    """ "https://hooks.slack.com/…": the channel's address without its path, which is the
    key to post there (the audit log, read by everyone at the desk, shows no more)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else ""


def fingerprint(url: str) -> str:
    """What a page keeps of the channel's address to compare with later: its SHA-256 (the
    address itself is a key to post in the channel); empty for no channel."""
    return hashlib.sha256(url.encode()).hexdigest() if url else ""


def set_chat_channel(
    session: Session, *, url: str, person: Person | None, seen: str | None = None
) -> str:
    """An administrator sets the desk's chat channel (its incoming-webhook address, checked as
    a webhook's is), or removes it (an empty address); the address stored. Refused, nothing
    written, when the stored address is not the one their page drew (`seen`, its
    `fingerprint`: a page keeps no key; None: as read here)."""
    from workflow.writes import apply

    address = check_url(url) if url.strip() else ""
    drawn = fingerprint(chat_channel(session)) if seen is None else seen

    def write() -> Line | None:
        if fingerprint(address) == drawn:
            return None  # the same address again: nothing changes, nothing is recorded
        stored = session.get(Setting, CHAT_CHANNEL) or Setting(name=CHAT_CHANNEL)
        stored.value = address
        session.add(stored)
        return Line(f"chat channel {shown_address(address)}" if address else "no chat channel")

    def stored() -> str:
        return fingerprint(stored_setting(session, CHAT_CHANNEL, lock=True) or "")

    refusal = partial(changed_meanwhile, session, "the chat channel", [Event.SET_CHAT_CHANNEL])
    record = Record(RecordKind.SETTING, write, stored, refusal=refusal)
    apply(session, Event.SET_CHAT_CHANNEL, record, person=person, expect=drawn)
    return address
