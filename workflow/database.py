"""The one place that creates the database engine: `DATABASE_URL`, SQLite pragmas, schema."""

import os

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

import workflow.models  # noqa: F401  (registers the tables on SQLModel.metadata)

DEFAULT_DATABASE_URL = "sqlite:///lockstep.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def database_url() -> str:
    """`DATABASE_URL` from the environment, or a SQLite file in the working folder."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def make_engine(url: str | None = None) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout and foreign keys per connection."""
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)

    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False},
        # One shared connection keeps an in-memory database alive across sessions.
        poolclass=StaticPool if in_memory else None,
    )

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        if not in_memory:
            # WAL lets readers go on while one process writes; the desk runs several sessions.
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def open_database(url: str | None = None) -> Engine:
    """An engine with the schema in place, created on first use."""
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    return engine
