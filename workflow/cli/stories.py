"""Commands for stories: import, update (new English), translate (drafts), export, status."""

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workflow import LANGUAGES
from workflow.cli.options import (
    STORY_FORMAT,
    Arg,
    Commands,
    acting_person,
    add_command,
    by_option,
    json_option,
    lang_option,
    read_file,
    read_story,
    target_languages,
)
from workflow.errors import LockstepError

if TYPE_CHECKING:
    from sqlmodel import Session


def _import(session: "Session", args: argparse.Namespace) -> None:
    from workflow import exchange, memory
    from workflow.stories import import_story

    path = Path(args.file)
    kind = exchange.exchange_kind(read_file(args.file)[:4096], path.name)
    if kind in ("xliff", "tmx") and (args.story is not None or args.lang is not None):
        raise LockstepError(
            f"A{'n XLIFF' if kind == 'xliff' else ' TMX'} file names its own story and "
            "language: import it without --story and --lang."
        )
    if kind == "xliff":
        data = read_file(args.file)
        story_id, report = exchange.import_xliff(
            session, data, person=acting_person(session, args, "an XLIFF")
        )
        print(f"Story {story_id}, {LANGUAGES[report.lang]}: {report.summary()}")
        return
    if kind == "tmx":
        data = read_file(args.file)
        report_tmx = memory.import_tmx(session, data, origin=path.name, person=None)
        print(report_tmx.summary())
        return
    if args.story is not None or args.lang is not None:
        if args.story is None or args.lang is None:
            raise LockstepError("A translation is imported with both --story ID and --lang.")
        from workflow.formats import read_paragraphs_file

        paragraphs = read_paragraphs_file(read_file(args.file), filename=path.name)
        report = exchange.import_paragraphs(
            session, story_id=args.story, lang=args.lang, paragraphs=paragraphs,
            person=acting_person(session, args, "a translation"),
        )  # fmt: skip
        print(f"Story {args.story}, {LANGUAGES[args.lang]}: {report.summary()}")
        return
    parsed = read_story(args.file, args.format)
    story = import_story(session, parsed, person=None)
    print(f"Imported {path.name} ({parsed.format_name}): {len(parsed.all_paragraphs)} paragraphs.")
    print(story.id)


def _update(session: "Session", args: argparse.Namespace) -> None:
    from workflow.sources import update_source

    parsed = read_story(args.file, args.format)
    update = update_source(
        session,
        story_id=args.story,
        paragraphs=parsed.all_paragraphs,
        person=None,
        based_on=args.based_on,
    )
    print(update.summary())


def _translate(session: "Session", args: argparse.Namespace) -> None:
    from workflow.cli.jobs import ProgressLine
    from workflow.draft_jobs import draft_handlers, enqueue_draft
    from workflow.worker import Worker

    languages = args.lang
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or not languages:
        raise LockstepError(f"Unknown language {', '.join(unknown)}: use {','.join(LANGUAGES)}.")
    # The same job the desk's Draft button queues, run here (or followed, if the app's worker
    # took it first).
    queued = [
        enqueue_draft(session, story_id=args.story, lang=lang, person=None) for lang in languages
    ]
    engine, handlers = session.get_bind().engine, draft_handlers()
    failed = []
    for lang, job in zip(languages, queued, strict=True):
        assert job.id is not None
        bar = ProgressLine(LANGUAGES[lang])
        ended = Worker(engine, handlers, observe=bar).run_to_end(job.id, bar)
        print(ended.result or f"{LANGUAGES[lang]}: not drafted.")
        if ended.error:
            failed.append(ended.error)
    if failed:
        raise LockstepError(" ".join(failed))


def _export(session: "Session", args: argparse.Namespace) -> None:
    from workflow import exchange, memory
    from workflow.exports import export_version

    story_id = None if args.story == "all" else _story_id(args.story)
    if args.format == "tmx":
        sys.stdout.buffer.write(memory.export_tmx(session, story_id, args.lang))
        return
    if story_id is None or args.lang is None:
        raise LockstepError(
            f"--format {args.format} exports one story's version: give its id and --lang."
        )
    if args.format == "xliff":
        sys.stdout.buffer.write(exchange.export_xliff(session, story_id, args.lang))
        return
    sys.stdout.write(export_version(session, story_id, args.lang, args.format))


def _story_id(text: str) -> int:
    if not text.isdigit():
        raise LockstepError(f"{text!r} is not a story id (or 'all', for --format tmx).")
    return int(text)


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


def register(commands: Commands) -> None:
    add_command(
        commands, "import", _import,
        "a story from a file (prints its id last); a translation with --story and --lang; "
        "an XLIFF exported by Lockstep; a TMX into the translation memory",
        Arg("file"),
        Arg("--story", type=int, help="the story a translation file belongs to"),
        lang_option("the translation file's language"),
        by_option("who imports a translation or an XLIFF"),
        STORY_FORMAT,
    )  # fmt: skip
    add_command(
        commands, "update", _update,
        "replace a story's English with a new version; translations follow",
        Arg("story", type=int),
        Arg("file"),
        Arg("--based-on", type=int, metavar="N",
            help="the English version the file was made from: refused if the desk saved a "
            "later one"),
        STORY_FORMAT,
    )  # fmt: skip
    add_command(
        commands, "translate", _translate,
        "draft empty or stale paragraphs: memory first, then the engine",
        Arg("story", type=int),
        Arg("--lang", type=target_languages, default=list(LANGUAGES), help="ru, uk (ua) or ru,uk"),
    )  # fmt: skip
    add_command(
        commands, "export", _export,
        "an approved or published version, for the site; printed to stdout",
        Arg("story", help="a story id; 'all' with --format tmx"),
        lang_option("required but for tmx"),
        Arg("--format", required=True, choices=["md", "html", "json", "xliff", "tmx"],
            help="md, html, json: an approved version for the site; xliff: a version for a "
            "CAT tool; tmx: approved pairs for the translation memory"),
    )  # fmt: skip
    add_command(
        commands, "status", _status, "every story's state in every language",
        json_option("one JSON object per story"),
    )  # fmt: skip
