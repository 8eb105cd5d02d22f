"""The one place that creates the database engine: `DATABASE_URL`, SQLite pragmas, migrations.

The schema is created and upgraded only by the Alembic migrations in `workflow/migrations`,
through one procedure (`upgrade_database`) that the app's start and `db upgrade` run alike;
every other command opens a current database only (`open_current_database`), and a database
that a newer Lockstep has upgraded beyond what this code knows is refused.
A SQLite file is created only when asked, and losing it under a running app is said.

Alembic is imported only by what migrates or must explain a schema that is not current: a
command that finds the schema at `schema_head()` has paid one query, not Alembic's import
(a third of a second, which a CMS calling the command line per story would pay every time).
"""

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

import workflow.models  # noqa: F401  (registers the desk's tables on SQLModel.metadata)
from workflow.errors import LockstepError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"  # the schema as it was before migrations: databases made then start here
REVISION_FILE = re.compile(r"(\d{4})_\w+\.py")  # `0009_lock_version.py` holds revision 0009

DEFAULT_DATABASE_URL = "sqlite:///lockstep.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def database_url() -> str:
    """`DATABASE_URL` from the environment, or a SQLite file in the working folder."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def make_db_engine(url: str | None = None, *, create: bool = True) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout and foreign keys per connection.

    A SQLite file that does not exist is created only when `create` says so (else `NoDatabase`),
    and the file is watched while the engine lives (`SQLiteFileWatch`).
    """
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)

    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    watch = None if in_memory else SQLiteFileWatch(sqlite_path(url), create=create)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False},
        # One shared connection keeps an in-memory database alive across sessions.
        poolclass=StaticPool if in_memory else None,
    )

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        # First: the pragmas after it wait as long as any statement for a lock held elsewhere.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            # WAL lets readers go on while one process writes; the desk runs several sessions.
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        if watch is not None:
            watch.opened()

    if watch is not None:
        sa.event.listen(engine, "do_connect", lambda *_: watch.before_opening())
        sa.event.listen(
            engine, "before_cursor_execute", lambda _c, _k, statement, *_: watch.writing(statement)
        )
    return engine


def sqlite_path(url: str) -> Path:
    """The file a SQLite URL names, made absolute (the app may change folders later)."""
    return Path(make_url(url).database or "").resolve()


class NoDatabase(LockstepError):
    """The database file named does not exist, and this command does not create one."""


class DatabaseFileGone(LockstepError):
    """The SQLite file was moved, deleted or replaced under a running Lockstep."""


class SQLiteFileWatch:
    """Which file an engine's connections have open, so that losing it is said, not hidden.

    SQLite goes on writing to a file that was deleted or moved while it is open: every save
    says OK and vanishes when the app restarts (or a new connection makes a new empty file).
    The file's identity (device and inode) is noted when the first connection opens it and
    compared before every statement that may write and every new connection (a stat call of a
    few microseconds).
    """

    def __init__(self, path: Path, *, create: bool) -> None:
        self.path, self.create = path, create
        self.identity: tuple[int, int] | None = None
        self.before_opening()

    def _current(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        return stat.st_dev, stat.st_ino

    def before_opening(self) -> None:
        """A new connection never makes a new file, but for the first one, if asked to."""
        if self.identity is not None:
            self.check()
        elif not self.create and not self.path.exists():
            raise NoDatabase(
                f"No database at {self.path}; run `python -m workflow db upgrade` to create it."
            )

    def opened(self) -> None:
        if self.identity is None:
            self.identity = self._current()
        else:
            self.check()

    def writing(self, statement: str) -> None:
        """Before a statement: one that may write is refused when the file is lost. Reads go
        on (the open file still holds what the page shows), so a page says it at the save."""
        if statement.lstrip()[:6].upper() not in ("SELECT", "PRAGMA"):
            self.check()

    def check(self) -> None:
        if self.identity is None:
            return  # not opened yet: the first connection is creating it
        if self._current() != self.identity:
            raise DatabaseFileGone(
                f"The database file {self.path} was moved, deleted or replaced while Lockstep "
                "was running: nothing more can be saved. Put the file back, or restart "
                "Lockstep to use the file now at that place."
            )


class DatabaseTooNew(LockstepError):
    """The database was upgraded by a newer Lockstep than this one."""


def _too_new(current: str, head: str | None) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"The database is at schema revision {current}, newer than this Lockstep knows "
        f"(up to {head}): upgrade Lockstep, not the database."
    )


def alembic_config(connection: Connection | None = None) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def schema_revision(connection: Connection) -> str | None:
    """The migration the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _scripts() -> "ScriptDirectory":
    """Alembic's view of the migrations this code holds."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    return _scripts().get_current_head() or ""


def schema_head() -> str:
    """The newest migration this code holds, known without importing Alembic: from the names
    of the files in `migrations/versions`, so that adding one moves it (tests hold every file's
    name to its revision, and this to Alembic's head)."""
    return newest_revision(path.name for path in (MIGRATIONS / "versions").iterdir())


def newest_revision(file_names: Iterable[str]) -> str:
    """The highest revision among migration files named `NNNN_what_it_does.py`; "" for none."""
    matches = (REVISION_FILE.fullmatch(name) for name in file_names)
    return max((match.group(1) for match in matches if match), default="")


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
    scripts = _scripts()
    return _run(engine, lambda connection: _upgrade(connection, scripts, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (for an operator undoing a release)."""
    from alembic import command

    _run(engine, lambda connection: command.downgrade(alembic_config(connection), revision))


def _upgrade(connection: Connection, scripts: "ScriptDirectory", revision: str) -> str | None:
    from alembic import command

    known = {script.revision for script in scripts.walk_revisions()}
    if connection.dialect.name == "postgresql":
        # Several app processes may start at once: one migrates, the others wait.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(724311)")
    before = schema_revision(connection)
    if before is not None and before not in known:
        raise _too_new(before, scripts.get_current_head())
    if before is None and sa.inspect(connection).has_table("story"):
        # Made by a Lockstep from before migrations: it has the baseline schema.
        command.stamp(alembic_config(connection), BASELINE)
        before = BASELINE
    command.upgrade(alembic_config(connection), revision)
    return before


FLAGS_REVISION = "0004"  # from here on, translations carry stored flags
APP_START = "app start"  # how the audit log names an upgrade the app made as it started


@dataclass(frozen=True)
class Upgrade:
    """What one run of the upgrade procedure did."""

    before: str | None  # None: the database was empty
    after: str
    rechecked: int | None = None  # translations checked again, when flags came with it

    def summary(self) -> str:
        if self.before == self.after:
            return f"Schema already at {self.after}, the newest."
        said = f"Schema upgraded from {self.before or 'nothing'} to {self.after}."
        if self.rechecked is not None:
            said += f" Checked {self.rechecked} translations again."
        return said


def upgrade_database(engine: Engine, *, actor: str) -> Upgrade:
    """The one upgrade procedure, for the app's start and `db upgrade` alike.

    Migrates to the newest schema, then does the one-time steps the migrations bring (a desk
    from before flags has every stored translation checked once, so its existing errors block
    approval like new ones) and records the upgrade in the audit log as made by `actor`, all in
    the migration's transaction: a failure leaves the database as it was. A new, empty database
    is only created: there is nothing to catch up or to record.
    """
    scripts = _scripts()
    return _run(engine, lambda connection: _upgrade_and_catch_up(connection, scripts, actor))


def _upgrade_and_catch_up(
    connection: Connection, scripts: "ScriptDirectory", actor: str
) -> Upgrade:
    before = _upgrade(connection, scripts, "head")
    after = schema_revision(connection) or ""
    if before is None or before == after:
        return Upgrade(before, after)
    from sqlmodel import Session

    from workflow.flags import recheck_all
    from workflow.history import Event, record_change

    # Bound to the migration's connection, the session joins its transaction: its commits
    # are kept only if the whole upgrade is.
    with Session(bind=connection) as session:
        rechecked = recheck_all(session) if before < FLAGS_REVISION else None
        upgrade = Upgrade(before, after, rechecked)
        record_change(
            session, action=Event.UPGRADE_DATABASE, person=None, actor=actor,
            detail=upgrade.summary(),
        )  # fmt: skip
        session.commit()
    return upgrade


def open_database(url: str | None = None, *, create: bool = True, actor: str = APP_START) -> Engine:
    """An engine with the schema in place, through the upgrade procedure (`upgrade_database`).

    A SQLite file that does not exist is made only when `create` says so: by `db upgrade` and
    the quick start's default file, never by a mistyped path.
    """
    engine = make_db_engine(url, create=create)
    try:
        upgrade_database(engine, actor=actor)
    except BaseException:
        engine.dispose()
        raise
    return engine


class DatabaseBehind(LockstepError):
    """The database's schema is older than this Lockstep's: only an upgrade may change it."""


def open_current_database(url: str | None = None) -> Engine:
    """An engine on a database whose schema is already this Lockstep's; nothing is migrated.

    For every command but `db upgrade`: a new release's `status` run against a desk the old
    release still serves must not change the schema under it. Behind is refused, pointing to
    `db upgrade`; ahead is `DatabaseTooNew`. A current database costs one query.
    """
    engine = make_db_engine(url, create=False)
    try:
        if _recorded_revisions(engine) != [schema_head()]:
            _check_schema_with_alembic(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _recorded_revisions(engine: Engine) -> list[str] | None:
    """What `alembic_version` holds, read in one query; None when it cannot be read (an empty
    database has no such table), for Alembic to say why."""
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            return [str(revision) for (revision,) in rows]
    except sa.exc.DBAPIError:
        return None


def _check_schema_with_alembic(engine: Engine) -> None:
    """Refuse a schema that is not the newest this code's migrations make, saying why."""
    with engine.connect() as connection:
        current = schema_revision(connection)
    scripts = _scripts()
    head = scripts.get_current_head()
    if current != head:
        known = {script.revision for script in scripts.walk_revisions()}
        if current is not None and current not in known:
            raise _too_new(current, head)
        raise DatabaseBehind(
            f"The database's schema is at {current or 'nothing'}, older than this "
            f"Lockstep's ({head}): run `python -m workflow db upgrade` first (it upgrades "
            "the database as the app's start does). Nothing was changed."
        )
