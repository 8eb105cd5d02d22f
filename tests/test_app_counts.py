"""Words and characters where translators and managers look for them (Streamlit AppTest): each
paragraph at the desk, the version's head, the reading view, Progress and its chart."""

import json
from datetime import UTC, datetime

import pyarrow as pa

from tests.app_helpers import open_app, visible

PROGRESS = "workflow/ui/progress.py"
UK_CNN = "Про це повідомляє CNN."  # the demo's Ukrainian paragraph 2, translated


def captions(at) -> list[str]:
    return [visible(c.value) for c in at.caption]


def test_each_paragraph_and_the_version_head_show_their_counts(demo_db):
    at = open_app("Olena Shevchuk", view="uk")
    shown = captions(at)
    # Under the English of paragraph 2 ("This is reported by CNN."), quietly.
    assert "5 words · 24 characters" in shown
    # After the Ukrainian's badges, the words of its saved text.
    lines = [visible(m.value) for m in at.markdown]
    assert any(line.endswith(":gray[4 words · 22 characters]") for line in lines), lines
    # The head: the story's English and the whole Ukrainian version as it stands.
    assert (
        "English: 416 words · 2,458 characters (2,055 without spaces)  \n"
        "Ukrainian: 186 words · 1,320 characters (1,141 without spaces)"
    ) in shown
    # An empty paragraph says nothing of words: its badges end with its state.
    assert not any(":gray[0 words" in line for line in lines)


def test_the_reading_view_shows_the_story_totals_in_each_language(demo_db):
    at = open_app("Irina Sokolova", view="read")
    shown = captions(at)
    assert "416 words · 2,458 characters (2,055 without spaces)" in shown
    assert "349 words · 2,483 characters (2,144 without spaces)" in shown  # Russian
    assert "186 words · 1,320 characters (1,141 without spaces)" in shown  # Ukrainian


def test_progress_shows_words_and_characters_and_words_translated_per_day(demo_db):
    at = open_app("Tom Reyes", page=PROGRESS)
    assert not at.exception, at.exception
    (frame,) = at.dataframe
    table = frame.value
    assert list(table["Language"]) == ["Russian", "Ukrainian"]
    assert list(table["English words"]) == [416, 416]
    assert list(table["Words"]) == [349, 186]
    assert list(table["Size"]) == [
        "349 / 416 words · 2,483 chars",
        "186 / 416 words · 1,320 chars",
    ]  # the translation / the English
    assert list(table["Characters"]) == [2483, 1320]

    (chart,) = [
        c for c in at.get("vega_lite_chart") if "Words translated" in json.dumps(c.proto.spec)
    ]
    rows = pa.ipc.open_stream(chart.proto.data.data).read_all().to_pylist()
    today = datetime.now(UTC).date().isoformat()
    # Dmitri translated every Russian paragraph as it stands; Olena six Ukrainian ones.
    assert rows == [
        {"day": today, "person": "Dmitri Volkov", "words": 349},
        {"day": today, "person": "Olena Shevchuk", "words": 118},
    ]
