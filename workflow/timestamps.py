"""Times as the desk gives them to anyone outside it: in UTC, and written one way.

`as_utc` reads a stored time (SQLite gives times back without their zone); `rfc3339` writes
one as every JSON the desk answers or sends does (the API, webhooks' events, ninjs, `status
--json`): `2026-11-05T09:30:00Z`, to the second. Only the standard library, so the formats
and `realign`, which load nothing of the database, can use it too.
"""

from datetime import UTC, datetime
from typing import overload


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


def rfc3339(moment: datetime) -> str:
    """A time as RFC 3339 in UTC, to the second (`2026-11-05T09:30:00Z`); one without a zone
    is taken as UTC."""
    return as_utc(moment).isoformat(timespec="seconds").replace("+00:00", "Z")
