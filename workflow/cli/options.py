"""What several commands share, declared once: the database, `--by EMAIL`, `--json`, `--lang`,
`--since`, and reading the files they are given."""

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from workflow import LANGUAGES
from workflow.errors import LockstepError
from workflow.formats import DOCUMENT_FORMATS, FORMATS, ParsedStory, read_story_file

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.models import Person

# What each command module adds its commands to.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_command(
    commands: Commands,
    name: str,
    handler: Callable[..., None],
    help: str,
    *,
    database: bool = True,
    session: bool = True,
) -> argparse.ArgumentParser:
    """A command whose `handler` is called with a session on the database (`session`), or with
    its arguments alone; `--database URL` is offered when it uses the database (`database`)."""
    parser = commands.add_parser(name, help=help)
    if database:
        parser.add_argument(
            "--database",
            metavar="URL",
            help="the database (default: DATABASE_URL, else sqlite:///lockstep.db)",
        )
    parser.set_defaults(handler=handler, needs_database=session)
    return parser


def add_by(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--by", metavar="EMAIL", help=help)


def add_json(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--json", action="store_true", help=help)


def add_lang(parser: argparse.ArgumentParser, help: str | None = None, **kwargs: object) -> None:
    parser.add_argument("--lang", choices=list(LANGUAGES), help=help, **kwargs)  # type: ignore[arg-type]


def add_story_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=sorted([*FORMATS, *DOCUMENT_FORMATS]),
        help="default: found from the content",
    )


def read_file(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise LockstepError(f"Cannot read {file}: {exc.strerror}.") from None


def read_story(file: str, format_name: str | None = None) -> ParsedStory:
    data = read_file(file)
    return read_story_file(data, filename=Path(file).name, format_name=format_name)


def acting_person(session: "Session", args: argparse.Namespace, what: str) -> "Person":
    """The person a command acts as (`--by`): their role and languages are checked."""
    from workflow.accounts import person_for_email

    if not args.by:
        raise LockstepError(
            f"Say who is importing {what} with --by EMAIL: the texts are saved as theirs."
        )
    return person_for_email(session, args.by)


def since(text: str | None) -> datetime | None:
    """`--since YYYY-MM-DD` (or a full ISO time) as a UTC time; None when not given."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise LockstepError(f"--since {text!r} is not a date: use YYYY-MM-DD.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
