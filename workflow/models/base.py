"""What every table uses: times in UTC, and an INSERT that skips a row stored already."""

from datetime import UTC, datetime
from typing import Any, overload


def utcnow() -> datetime:
    return datetime.now(UTC)


@overload
def as_utc(moment: datetime) -> datetime: ...
@overload
def as_utc(moment: None) -> None: ...
def as_utc(moment: datetime | None) -> datetime | None:
    """A stored time as timezone-aware UTC: SQLite gives times back without their zone, and a
    time typed without one is taken as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def insert_for(session: Any) -> Any:
    """The INSERT of the session's database, which has `on_conflict_do_nothing`: both SQLite
    and PostgreSQL can skip a row another process stored a moment ago."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert
