"""Commands that keep the desk working: `db upgrade` / `db current`, `doctor`, `recheck`."""

import argparse
from typing import TYPE_CHECKING

from workflow.cli.options import Commands, add_command
from workflow.errors import LockstepError

if TYPE_CHECKING:
    from sqlmodel import Session


def _db(args: argparse.Namespace) -> None:
    from workflow.database import head_revision, make_db_engine, schema_revision, upgrade_database
    from workflow.history import command_line_actor

    # `db upgrade` is the one command that creates a database that is not there yet.
    engine = make_db_engine(args.database, create=args.db_command == "upgrade")
    try:
        if args.db_command == "upgrade":
            print(upgrade_database(engine, actor=command_line_actor()).summary())
            return
        with engine.connect() as connection:
            print(
                f"Schema at {schema_revision(connection) or 'nothing'}; code at {head_revision()}."
            )
    finally:
        engine.dispose()


def _doctor(args: argparse.Namespace) -> None:
    from workflow.doctor import checks

    failed = 0
    for ok, line in checks(args.database):
        print(("ok    " if ok else "FAIL  ") + line)
        failed += not ok
    if failed:
        raise LockstepError(f"{failed} check{'s' if failed != 1 else ''} failed: see above.")


def _recheck(session: "Session", args: argparse.Namespace) -> None:
    from workflow.flags import recheck_all

    print(f"Checked {recheck_all(session)} translations again.")


def register(commands: Commands) -> None:
    db = commands.add_parser("db", help="the database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    # These open the database themselves: `db upgrade` may create it, `doctor` diagnoses it.
    add_command(
        db_commands, "upgrade", _db,
        "create the database, or apply every migration not yet applied and what comes with "
        "it (as the app does when it starts)",
        session=False,
    )  # fmt: skip
    add_command(db_commands, "current", _db, "which migration the database is at", session=False)
    add_command(
        commands, "doctor", _doctor,
        "check the database, its migrations and the machine-translation engine",
        session=False,
    )  # fmt: skip
    add_command(commands, "recheck", _recheck, "run the checks again on every stored translation")
