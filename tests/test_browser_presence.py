"""Presence in a real browser: two people on one story, each in a browser context of their own.
Irina has the Ukrainian version open when Olena types in a paragraph: within one beat, while
Olena is still typing (the focus in her box, which the server hears of only from the page's
own report), Irina's paragraph says Olena is editing it and its box is closed before she
types; she chooses Edit anyway, and Olena's paragraph says so within one beat, her text
untouched and her box open."""

import time

import pytest

from tests.test_browser import (
    be,
    in_paragraph,
    open_page,
    save_button,
    served_with_browser,
    settle,
    shot,
    view,
)
from workflow.ui.presence import BEAT

pytestmark = pytest.mark.browser

TYPED = "Про це у вівторок повідомив телеканал CNN."
# What a colleague does reaches a page by its next beat, with no click or reload there: the
# tests wait as long as any run may take on a busy two-core CI, and print how long it took
# (about one beat on a quiet machine); speed is measured, not asserted.


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The demo desk served, and a browser: (browser, address)."""
    with served_with_browser(tmp_path_factory.mktemp("presence")) as served:
        yield served


def on_ukrainian(desk, email: str):
    page = open_page(*desk)
    be(page, email)
    view(page, "Edit Ukrainian")
    settle(page)
    return page


def cnn_box(page):
    box = page.locator("textarea").nth(2)  # the demo's Ukrainian paragraph 2
    box.wait_for()
    return box


def test_the_second_sees_the_first_before_typing_and_edit_anyway_reaches_the_first(desk):
    from playwright.sync_api import expect

    olena = on_ukrainian(desk, "olena@desk.example")
    irina = on_ukrainian(desk, "irina@desk.example")
    expect(cnn_box(irina)).to_be_enabled()

    box = cnn_box(olena)
    box.click()
    box.press("ControlOrMeta+a")  # her text replaces the paragraph's
    box.press_sequentially(TYPED[:12])  # she is typing: the focus stays in her box

    # Irina's page is not reloaded: her next beat draws her paragraph 2 again.
    start = time.monotonic()
    irina.get_by_text("Olena Shevchuk is editing this paragraph since").wait_for()
    seen_after = time.monotonic() - start
    expect(irina.get_by_text("unsaved changes").first).to_be_visible()
    expect(cnn_box(irina)).to_be_disabled()  # before she types a letter
    expect(box).to_be_focused()  # and Olena has not left her box
    box.press_sequentially(TYPED[12:])
    irina.get_by_text("Olena Shevchuk is in the Ukrainian version, editing a paragraph").wait_for()
    cnn_box(irina).scroll_into_view_if_needed()
    shot(irina, "presence-01-irina-asked")

    start = time.monotonic()
    irina.get_by_role("button", name="Edit anyway").click()
    expect(cnn_box(irina)).to_be_enabled()
    olena.get_by_text("Irina Sokolova chose to edit this paragraph anyway at").wait_for()
    told_after = time.monotonic() - start
    expect(cnn_box(olena)).to_have_value(TYPED)  # her text stays hers
    expect(cnn_box(olena)).to_be_enabled()
    expect(box).to_be_focused()  # told while still typing: her box never lost the focus
    cnn_box(olena).scroll_into_view_if_needed()
    shot(olena, "presence-02-olena-told")
    print(f"seen after {seen_after:.1f} s, told after {told_after:.1f} s (beat {BEAT} s)")
    olena.context.close()
    irina.context.close()


SAVED_BY_IRINA = "Це речення Ірина зберегла, поки Олена дивилася на сторінку."
TYPED_BY_OLENA = "Олена ще друкує цей абзац"


def test_a_colleagues_save_reaches_an_open_desk_within_one_beat(desk):
    """Irina saves paragraph 3 while Olena has the version open: within one beat Olena's
    paragraph shows Irina's text and says who changed it. Irina saves paragraph 5 while Olena
    types in its box: Olena's text stays in her box, and Irina's is offered beside it."""
    from playwright.sync_api import expect

    olena = on_ukrainian(desk, "olena@desk.example")
    irina = on_ukrainian(desk, "irina@desk.example")
    boxes = "[aria-label='Ukrainian translation']"

    in_paragraph(irina, 3, irina.get_by_role("button", name="Approve", exact=True)).click()
    in_paragraph(irina, 3, irina.get_by_text("Approved.")).wait_for()
    settle(irina)
    start = time.monotonic()
    in_paragraph(
        olena, 3, olena.get_by_text("Irina Sokolova approved this paragraph at")
    ).wait_for()
    followed_after = time.monotonic() - start

    in_paragraph(irina, 3, irina.locator(boxes)).fill(SAVED_BY_IRINA)
    in_paragraph(irina, 3, save_button(irina)).click()
    in_paragraph(irina, 3, irina.get_by_text("Saved.")).wait_for()
    expect(in_paragraph(olena, 3, olena.locator(boxes))).to_have_value(SAVED_BY_IRINA)
    expect(
        in_paragraph(olena, 3, olena.get_by_text("Irina Sokolova saved this paragraph at"))
    ).to_be_visible()
    shot(olena, "presence-03-olena-sees-irinas-save")

    typing = in_paragraph(olena, 5, olena.locator(boxes))
    typing.click()
    typing.press("ControlOrMeta+a")
    typing.press_sequentially(TYPED_BY_OLENA)  # the focus stays in her box: nothing sent
    settle(olena)
    irina_box = in_paragraph(irina, 5, irina.locator(boxes))
    # Olena is typing there: within one beat Irina is asked first, and edits anyway.
    anyway = in_paragraph(irina, 5, irina.get_by_role("button", name="Edit anyway"))
    anyway.wait_for()
    anyway.click()
    expect(irina_box).to_be_enabled()
    settle(irina)
    irina_box.fill(SAVED_BY_IRINA + " П'ятий.")
    in_paragraph(irina, 5, save_button(irina)).click()
    in_paragraph(irina, 5, irina.get_by_text("Saved.")).wait_for()
    offered = in_paragraph(olena, 5, olena.get_by_text("; the text now:"))
    offered.wait_for()
    assert offered.inner_text().startswith("Irina Sokolova saved this paragraph at ")
    expect(typing).to_have_value(TYPED_BY_OLENA)  # her text stays in her box
    expect(typing).to_be_focused()
    shot(olena, "presence-04-olena-offered-irinas-text")

    # Irina leaves the desk: Olena's paragraph is drawn again (nobody else on it now), and
    # what she is typing stays in her box, Irina's text still offered beside it.
    irina.get_by_role("link", name="My work").click()
    in_paragraph(olena, 5, olena.get_by_text("Irina Sokolova is editing this paragraph")).wait_for(
        state="detached"
    )
    expect(typing).to_have_value(TYPED_BY_OLENA)
    expect(offered).to_be_visible()
    # She saves her own text: the save's check shows both texts, and the offer goes (the
    # conflict box says what to do with theirs).
    in_paragraph(olena, 5, save_button(olena)).click()
    in_paragraph(olena, 5, olena.get_by_role("button", name="Take theirs")).wait_for()
    expect(olena.get_by_role("button", name="Use this text")).to_have_count(0)
    in_paragraph(olena, 5, olena.get_by_role("button", name="Take theirs")).click()
    expect(typing).to_have_value(SAVED_BY_IRINA + " П'ятий.")
    print(f"followed after {followed_after:.1f} s (beat {BEAT} s)")
    olena.context.close()
    irina.context.close()
