"""Nothing typed is lost, in a real browser: text typed in a paragraph and left is back after
a reload, marked unsaved; and the browser asks before a page holding unsaved text is left."""

import contextlib

import pytest

from tests.test_browser import (
    be,
    open_page,
    reloaded,
    served_with_browser,
    shot,
    view,
)
from workflow.ui.unsaved import UNSAVED

pytestmark = pytest.mark.browser

TYPED = "Про це у вівторок повідомив телеканал CNN."


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The demo desk served, and a browser: (browser, address)."""
    with served_with_browser(tmp_path_factory.mktemp("unsaved")) as served:
        yield served


@pytest.fixture
def olena(desk):
    """Olena's Ukrainian version at the desk, in a browser window of her own."""
    page = open_page(*desk)
    be(page, "olena@desk.example")
    view(page, "Edit Ukrainian")
    yield page
    page.context.close()


def _cnn_box(page):
    box = page.locator("textarea").nth(2)  # the demo's Ukrainian paragraph 2
    box.wait_for()
    return box


def test_text_typed_in_a_paragraph_is_back_after_a_reload_marked_unsaved(olena):
    from playwright.sync_api import expect

    page = olena
    box = _cnn_box(page)
    box.click()
    box.fill(TYPED)
    page.get_by_role("heading", name="Desk").click()  # leaves the box
    page.get_by_text(UNSAVED).wait_for()
    shot(page, "unsaved-01-typed-and-left")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))

    reloaded(page, "Desk")
    view(page, "Edit Ukrainian")

    expect(_cnn_box(page)).to_have_value(TYPED)
    page.get_by_text(UNSAVED).scroll_into_view_if_needed()
    shot(page, "unsaved-02-after-reload")
    assert asked == ["beforeunload"]  # the page said it held unsaved text


def test_leaving_a_box_still_being_typed_in_asks_first_and_stay_keeps_the_text(olena):
    """Runs after the test above, on the same desk: the box holds its restored text."""
    from playwright.sync_api import expect

    page = olena
    box = _cnn_box(page)
    expect(box).to_have_value(TYPED)
    box.click()
    box.press("End")
    box.type(" Ще не збережено.")  # still in the box: its text has not reached the server
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    # Staying on the page cancels the navigation the reload waits for.
    with contextlib.suppress(Exception):
        page.reload(timeout=3_000)
    for _ in range(300):  # the browser's question reaches the test a moment later, if slow
        if asked:
            break
        page.wait_for_timeout(100)

    assert asked == ["beforeunload"]
    expect(_cnn_box(page)).to_have_value(TYPED + " Ще не збережено.")
