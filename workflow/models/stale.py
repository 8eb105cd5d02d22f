"""The stale periods of translations: the history of staleness, which the manager's trends
read. A table of its own module, loaded when first named (`workflow.models`): its partial
unique index names PostgreSQL's dialect, whose import a command that reads a story's status
need not pay for."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from workflow.models.base import Table, unique_where, utcnow


class StalePeriod(Table, table=True):
    """A stretch of time a translation was stale (made from English that changed since).

    Staleness itself is derived, never stored; these periods keep its history, so the manager
    sees the stale backlog over time. Opened and closed by `trends.track_stale`.
    """

    __table_args__ = (
        # One open period per translation, whatever several processes do at once.
        unique_where("uq_staleperiod_open", "translation_id", "ended_at IS NULL"),
        sa.Index("ix_staleperiod_story_open", "story_id", "ended_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="translation.id", index=True)
    story_id: int = Field(foreign_key="story.id")
    lang: str = Field(max_length=8)
    started_at: datetime = Field(default_factory=utcnow, index=True)
    ended_at: datetime | None = Field(default=None, index=True)
