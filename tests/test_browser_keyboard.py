"""In a real browser, the keyboard alone: a translator moves to the paragraph that needs work,
types its translation, saves it with Ctrl+Enter and is taken to the next paragraph that needs
work, its box outlined, scrolled to and holding the caret."""

import json
import re
import time

import pytest
from sqlmodel import Session, select

from tests.test_browser import (  # noqa: F401  (browser: the shared Chromium fixture)
    REDRAWN,
    _require_chromium,
    browser,
    in_paragraph,
    open_page,
    serving,
    settle,
    shot,
    sign_in,
    to_desk,
    view,
)
from workflow.database import open_database
from workflow.models import Translation
from workflow.ui.focus_report import ROUTE

pytestmark = pytest.mark.browser

TYPED = "Кірбі наголосив, що ці переміщення не означають рішення про вторгнення."


@pytest.fixture
def desk(tmp_path):
    """The demo desk on its own server: its address and its database file."""
    _require_chromium()
    database = tmp_path / "keys.db"
    with serving(database) as url:
        yield url, database


def _saved(database, text: str) -> bool:
    engine = open_database(f"sqlite:///{database}")
    with Session(engine) as session:
        found = session.exec(select(Translation).where(Translation.text == text)).first()
    engine.dispose()
    return found is not None


def _olena_on_ukrainian(browser, url):  # noqa: F811
    """Olena on the demo's Ukrainian version, its paragraph 4 current: the page, its boxes."""
    page = open_page(browser, url)
    sign_in(page, "olena@desk.example")
    to_desk(page)
    view(page, "Edit Ukrainian")
    settle(page)
    page.get_by_text("Current: Paragraph 4").wait_for()
    return page, page.get_by_role("textbox", name="Ukrainian translation")


def test_saving_and_moving_on_with_the_keyboard_alone(browser, desk):  # noqa: F811
    from playwright.sync_api import expect

    url, database = desk
    page, boxes = _olena_on_ukrainian(browser, url)
    expect(page.get_by_text("Press Ctrl+Enter to apply")).to_have_count(0)

    # From paragraph 4 (its English changed) to 8, the first empty one: Alt+Down four times.
    for shown in (5, 6, 7, 8):
        page.keyboard.press("Alt+ArrowDown")
        page.get_by_text(f"Current: Paragraph {shown}").wait_for()
    settle(page)
    eighth = in_paragraph(page, 8, boxes)
    expect(eighth).to_be_focused()  # the caret is in the current paragraph's box
    shot(page, "30-keyboard-current")

    page.keyboard.type(TYPED)
    page.keyboard.press("Control+Enter")

    page.get_by_text("Current: Paragraph 9").wait_for()
    in_paragraph(page, 8, page.get_by_text("Saved.")).wait_for()
    settle(page)
    expect(in_paragraph(page, 9, boxes)).to_be_focused()
    expect(eighth).to_have_value(TYPED)
    shot(page, "31-keyboard-saved-and-next")
    assert _saved(database, TYPED)
    page.context.close()


def test_ctrl_enter_saves_the_box_typed_in_when_another_paragraph_is_current(
    browser,  # noqa: F811
    desk,
):
    """The bar says paragraph 4 is current; she clicks into paragraph 9 instead, types and
    presses Ctrl+Enter: what she typed is saved there, and the keys go on from there."""
    url, database = desk
    page, boxes = _olena_on_ukrainian(browser, url)
    ninth = in_paragraph(page, 9, boxes)
    before = ninth.input_value()
    ninth.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" " + TYPED)
    page.keyboard.press("Control+Enter")
    page.get_by_text("Current: Paragraph 10").wait_for()
    settle(page)
    shot(page, "keyboard-ctrl-enter-elsewhere")
    assert _saved(database, f"{before} {TYPED}".strip())
    page.context.close()


def _until(page, reports: list[dict], holds) -> list[dict]:
    """The page's reports once `holds` them, or once they have had as long as a run may take
    (the page sends each report when the one before is answered: on a busy machine they lag)."""
    deadline = time.monotonic() + REDRAWN / 1000
    while not holds(reports) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return reports


def _typed_in(other_than: int):
    """Reports holding one of typing in a paragraph other than `other_than`."""
    return lambda reports: any(r["typed"] and r["paragraph"] != other_than for r in reports)


def _left_unsaved_nothing(paragraph: int):
    """Reports whose last word on leaving `paragraph`'s box is that nothing was typed since."""

    def holds(reports: list[dict]) -> bool:
        left = [r for r in reports if r["paragraph"] == paragraph and not r["focused"]]
        return bool(left) and not left[-1]["typed"]

    return holds


def test_after_a_keyboard_save_the_page_says_unsaved_again_only_on_a_new_keystroke(
    browser,  # noqa: F811
    desk,
):
    """Colleagues see "unsaved changes" from the page's own report of a box being typed in;
    once Ctrl+Enter saved it, leaving that box reports nothing typed (the save cleared it on
    the server), and a keystroke in the next box is reported as typing."""
    from playwright.sync_api import expect

    url, _ = desk
    page, boxes = _olena_on_ukrainian(browser, url)
    reports: list[dict] = []
    page.on(
        "request",
        lambda r: (
            reports.append(json.loads(r.post_data or "{}"))
            if r.url.endswith(ROUTE) and r.method == "POST"
            else None
        ),
    )
    for shown in (5, 6, 7, 8):
        page.keyboard.press("Alt+ArrowDown")
        page.get_by_text(f"Current: Paragraph {shown}").wait_for()
    settle(page)
    expect(in_paragraph(page, 8, boxes)).to_be_focused()  # she types once the caret is there
    page.keyboard.type(TYPED)
    page.keyboard.press("Control+Enter")
    page.get_by_text("Current: Paragraph 9").wait_for()
    in_paragraph(page, 8, page.get_by_text("Saved.")).wait_for()
    settle(page)
    eighth = next(r["paragraph"] for r in _until(page, reports, _typed_in(0)) if r["typed"])
    saved_eighth = _left_unsaved_nothing(eighth)  # saved: nothing typed since
    assert saved_eighth(_until(page, reports, saved_eighth)), reports

    expect(in_paragraph(page, 9, boxes)).to_be_focused()
    page.keyboard.type("Т")  # a new keystroke, in paragraph 9
    ninth = next(
        (r["paragraph"] for r in _until(page, reports, _typed_in(eighth)) if r["typed"]
         and r["paragraph"] != eighth),
        0,
    )  # fmt: skip
    assert ninth, reports

    # Alt+M saves the box before marking it: leaving it afterwards reports nothing typed.
    page.keyboard.type("ерстон Кірбі.")
    page.keyboard.press("Alt+m")
    in_paragraph(page, 9, page.get_by_text("Marked translated.")).wait_for()
    settle(page)
    page.get_by_role("heading", name="Desk").click()  # the focus leaves the box
    saved_ninth = _left_unsaved_nothing(ninth)  # saved: nothing typed since
    assert saved_ninth(_until(page, reports, saved_ninth)), reports
    page.context.close()


def test_the_caret_reaches_the_current_box_however_late_it_is_drawn(browser):  # noqa: F811
    """The script a key's move leaves on the page, alone in Chromium with the page's record of
    keys and clicks: on a slow server the current paragraph's box appears seconds after the bar
    that moved to it (before, the caret was given up after 3 s and the translator's typing went
    nowhere), and a run may draw the box again after the caret went in. The caret ends up in
    the box either way; and it is never taken from where the person put it: a click on the
    English to copy it, a box they went into after the key, before or after the script came."""
    from playwright.sync_api import expect

    from workflow.ui.focus_report import focus_script
    from workflow.ui.keyboard import _SCROLL

    page = browser.new_page()
    page.set_content(
        "<div data-testid=stApp data-test-script-state=running>"  # the run still drawing
        "<p id=english>The English, to copy from.</p><textarea id=other></textarea>"
        f"<div id=desk></div></div>{focus_script('a-desk')}{_SCROLL % (1, 42)}"
    )
    draw = (
        "document.querySelector('#desk').innerHTML ="
        " '<div class=st-key-text-%d><textarea></textarea></div>'"
    )

    def script_of_move(number: int, box: int) -> None:
        """The script the run of a key's move leaves on the page."""
        page.evaluate(
            "(code) => { const s = document.createElement('script');"
            " s.textContent = code; document.body.append(s); }",
            re.sub(r"</?script[^>]*>", "", _SCROLL % (number, box)),
        )

    page.wait_for_timeout(4000)  # the page still being drawn
    page.evaluate(draw % 42)
    current = page.locator(".st-key-text-42 textarea")
    expect(current).to_be_focused()
    page.evaluate(draw % 42)  # drawn again by the same run: a new box
    expect(current).to_be_focused()
    page.locator("#english").click()  # she clicks the English: the caret leaves the box
    page.wait_for_timeout(500)
    expect(current).not_to_be_focused()
    page.evaluate(
        "document.querySelector('[data-testid=stApp]')"
        ".setAttribute('data-test-script-state', 'notRunning')"
    )

    page.keyboard.press("Alt+ArrowDown")
    script_of_move(2, 43)
    page.locator("#other").click()  # she went into another box before the next one came
    page.evaluate(draw % 43)
    page.wait_for_timeout(1000)
    expect(page.locator("#other")).to_be_focused()

    page.keyboard.press("Alt+ArrowDown")  # the key, then a click and typing at once,
    page.locator("#other").click()  # before the run leaves its script on the page
    page.keyboard.type("тут")
    script_of_move(3, 44)
    page.evaluate(draw % 44)
    page.wait_for_timeout(1000)
    expect(page.locator("#other")).to_be_focused()
    expect(page.locator("#other")).to_have_value("тут")
    page.close()
