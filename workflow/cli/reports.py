"""Commands that read the desk's record: report (every story's progress) and audit."""

import argparse
import json
import sys
from typing import TYPE_CHECKING

from workflow.cli.options import Arg, Commands, add_command, json_option, lang_option, since
from workflow.errors import LockstepError

if TYPE_CHECKING:
    from sqlmodel import Session


def _report(session: "Session", args: argparse.Namespace) -> None:
    from workflow.reports import ReportFilter, report_rows, to_csv

    rows = report_rows(session, ReportFilter(since=since(args.since), lang=args.lang))
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
    lines = audit_log(session, since=since(args.since), person_id=person_id, limit=None)[::-1]
    if args.json:
        json.dump([line.as_json() for line in lines], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    for line in lines:
        print(line.as_text())


def register(commands: Commands) -> None:
    add_command(
        commands, "report", _report,
        "every story in every language: state, counts, stale, errors, people",
        Arg("--since", help="only stories whose English changed since YYYY-MM-DD"),
        lang_option(),
        Arg("--format", choices=["csv", "json"], default="csv"),
    )  # fmt: skip
    add_command(
        commands, "audit", _audit,
        "the audit log, oldest first: stories, people, settings, sign-ins",
        Arg("--since", help="only what happened from YYYY-MM-DD on"),
        Arg("--person", metavar="EMAIL", help="what they did, and what was done to them"),
        json_option("a JSON list of lines"),
    )  # fmt: skip
