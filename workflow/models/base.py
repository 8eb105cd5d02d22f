"""What every table uses: times in UTC, a unique index over some rows, and an INSERT that
skips a row stored already.

`utcnow` is the domain's one clock: every time the desk records (a save, an approval, an audit
entry, a stale period) comes from it. `clock_at` holds it at a given moment for the code running
inside its block, which is how the demo writes a week of history through the domain's own
functions instead of editing rows behind its back.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ConfigDict
from sqlmodel import SQLModel

from workflow.timestamps import as_utc

# A context variable, not a module global: a held clock is seen only by the thread (and task)
# that set it, never by another person's page served by the same process.
_held_clock: ContextVar[datetime | None] = ContextVar("lockstep_held_clock", default=None)


def utcnow() -> datetime:
    """Now, in UTC; inside `clock_at`, the moment it holds."""
    return _held_clock.get() or datetime.now(UTC)


@contextmanager
def clock_at(moment: datetime) -> Iterator[datetime]:
    """Within the block, `utcnow()` says `moment` (taken as UTC if it has no zone)."""
    held = as_utc(moment)
    token = _held_clock.set(held)
    try:
        yield held
    finally:
        _held_clock.reset(token)


def unique_where(name: str, column: str, condition: str) -> sa.Index:
    """A unique index of `column` over the rows where `condition` holds (a partial index), the
    same on SQLite and PostgreSQL: one open row of a kind, any number of closed ones."""
    where = sa.text(condition)
    return sa.Index(name, column, unique=True, sqlite_where=where, postgresql_where=where)


def insert_for(session: Any) -> Any:
    """The INSERT of the session's database, which has `on_conflict_do_nothing`: both SQLite
    and PostgreSQL can skip a row another process stored a moment ago."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


class Table(SQLModel):
    """What every table of the desk is: a SQLModel whose validator is built when first used,
    not when the class is made (a command that only reads pays for no validators)."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]
