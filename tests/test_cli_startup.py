"""Fast commands: what a command imports and asks the database before it does its work.

A CMS calls the command line once per story, so what every command pays at start counts:
commands that only read import neither Alembic nor Streamlit, check the schema with one
query, and `realign` (texts alone) imports nothing of the database. Their time is measured by
`benchmarks/command_startup.py`, not here.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SEED_BYTES
from workflow.cli import build_parser, main
from workflow.cli.options import comma_separated
from workflow.database import (
    head_revision,
    make_db_engine,
    newest_revision,
    open_current_database,
    schema_head,
)

ROOT = Path(__file__).parents[1]
NEVER_FOR_READING = ("alembic", "streamlit", "workflow.formats")
LOADED_WHEN_NAMED = ("jobs", "integrations", "notifications", "presence", "stale", "unsaved")
THE_DATABASE = ("sqlalchemy", "sqlmodel", "alembic", "workflow.database", "workflow.models")

# Runs `python -m workflow ARGS` as a CMS would, then prints its exit code and the modules of
# `WATCHED` it imported, as the last line.
RUN_AND_LIST_IMPORTS = """
import json, runpy, sys
watched, sys.argv = sys.argv[1].split(","), ["workflow", *sys.argv[2:]]
try:
    runpy.run_module("workflow", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
imported = sorted(m for m in sys.modules if any(m == w or m.startswith(w + ".") for w in watched))
print(json.dumps({"code": code, "imported": imported}))
"""


def imports_of_command(watched: tuple[str, ...], *args: str) -> list[str]:
    """Which of `watched` (modules and their submodules) a fresh process running the command
    imported; the command must succeed."""
    result = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_IMPORTS, ",".join(watched), *args],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome["code"] == 0, result.stderr
    return outcome["imported"]


@pytest.fixture
def desk_with_a_story(db_url, tmp_path, capsys) -> str:
    seed = tmp_path / "story.txt"
    seed.write_bytes(SEED_BYTES)
    assert main(["import", str(seed)]) == 0
    capsys.readouterr()
    return db_url


@pytest.mark.parametrize(
    "command",
    [["status", "--json"], ["status"], ["report"], ["audit"], ["user", "list"]],
    ids=" ".join,
)
def test_a_reading_command_imports_neither_alembic_nor_streamlit(desk_with_a_story, command):
    assert imports_of_command(NEVER_FOR_READING, *command) == []


def test_a_story_status_builds_none_of_the_tables_it_does_not_read(desk_with_a_story):
    """Building a table's classes costs milliseconds each: a CMS asking for a story's state
    must not pay for the work queue's, the integrations', the notifications' or unsaved text's."""
    elsewhere = tuple(f"workflow.models.{name}" for name in LOADED_WHEN_NAMED)
    assert imports_of_command(elsewhere, "status", "--json") == []


def test_realign_imports_nothing_of_the_database(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_bytes(SEED_BYTES)
    new.write_bytes(SEED_BYTES.replace(b"3,000 US troops", b"3,500 US troops"))

    assert imports_of_command(THE_DATABASE, "realign", str(old), str(new)) == []


def test_the_schema_head_known_without_alembic_is_alembics_head():
    from alembic.script import ScriptDirectory

    from workflow.database import alembic_config

    assert schema_head() == head_revision()
    for script in ScriptDirectory.from_config(alembic_config()).walk_revisions():
        assert Path(script.path).name.startswith(f"{script.revision}_"), script.path


def test_the_newest_revision_is_read_from_migration_file_names():
    names = ["__init__.py", "0002_b.py", "0010_work_queue.py", "0009_lock_version.py", "x.pyc"]
    assert newest_revision(names) == "0010"
    assert newest_revision(["README", "0003_c.py.orig"]) == ""


@given(st.lists(st.text(max_size=20)))
def test_the_newest_revision_of_any_file_names_is_one_of_theirs_or_none(names):
    newest = newest_revision(names)

    assert newest == "" or any(name.startswith(f"{newest}_") for name in names)


def _statements_while(work) -> list[str]:
    statements: list[str] = []

    def note(_connection, _cursor, statement, *_):  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", note)
    try:
        work()
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", note)
    return statements


def test_a_current_database_is_checked_with_one_query(db_url):
    statements = _statements_while(lambda: open_current_database(db_url).dispose())

    assert statements == ["SELECT version_num FROM alembic_version"]


def test_an_empty_database_is_refused_as_at_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    make_db_engine(url, create=True).connect().close()  # a file with no tables

    code = main(["status", "--database", url])

    assert code == 1 and "schema is at nothing" in capsys.readouterr().err


def test_a_story_format_is_checked_when_given_and_listed_in_help(capsys):
    args = build_parser().parse_args(["import", "story.docx", "--format", "docx"])
    assert args.format == "docx"

    with pytest.raises(SystemExit) as refused:
        build_parser().parse_args(["update", "1", "story.txt", "--format", "pdf"])
    assert refused.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err

    with pytest.raises(SystemExit):
        build_parser().parse_args(["import", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "one of docx, html, markdown, ninjs, plain, seed" in said


def test_languages_are_read_from_a_comma_separated_list():
    assert comma_separated("ru,uk") == ["ru", "uk"]
    assert comma_separated(" ru, uk ,") == ["ru", "uk"]
    assert comma_separated("") == []


@given(st.text(max_size=30))
def test_a_comma_separated_list_gives_its_items_trimmed_and_never_raises(typed):
    items = comma_separated(typed)

    assert all(item and item == item.strip() and "," not in item for item in items)
    assert len(items) <= typed.count(",") + 1
