"""What the command line reads from what an operator typed: dates, in words when wrong."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.cli import build_parser
from workflow.cli.options import since
from workflow.errors import LockstepError


def test_since_reads_a_date_as_the_start_of_that_day_in_utc():
    assert since("2026-03-01") == datetime(2026, 3, 1, tzinfo=UTC)
    assert since(None) is None


@given(st.text(max_size=40))
def test_since_reads_any_typed_text_as_a_date_or_refuses_it_in_words(typed):
    try:
        moment = since(typed)
    except LockstepError as refused:
        assert "is not a date: use YYYY-MM-DD" in str(refused)
    else:
        assert moment is None or moment.tzinfo is not None


@pytest.mark.parametrize(
    "command",
    [["status"], ["import", "x.txt"], ["audit"], ["user", "list"], ["db", "upgrade"], ["doctor"]],
)
def test_every_database_command_takes_the_database_url(command):
    args = build_parser().parse_args([*command, "--database", "sqlite:///elsewhere.db"])
    assert args.database == "sqlite:///elsewhere.db"
