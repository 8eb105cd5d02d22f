"""The progress page as a manager sees it: totals, every story's row, filters, the CSV."""

from tests.app_helpers import open_app

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
