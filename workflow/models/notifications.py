"""Notifications: what the desk tells a person about work that is theirs, by the way they
chose (e-mail, or the desk's chat channel; at once, or in an hourly digest).

A `NotificationChoice` is one person's choice for one kind on one channel; a kind a person has
not chosen for falls back to the desk's default (`workflow.notifications`). A `Notification`
is one message to one person on one channel, written in the transaction of the change it tells
of (as the webhooks' events are: an outbox) and sent by a job on the work queue, never inside
the click. Its `key` says what it tells, so the same news never reaches a person twice.
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from workflow.models import jobs  # noqa: F401  (the job table a notification's job_id names)
from workflow.models.base import Table, utcnow
from workflow.vocabulary import EnumValue


class NotificationKind(StrEnum):
    """What a person may be told of, in the words of their Settings page."""

    ASSIGNED = "assigned"  # a language version was assigned to you
    SENT_BACK = "sent back"  # your translation came back to you with comments
    TO_REVIEW = "to review"  # a version was submitted for your review
    APPROVED = "approved"  # a version you translated was approved
    ENGLISH_CHANGED = "english changed"  # the English of a story you translated or approved
    DUE_SOON = "due soon"  # your work is due within the hour
    LATE = "late"  # your work is past its due time


class Channel(StrEnum):
    """Where a notification goes: the person's e-mail, or the desk's chat channel."""

    EMAIL = "email"
    CHAT = "chat"


class Timing(StrEnum):
    """When: not at all, as soon as it happens, or gathered into an hourly digest."""

    OFF = "off"
    IMMEDIATELY = "immediately"
    HOURLY = "hourly"


class NotificationChoice(Table, table=True):
    """One person's choice of when to hear of one kind on one channel."""

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    kind: NotificationKind = Field(
        primary_key=True,
        sa_type=EnumValue(NotificationKind, length=20),  # type: ignore[call-overload]
    )
    channel: Channel = Field(
        primary_key=True,
        sa_type=EnumValue(Channel, length=10),  # type: ignore[call-overload]
    )
    timing: Timing = Field(sa_type=EnumValue(Timing, length=12))  # type: ignore[call-overload]


class Notification(Table, table=True):
    """One message to one person on one channel: what it says, whether it is urgent, and
    whether (and by which job) it has gone out."""

    __table_args__ = (sa.Index("ix_notification_unsent", "timing", "sent_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True, description="What it tells; never twice")
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: NotificationKind = Field(sa_type=EnumValue(NotificationKind, length=20))  # type: ignore[call-overload]
    channel: Channel = Field(sa_type=EnumValue(Channel, length=10))  # type: ignore[call-overload]
    timing: Timing = Field(sa_type=EnumValue(Timing, length=12))  # type: ignore[call-overload]
    urgent: bool = False
    story_id: int | None = Field(default=None, foreign_key="story.id", index=True)
    lang: str | None = Field(default=None, max_length=8)
    subject: str = Field(max_length=300)
    body: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    job_id: int | None = Field(default=None, foreign_key="job.id", index=True)
    sent_at: datetime | None = None
