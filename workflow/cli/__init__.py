"""The command line, for operators and a CMS: `python -m workflow COMMAND ...`.

It honours `DATABASE_URL` like the app. Results go to standard output (the last line of
`import` is the new story's id); refusals go to standard error as one line, exit code 1;
a wrong invocation exits with 2.

It is an operator's tool: whoever can reach the database can use it, and `--by EMAIL` is taken
on trust, so nobody signs in here. Every change it makes is recorded in the audit log as made
by "command line, as <OS user>" (beside the `--by` person, when one is named).
"""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workflow import LANGUAGES
from workflow.errors import LockstepError
from workflow.formats import DOCUMENT_FORMATS, FORMATS, ParsedStory, read_story_file
from workflow.states import Role

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from workflow.models import Person

# Commands that touch the database import it when they run: `realign` must start fast.


def _read_story(file: str, format_name: str | None = None) -> ParsedStory:
    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LockstepError(f"Cannot read {path}: {exc.strerror}.") from None
    return read_story_file(data, filename=path.name, format_name=format_name)


def _read(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        raise LockstepError(f"Cannot read {file}: {exc.strerror}.") from None


def _person(session: "Session", args: argparse.Namespace, what: str) -> "Person":
    """The person a command acts as (`--by`): their role and languages are checked."""
    from workflow.accounts import person_for_email

    if not args.by:
        raise LockstepError(
            f"Say who is importing {what} with --by EMAIL: the texts are saved as theirs."
        )
    return person_for_email(session, args.by)


def _import(session: "Session", args: argparse.Namespace) -> None:
    from workflow import interchange
    from workflow.stories import import_story

    path = Path(args.file)
    kind = interchange.exchange_kind(_read(args.file)[:4096], path.name)
    if kind in ("xliff", "tmx") and (args.story is not None or args.lang is not None):
        raise LockstepError(
            f"A{'n XLIFF' if kind == 'xliff' else ' TMX'} file names its own story and "
            "language: import it without --story and --lang."
        )
    if kind == "xliff":
        data = _read(args.file)
        story_id, report = interchange.import_xliff(
            session, data, person=_person(session, args, "an XLIFF")
        )
        print(f"Story {story_id}, {LANGUAGES[report.lang]}: {report.summary()}")
        return
    if kind == "tmx":
        memory = interchange.import_tmx(session, _read(args.file), origin=path.name, person=None)
        print(memory.summary())
        return
    if args.story is not None or args.lang is not None:
        if args.story is None or args.lang is None:
            raise LockstepError("A translation is imported with both --story ID and --lang.")
        from workflow.formats import read_paragraphs_file

        paragraphs = read_paragraphs_file(_read(args.file), filename=path.name)
        report = interchange.import_paragraphs(
            session, story_id=args.story, lang=args.lang, paragraphs=paragraphs,
            person=_person(session, args, "a translation"),
        )  # fmt: skip
        print(f"Story {args.story}, {LANGUAGES[args.lang]}: {report.summary()}")
        return
    parsed = _read_story(args.file, args.format)
    story = import_story(session, parsed, person=None)
    print(f"Imported {path.name} ({parsed.format_name}): {len(parsed.all_paragraphs)} paragraphs.")
    print(story.id)


def _update(session: "Session", args: argparse.Namespace) -> None:
    from workflow.sources import update_source

    parsed = _read_story(args.file, args.format)
    update = update_source(
        session, story_id=args.story, paragraphs=parsed.all_paragraphs, person=None
    )
    print(update.summary())


def _translate(session: "Session", args: argparse.Namespace) -> None:
    from workflow.drafts import draft_version
    from workflow.machinery import EngineSettings, make_engine

    languages = [code.strip() for code in args.lang.split(",") if code.strip()]
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or not languages:
        raise LockstepError(f"Unknown language {', '.join(unknown)}: use {','.join(LANGUAGES)}.")
    engine = make_engine(EngineSettings.load(session))
    failed = None
    for lang in languages:
        report = draft_version(session, story_id=args.story, lang=lang, engine=engine, person=None)
        print(report.summary())
        failed = failed or report.fault
    if failed is not None:
        raise failed


def _db(args: argparse.Namespace) -> None:
    from workflow.database import make_engine

    engine = make_engine()
    try:
        _report_schema(engine, args.db_command)
    finally:
        engine.dispose()


def _report_schema(engine: "Engine", command: str) -> None:
    from workflow.database import head_revision, migrate, schema_revision

    if command == "upgrade":
        before = migrate(engine)
        with engine.connect() as connection:
            after = schema_revision(connection)
        print(f"Schema upgraded from {before or 'nothing'} to {after}." if before != after
              else f"Schema already at {after}, the newest.")  # fmt: skip
    else:
        with engine.connect() as connection:
            print(
                f"Schema at {schema_revision(connection) or 'nothing'}; code at {head_revision()}."
            )


def _doctor(args: argparse.Namespace) -> None:
    from workflow.doctor import checks

    failed = 0
    for ok, line in checks():
        print(("ok    " if ok else "FAIL  ") + line)
        failed += not ok
    if failed:
        raise LockstepError(f"{failed} check{'s' if failed != 1 else ''} failed: see above.")


def _realign(args: argparse.Namespace) -> None:
    from workflow.realign import realign

    old = _read_story(args.old).all_paragraphs
    new = _read_story(args.new).all_paragraphs
    print(json.dumps(realign(old, new).as_json()))


def _check(args: argparse.Namespace) -> None:
    from workflow.checks import Pair, run_checks

    path = Path(args.pairs)
    try:
        pairs = json.loads(path.read_bytes())
    except OSError as exc:
        raise LockstepError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LockstepError(f"{path} is not JSON: {exc}.") from None
    if not isinstance(pairs, list) or not all(
        isinstance(p, dict)
        and isinstance(p.get("source"), str)
        and isinstance(p.get("target"), str)
        for p in pairs
    ):
        raise LockstepError(
            f'{path} must hold a list of {{"source": "...", "target": "..."}} objects.'
        )
    paragraphs = [
        {
            "index": index,
            "flags": [f.as_json() for f in run_checks(Pair(p["source"], p["target"], args.lang))],
        }
        for index, p in enumerate(pairs)
    ]
    json.dump({"paragraphs": paragraphs}, sys.stdout, ensure_ascii=False)
    print()


def _export(session: "Session", args: argparse.Namespace) -> None:
    from workflow import interchange
    from workflow.exports import export_version

    story_id = None if args.story == "all" else _story_id(args.story)
    if args.format == "tmx":
        sys.stdout.buffer.write(interchange.export_tmx(session, story_id, args.lang))
        return
    if story_id is None or args.lang is None:
        raise LockstepError(
            f"--format {args.format} exports one story's version: give its id and --lang."
        )
    if args.format == "xliff":
        sys.stdout.buffer.write(interchange.export_xliff(session, story_id, args.lang))
        return
    sys.stdout.write(export_version(session, story_id, args.lang, args.format))


def _story_id(text: str) -> int:
    if not text.isdigit():
        raise LockstepError(f"{text!r} is not a story id (or 'all', for --format tmx).")
    return int(text)


def _since(text: str | None) -> "datetime | None":
    """`--since YYYY-MM-DD` (or a full ISO time) as a UTC time; None when not given."""
    from datetime import UTC, datetime

    if not text:
        return None
    try:
        since = datetime.fromisoformat(text)
    except ValueError:
        raise LockstepError(f"--since {text!r} is not a date: use YYYY-MM-DD.") from None
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def _report(session: "Session", args: argparse.Namespace) -> None:
    from workflow.reports import ReportFilter, report_rows, to_csv

    rows = report_rows(session, ReportFilter(since=_since(args.since), lang=args.lang))
    if args.format == "csv":
        sys.stdout.write(to_csv(rows))
    else:
        json.dump([row.as_json() for row in rows], sys.stdout, ensure_ascii=False)
        print()


def _audit(session: "Session", args: argparse.Namespace) -> None:
    from workflow.accounts import person_for_email
    from workflow.audit import audit_log
    from workflow.errors import NotFound

    person_id = None
    if args.person:
        try:
            person_id = person_for_email(session, args.person).id
        except NotFound:
            raise LockstepError(f"Nobody at this desk signs in as {args.person}.") from None
    # Oldest first, as a log is read (the page shows the newest first).
    lines = audit_log(session, since=_since(args.since), person_id=person_id, limit=None)[::-1]
    if args.json:
        json.dump([line.as_json() for line in lines], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    for line in lines:
        print(line.as_text())


def _recheck(session: "Session", args: argparse.Namespace) -> None:
    from workflow.flags import recheck_all

    print(f"Checked {recheck_all(session)} translations again.")


def _status(session: "Session", args: argparse.Namespace) -> None:
    from workflow.progress import status_report

    report = status_report(session)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for story in report:
        print(f"{story['id']:>5}  {story['headline']}")
        for lang, version in story["languages"].items():
            counts = ", ".join(f"{n} {state}" for state, n in version["counts"].items() if n)
            stale = f", {version['stale']} stale" if version["stale"] else ""
            print(f"       {lang}  {version['state']:<15} {counts}{stale}")


def _read_password(args: argparse.Namespace, *, required: bool) -> str | None:
    """A password from standard input (`--password-stdin`) or typed twice at a prompt; never
    from the command line, where it would be seen in the process list and shell history."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        import getpass

        hint = "" if required else " (empty: signs in by single sign-on only)"
        password = getpass.getpass(f"Password for {args.name}{hint}: ")
        if password and getpass.getpass("Again: ") != password:
            raise LockstepError("The two passwords differ; nothing was changed.")
    elif required:
        raise LockstepError("Give the password on standard input with --password-stdin.")
    else:
        return None
    if not password and required:
        raise LockstepError("The password is empty; nothing was changed.")
    return password or None


def _user_add(session: "Session", args: argparse.Namespace) -> None:
    from workflow.people import add_person

    languages = [code for code in (args.languages or "").split(",") if code]
    password = _read_password(args, required=False)
    person = add_person(
        session,
        name=args.name,
        role=args.role,
        languages=languages,
        email=args.email,
        password=password,
    )
    how = "a password" if password else "single sign-on only"
    print(f"Added {person.name} ({person.role.value}, {person.email or 'no e-mail'}, {how}).")
    print(person.id)


def _user_set_password(session: "Session", args: argparse.Namespace) -> None:
    from workflow.accounts import set_password

    password = _read_password(args, required=True)
    assert password is not None
    person = set_password(session, name=args.name, password=password)
    print(f"{person.name} has a new password.")


def _user_set_role(session: "Session", args: argparse.Namespace) -> None:
    from workflow.people import set_role

    languages = None if args.languages is None else [c for c in args.languages.split(",") if c]
    person = set_role(session, name=args.name, role=args.role, languages=languages)
    print(
        f"{person.name} is now {person.role.with_article} ({person.languages or 'no languages'})."
    )


def _user_list(session: "Session", args: argparse.Namespace) -> None:
    from workflow.people import list_people

    for person in list_people(session):
        print(
            f"{person.id:>4}  {person.name:<30} {person.role.value:<11} "
            f"{person.languages or '-':<6} {person.email or '-'}"
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workflow",
        description=__doc__.split("\n")[0],
        epilog="An operator's tool: nobody signs in, and --by EMAIL is taken on trust. Every "
        "change is recorded in the audit log as made by 'command line, as <OS user>'.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser(
        "import",
        help="a story from a file (prints its id last); a translation with --story and --lang; "
        "an XLIFF exported by Lockstep; a TMX into the translation memory",
    )
    imp.add_argument("file")
    imp.add_argument("--story", type=int, help="the story a translation file belongs to")
    imp.add_argument("--lang", choices=list(LANGUAGES), help="the translation file's language")
    imp.add_argument("--by", metavar="EMAIL", help="who imports a translation or an XLIFF")
    imp.add_argument(
        "--format",
        choices=sorted([*FORMATS, *DOCUMENT_FORMATS]),
        help="default: found from the content",
    )
    imp.set_defaults(handler=_import)

    update = commands.add_parser(
        "update", help="replace a story's English with a new version; translations follow"
    )
    update.add_argument("story", type=int)
    update.add_argument("file")
    update.add_argument(
        "--format",
        choices=sorted([*FORMATS, *DOCUMENT_FORMATS]),
        help="default: found from the content",
    )
    update.set_defaults(handler=_update)

    translate = commands.add_parser(
        "translate", help="draft empty or stale paragraphs: memory first, then the engine"
    )
    translate.add_argument("story", type=int)
    translate.add_argument("--lang", default=",".join(LANGUAGES), help="ru, uk or ru,uk")
    translate.set_defaults(handler=_translate)

    db = commands.add_parser("db", help="the database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply every migration not yet applied")
    db_commands.add_parser("current", help="which migration the database is at")
    db.set_defaults(handler=_db, needs_database=False)

    doctor = commands.add_parser(
        "doctor", help="check the database, its migrations and the machine-translation engine"
    )
    doctor.set_defaults(handler=_doctor, needs_database=False)

    realign = commands.add_parser(
        "realign",
        help="map the paragraphs of NEW to those of OLD, and name each old one's heir; prints JSON",
    )
    realign.add_argument("old")
    realign.add_argument("new")
    realign.set_defaults(handler=_realign, needs_database=False)

    check = commands.add_parser(
        "check", help="run the quality checks on (English, translation) pairs; prints JSON"
    )
    check.add_argument("pairs", help='a JSON list of {"source": ..., "target": ...} objects')
    check.add_argument("--lang", required=True, choices=list(LANGUAGES))
    check.set_defaults(handler=_check, needs_database=False)

    export = commands.add_parser(
        "export", help="an approved or published version, for the site; printed to stdout"
    )
    export.add_argument("story", help="a story id; 'all' with --format tmx")
    export.add_argument("--lang", choices=list(LANGUAGES), help="required but for tmx")
    export.add_argument(
        "--format",
        required=True,
        choices=["md", "html", "json", "xliff", "tmx"],
        help="md, html, json: an approved version for the site; xliff: a version for a CAT "
        "tool; tmx: approved pairs for the translation memory",
    )
    export.set_defaults(handler=_export)

    report = commands.add_parser(
        "report", help="every story in every language: state, counts, stale, errors, people"
    )
    report.add_argument("--since", help="only stories whose English changed since YYYY-MM-DD")
    report.add_argument("--lang", choices=list(LANGUAGES))
    report.add_argument("--format", choices=["csv", "json"], default="csv")
    report.set_defaults(handler=_report)

    audit = commands.add_parser(
        "audit", help="the audit log, oldest first: stories, people, settings, sign-ins"
    )
    audit.add_argument("--since", help="only what happened from YYYY-MM-DD on")
    audit.add_argument("--person", metavar="EMAIL", help="what they did, and what was done to them")
    audit.add_argument("--json", action="store_true", help="a JSON list of lines")
    audit.set_defaults(handler=_audit)

    commands.add_parser(
        "recheck", help="run the checks again on every stored translation"
    ).set_defaults(handler=_recheck)

    status = commands.add_parser("status", help="every story's state in every language")
    status.add_argument("--json", action="store_true", help="one JSON object per story")
    status.set_defaults(handler=_status)

    user = commands.add_parser("user", help="people who work at the desk")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    add = user_commands.add_parser("add", help="add a person; prints the id last")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--languages", help=f"comma separated: {','.join(LANGUAGES)}")
    add.add_argument("--email", help="how they sign in (and their single sign-on identity)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(handler=_user_add)
    set_password_command = user_commands.add_parser(
        "set-password", help="set a person's password (asked for, or read from standard input)"
    )
    set_password_command.add_argument("name")
    set_password_command.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    set_password_command.set_defaults(handler=_user_set_password)
    set_role_command = user_commands.add_parser("set-role", help="change a person's role")
    set_role_command.add_argument("name")
    set_role_command.add_argument("--role", required=True, choices=[r.value for r in Role])
    set_role_command.add_argument("--languages", help="comma separated; unchanged if not given")
    set_role_command.set_defaults(handler=_user_set_role)
    user_commands.add_parser("list", help="everyone, with role, languages and e-mail").set_defaults(
        handler=_user_list
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if not getattr(args, "needs_database", True):
            args.handler(args)
            return 0
        from sqlmodel import Session

        from workflow.database import open_database
        from workflow.history import acting_as, command_line_actor

        engine = open_database()
        try:
            with Session(engine) as session, acting_as(command_line_actor()):
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
