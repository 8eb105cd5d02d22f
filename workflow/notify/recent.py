"""The notifications the desk sent lately, as the Administration page lists them: to whom,
what, on which channel and when (at once or in a digest), urgent or not, and what became of
it (sent, or its job's state, attempts, last error and next try), as webhook deliveries are
listed beside them."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from workflow.models import (
    Channel,
    Job,
    JobState,
    Notification,
    NotificationKind,
    Person,
    Timing,
    as_utc,
)


@dataclass(frozen=True)
class Sent:
    """One notification and what became of it."""

    id: int
    person: str
    kind: NotificationKind
    subject: str
    channel: Channel
    timing: Timing
    urgent: bool
    created_at: datetime
    sent_at: datetime | None
    job_id: int | None
    state: JobState | None  # None: no job has taken it yet (an hourly one awaits its digest)
    attempts: int
    error: str
    next_try: datetime | None  # when its job waits for a retry


def recent_notifications(session: Session, limit: int = 50) -> list[Sent]:
    """The latest notifications, the newest first, each with its person and its job (one
    query, whatever the number)."""
    rows = session.exec(
        select(Notification, Person.name, Job)
        .join(Person, col(Person.id) == col(Notification.person_id))
        .join(Job, col(Job.id) == col(Notification.job_id), isouter=True)
        .order_by(col(Notification.id).desc())
        .limit(limit)
    ).all()
    return [
        Sent(
            id=n.id or 0,
            person=name,
            kind=NotificationKind(n.kind),
            subject=n.subject,
            channel=Channel(n.channel),
            timing=Timing(n.timing),
            urgent=n.urgent,
            created_at=as_utc(n.created_at),
            sent_at=as_utc(n.sent_at) if n.sent_at else None,
            job_id=n.job_id,
            state=JobState(job.state) if job is not None else None,
            attempts=job.attempts if job is not None else 0,
            error=job.error if job is not None else "",
            next_try=as_utc(job.run_after)
            if job is not None and job.state == JobState.QUEUED
            else None,
        )
        for n, name, job in rows
    ]
