"""Commands on texts alone, with no database (they must start fast): realign and check."""

import argparse
import json
import sys
from pathlib import Path

from workflow.cli.options import Arg, Commands, add_command, lang_option, read_story
from workflow.errors import LockstepError


def _realign(args: argparse.Namespace) -> None:
    from workflow.realign import realign

    old = read_story(args.old).all_paragraphs
    new = read_story(args.new).all_paragraphs
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


def register(commands: Commands) -> None:
    add_command(
        commands, "realign", _realign,
        "map the paragraphs of NEW to those of OLD, and name each old one's heir; prints JSON",
        Arg("old"),
        Arg("new"),
        database=False, session=False,
    )  # fmt: skip
    add_command(
        commands, "check", _check,
        "run the quality checks on (English, translation) pairs; prints JSON",
        Arg("pairs", help='a JSON list of {"source": ..., "target": ...} objects'),
        lang_option(required=True),
        database=False, session=False,
    )  # fmt: skip
