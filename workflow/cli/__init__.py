"""The command line, for operators and a CMS: `python -m workflow COMMAND ...`.

It honours `DATABASE_URL` like the app (or `--database URL`). Results go to standard output
(the last line of `import` is the new story's id); refusals go to standard error as one line,
exit code 1; a wrong invocation exits with 2. Only `db upgrade` creates or migrates a database:
every other command refuses one whose schema is behind this release's, so running a new
release's command against a desk the old one still serves changes nothing under it.

It is an operator's tool: whoever can reach the database can use it, and `--by EMAIL` is taken
on trust, so nobody signs in here. Every change it makes is recorded in the audit log as made
by "command line, as <OS user>" (beside the `--by` person, when one is named).

Each module here holds one group of commands and adds them to the parser (`register`); what
they share is declared once in `options`. A CMS may call a command per story, so commands
start fast: building the parser imports nothing heavy, each command imports what it uses when
it runs, `realign` imports nothing of the database, and a command on the desk checks its schema
with one query. Alembic is imported only by `db` and `doctor`, or to explain a schema that is
not this release's.
"""

import argparse
import sys
from collections.abc import Sequence

from workflow.cli import integrations, jobs, maintenance, people, reports, stories, texts
from workflow.errors import LockstepError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workflow",
        description=__doc__.split("\n")[0],
        epilog="An operator's tool: nobody signs in, and --by EMAIL is taken on trust. Every "
        "change is recorded in the audit log as made by 'command line, as <OS user>'.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for group in (stories, jobs, maintenance, texts, reports, people, integrations):
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if not getattr(args, "needs_database", True):
            args.handler(args)
            return 0
        from sqlmodel import Session

        from workflow.database import open_current_database
        from workflow.history import acting_as, command_line_actor

        actor = command_line_actor()
        engine = open_current_database(args.database)
        try:
            with Session(engine) as session, acting_as(actor):
                args.handler(session, args)
        finally:
            engine.dispose()
    except LockstepError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(exc, SQLAlchemyError):
            raise
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(
            f"error: the database could not be used ({reason}); nothing was changed.",
            file=sys.stderr,
        )
        return 1
    return 0
