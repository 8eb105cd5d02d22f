"""How a command is declared, and what several commands share, declared once: the database,
`--by EMAIL`, `--json`, `--lang`, `--format` of a story file, `--since`, and reading the files
they are given.

A command is one `add_command` call with its arguments as data (`Arg`), so a group module's
`register` reads as a table of its commands. Building the parser imports nothing heavy: every
command pays for it, `status` and `realign` included.
"""

import argparse
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from workflow import LANGUAGES
from workflow.errors import LockstepError

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.formats import ParsedStory
    from workflow.models import Person

# What each command module adds its commands to.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class Arg:
    """One argument of a command, as `ArgumentParser.add_argument` takes it."""

    def __init__(self, *names: str, **options: Any) -> None:
        self.names, self.options = names, options


def add_command(
    commands: Commands,
    name: str,
    handler: Callable[..., None],
    help: str,
    *arguments: Arg,
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
    for argument in arguments:
        parser.add_argument(*argument.names, **argument.options)
    parser.set_defaults(handler=handler, needs_database=session)
    return parser


def by_option(help: str) -> Arg:
    return Arg("--by", metavar="EMAIL", help=help)


def json_option(help: str) -> Arg:
    return Arg("--json", action="store_true", help=help)


def target_language(text: str) -> str:
    """`--lang`'s value as the desk's code: `ua` (or `UA`, `uk-UA`) is `uk`."""
    from workflow.languages import language_code

    try:
        return language_code(text)
    except LockstepError as unknown:
        raise argparse.ArgumentTypeError(str(unknown)) from None


def target_languages(text: str) -> list[str]:
    """`ru,ua` as the desk's codes, each once (`comma_separated`, then `target_language`)."""
    return list(dict.fromkeys(target_language(item) for item in comma_separated(text)))


def lang_option(help: str | None = None, **options: Any) -> Arg:
    shown = f"{', '.join(LANGUAGES)} (ua for Ukrainian too)"
    return Arg("--lang", type=target_language, metavar="LANG", help=help or shown, **options)


class StoryFormatNames(Collection[str]):
    """The names `--format` takes for a story file, read from `workflow.formats` only when a
    name is checked or help is shown: importing every format (Word, XLIFF...) to build the
    parser would slow every command by a tenth of a second."""

    def _names(self) -> list[str]:
        from workflow.formats import STORY_FORMATS

        return sorted(STORY_FORMATS)

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


# The metavar keeps argparse from listing the choices (importing the formats) as it declares.
STORY_FORMAT = Arg(
    "--format",
    choices=StoryFormatNames(),
    metavar="FORMAT",
    help="one of %(choices)s; default: found from the content",
)


def read_file(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise LockstepError(f"Cannot read {file}: {exc.strerror}.") from None


def read_story(file: str, format_name: str | None = None) -> "ParsedStory":
    from workflow.formats import read_story_file

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


def comma_separated(text: str) -> list[str]:
    """`ru,uk` as its items, without spaces or empty ones (`ru, uk,` is the same)."""
    return [item.strip() for item in text.split(",") if item.strip()]


def since(text: str | None) -> datetime | None:
    """`--since YYYY-MM-DD` (or a full ISO time) as a UTC time; None when not given."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise LockstepError(f"--since {text!r} is not a date: use YYYY-MM-DD.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
