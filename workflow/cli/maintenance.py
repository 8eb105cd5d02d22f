"""Commands that keep the desk working: `db upgrade` / `db current`, `doctor`, `recheck`."""

import argparse
from typing import TYPE_CHECKING

from workflow.cli.options import Commands
from workflow.errors import LockstepError

if TYPE_CHECKING:
    from sqlmodel import Session


def _db(args: argparse.Namespace) -> None:
    from workflow.database import head_revision, make_engine, schema_revision, upgrade_database
    from workflow.history import command_line_actor

    # `db upgrade` is the one command that creates a database that is not there yet.
    engine = make_engine(args.database, create=args.db_command == "upgrade")
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


def register(commands: Commands, database: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="the database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser(
        "upgrade",
        parents=[database],
        help="create the database, or apply every migration not yet applied and what comes "
        "with it (as the app does when it starts)",
    ).set_defaults(handler=_db, needs_database=False)
    db_commands.add_parser(
        "current", parents=[database], help="which migration the database is at"
    ).set_defaults(handler=_db, needs_database=False)

    commands.add_parser(
        "doctor",
        parents=[database],
        help="check the database, its migrations and the machine-translation engine",
    ).set_defaults(handler=_doctor, needs_database=False)

    commands.add_parser(
        "recheck", parents=[database], help="run the checks again on every stored translation"
    ).set_defaults(handler=_recheck)
