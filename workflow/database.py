"""The one place that creates the database engine: `DATABASE_URL`, SQLite pragmas, migrations.

The schema is created and upgraded only by the Alembic migrations in `workflow/migrations`;
the app and the command line upgrade on start, and refuse a database that a newer Lockstep
has upgraded beyond what this code knows.
"""

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

import workflow.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from workflow.errors import LockstepError

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"  # the schema as it was before migrations: databases made then start here

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


class DatabaseTooNew(LockstepError):
    """The database was upgraded by a newer Lockstep than this one."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def schema_revision(connection: Connection) -> str | None:
    """The migration the database is at (None for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def _run(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run schema work in one transaction; on SQLite, with foreign keys checked at the end.

    SQLite alters a table by copying it: with foreign keys enforced, dropping the old copy
    would fail while other rows point at it. The check before committing finds any row the
    work left pointing at nothing, and undoes it all.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                result = work(connection)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("The migration left rows pointing at nothing; undone.")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
    return result


def migrate(engine: Engine, revision: str = "head") -> str | None:
    """Upgrade the schema to `revision`; returns the revision it was at before."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return _run(engine, lambda connection: _upgrade(connection, scripts, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (for an operator undoing a release)."""
    _run(engine, lambda connection: command.downgrade(alembic_config(connection), revision))


def _upgrade(connection: Connection, scripts: ScriptDirectory, revision: str) -> str | None:
    known = {script.revision for script in scripts.walk_revisions()}
    if connection.dialect.name == "postgresql":
        # Several app processes may start at once: one migrates, the others wait.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(724311)")
    before = schema_revision(connection)
    if before is not None and before not in known:
        raise DatabaseTooNew(
            f"The database is at schema revision {before}, newer than this Lockstep knows "
            f"(up to {scripts.get_current_head()}): upgrade Lockstep, not the database."
        )
    if before is None and sa.inspect(connection).has_table("story"):
        # Made by a Lockstep from before migrations: it has the baseline schema.
        command.stamp(alembic_config(connection), BASELINE)
        before = BASELINE
    command.upgrade(alembic_config(connection), revision)
    return before


FLAGS_REVISION = "0004"  # from here on, translations carry stored flags


def open_database(url: str | None = None) -> Engine:
    """An engine with the schema in place: created or upgraded by the migrations.

    A desk upgraded from before flags existed has every stored translation checked once, so
    its existing errors block approval like new ones.
    """
    engine = make_engine(url)
    before = migrate(engine)
    if before is not None and before < FLAGS_REVISION:
        from sqlmodel import Session

        from workflow.flags import recheck_all

        with Session(engine) as session:
            recheck_all(session)
    return engine
