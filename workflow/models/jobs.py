"""The work queue's rows: one `Job` per piece of work that must not run inside a click."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from workflow.models.base import Table, utcnow
from workflow.vocabulary import EnumValue


class JobState(StrEnum):
    """Where a job is: waiting (or waiting to retry), taken by a worker, or over."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # every attempt failed; `error` says why


class Job(Table, table=True):
    """One piece of background work: what to do (`kind`, `payload`), who holds it and until
    when (`worker`, `lease_until`), how far it got and what came of it."""

    __table_args__ = (sa.Index("ix_job_claim", "state", "run_after"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    key: str = Field(default="", max_length=200, index=True, description="what it works on")
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    state: JobState = Field(
        default=JobState.QUEUED,
        sa_type=EnumValue(JobState, length=12),  # type: ignore[call-overload]
    )
    attempts: int = 0
    max_attempts: int = 3
    run_after: datetime = Field(default_factory=utcnow)
    worker: str | None = Field(default=None, max_length=120)
    lease_until: datetime | None = None
    heartbeat_at: datetime | None = None
    done: int = 0
    total: int = 0
    result: str = ""
    error: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
