"""The progress page as a manager sees it: totals, every story's row, filters, the CSV."""

import base64
import json
import re
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
from sqlmodel import select

from tests.app_helpers import open_app, read_db, visible
from workflow.errors import LockstepError
from workflow.models import Change, Person, Translation
from workflow.states import TranslationState
from workflow.translations import approve_translation
from workflow.ui.charts import DRAWN_WIDTH

PROGRESS = "workflow/ui/progress.py"


def table(at):
    (frame,) = at.dataframe
    return frame.value


def test_a_manager_sees_every_story_in_both_languages(demo_db):
    at = open_app("Tom Reyes", page=PROGRESS)
    assert not at.exception, at.exception
    frame = table(at)
    assert list(frame["Language"]) == ["Russian", "Ukrainian"]
    assert list(frame["State"]) == ["In review", "In translation"]
    assert list(frame["Stale"]) == [1, 1] and list(frame["Errors"]) == [1, 1]
    assert list(frame["Empty"]) == [0, 5]
    assert frame["Due"].iloc[1].startswith("⚠")  # the Ukrainian version is late
    assert any("2 story versions" in c.value for c in at.caption)
    assert [b.label for b in at.get("download_button")] == ["Download this view as CSV"]


def test_filters_narrow_the_table(demo_db):
    at = open_app("Tom Reyes", page=PROGRESS)
    at.selectbox[0].set_value("uk").run()
    assert list(table(at)["Language"]) == ["Ukrainian"]
    at.selectbox[0].set_value("").run()
    at.selectbox[1].set_value("in_review").run()
    assert list(table(at)["Language"]) == ["Russian"]
    at.selectbox[1].set_value("published").run()
    assert len(table(at)) == 0


def chart_data(at) -> dict[str, list[dict]]:
    """Each chart's title and the rows it draws."""
    found = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec.get("title") or spec["layer"][0].get("title")
        found[title] = pa.ipc.open_stream(chart.proto.data.data).read_all().to_pylist()
    return found


def test_the_charts_agree_with_the_desk(demo_db):
    at = open_app("Tom Reyes", page=PROGRESS)
    today = datetime.now(UTC).date().isoformat()
    charts = chart_data(at)
    assert charts["Paragraphs approved per day"] == [
        {"day": today, "language": "Russian", "paragraphs": 11},
        {"day": today, "language": "Ukrainian", "paragraphs": 2},
    ]
    month_start = (datetime.now(UTC).date() - timedelta(days=29)).isoformat()
    assert charts["Stale translations (the backlog)"] == [
        {"day": month_start, "language": "Russian", "stale": 0},
        {"day": today, "language": "Russian", "stale": 1},
        {"day": month_start, "language": "Ukrainian", "stale": 0},
        {"day": today, "language": "Ukrainian", "stale": 1},
    ]
    work = {(r["person"], r["work"]): r["paragraphs"] for r in charts["Work per person"]}
    assert work[("Irina Sokolova", "approved")] == 13 and work[("Irina Sokolova", "sent back")] == 1
    captions = [visible(c.value) for c in at.caption]
    assert "No version was approved in this period." in captions
    assert "No version that started from machine text was published in this period." in captions
    titles = [m.value for m in at.markdown]
    assert "**Median time from import to approval**" in titles  # its place kept, titled

    # Irina approves a translated Ukrainian paragraph: the chart shows it on the next run.
    def approve_one(session):
        editor = session.exec(select(Person).where(Person.name == "Irina Sokolova")).one()
        waiting = select(Translation).where(
            Translation.lang == "uk", Translation.state == TranslationState.TRANSLATED
        )
        for t in session.exec(waiting).all():
            try:
                return approve_translation(session, translation_id=t.id, person=editor)
            except LockstepError:
                continue  # stale or flagged: not approvable as it stands
        raise AssertionError("the demo has no approvable Ukrainian paragraph")

    read_db(approve_one)
    at.run()
    (ukrainian,) = [
        r for r in chart_data(at)["Paragraphs approved per day"] if r["language"] == "Ukrainian"
    ]
    assert ukrainian["paragraphs"] == 3


def test_each_row_draws_its_paragraphs_by_state(demo_db):
    at = open_app("Tom Reyes", page=PROGRESS)
    frame = table(at)
    ukrainian = frame[frame["Language"] == "Ukrainian"].iloc[0]
    svg = base64.b64decode(ukrainian["Progress"].split(",", 1)[1]).decode()
    widths = {
        fill: float(width)
        for width, fill in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="14" '
                                      r'fill="(#\w+)"/>', svg)
        if fill != "#f0f2f6"  # the empty bar behind the segments
    }  # fmt: skip
    # 13 paragraphs: 2 approved, 3 translated, 1 sent back, 2 machine drafts, 5 empty.
    per_paragraph = DRAWN_WIDTH / 13
    assert widths == pytest.approx(
        {
            "#21a354": 2 * per_paragraph,
            "#1c83e1": 3 * per_paragraph,
            "#ff8700": 1 * per_paragraph,
            "#803df5": 2 * per_paragraph,
            "#c4c7cf": 5 * per_paragraph,
        },
        abs=0.01,
    )
    assert (ukrainian["Approved"], ukrainian["Needs editing"], ukrainian["Empty"]) == (2, 1, 5)


def test_a_shorter_period_leaves_out_older_work(demo_db):
    def age_the_approvals(session):
        for change in session.exec(select(Change).where(Change.action == "approve")).all():
            change.created_at = datetime.now(UTC) - timedelta(days=10)
            session.add(change)
        session.commit()

    read_db(age_the_approvals)
    at = open_app("Tom Reyes", page=PROGRESS)
    assert "Paragraphs approved per day" in chart_data(at)
    at.selectbox(key="trend_days").set_value(7).run()
    assert "Paragraphs approved per day" not in chart_data(at)
    assert "No paragraph was approved in this period." in [visible(c.value) for c in at.caption]
