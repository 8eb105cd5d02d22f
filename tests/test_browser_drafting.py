"""In a real browser: drafting a version runs off the page, so the translator types and saves
in another paragraph while the engine is still answering, and text typed and not yet saved
stays in its box while the drafts arrive, even in an empty paragraph a draft was on its way to
(the draft is offered beside it, never put into a box the person may be typing in)."""

import re
import threading

import pytest
from playwright.sync_api import expect

from tests.libre_server import libre_traffic
from tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REDRAWN,
    _require_chromium,
    in_paragraph,
    open_page,
    save_button,
    settle,
    shot,
    sign_in,
    streamlit_run,
    to_desk,
    view,
)
from workflow.database import open_database

pytestmark = pytest.mark.browser

SAVED_MEANWHILE = 2  # translated in the demo: Olena corrects it while the drafts are made
TYPED_MEANWHILE = 3  # translated too: she types in it and has not saved when drafts arrive
EMPTY = 8  # one of the demo's empty Ukrainian paragraphs: the draft fills it
TYPED_IN_EMPTY = 9  # empty too: she types her own translation while its draft is on its way
HELD_AT_MOST = 120  # seconds the engine holds its answers (the test releases them sooner)


@pytest.fixture
def slow_engine_desk(tmp_path):
    """The demo desk served with a loopback engine that holds every answer until released
    (then answers after half a second more); yields the desk's address, the release and
    what the engine saw."""
    _require_chromium()
    database = tmp_path / "drafting.db"
    open_database(f"sqlite:///{database}").dispose()
    release = threading.Event()
    held = libre_traffic(latency=0.5, hold=release, held_at_most=HELD_AT_MOST)
    with held as (engine_url, traffic):
        env = {
            "DATABASE_URL": f"sqlite:///{database}",
            "LOCKSTEP_DEMO": "1",
            "LOCKSTEP_MT_ENGINE": "libre",
            "LOCKSTEP_MT_URL": engine_url,
            # The engine holds its answers while the test types and saves, which on a busy
            # machine takes longer than the 10 seconds an engine is given by default.
            "LOCKSTEP_MT_TIMEOUT": str(HELD_AT_MOST),
            "LOCKSTEP_ADMIN_PASSWORD": "browser-test-admin",
        }
        try:
            with streamlit_run("app.py", env) as url:
                yield url, release, traffic
        finally:
            release.set()


def test_the_translator_types_and_saves_while_a_draft_runs(slow_engine_desk):
    from playwright.sync_api import sync_playwright

    url, release, traffic = slow_engine_desk
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            translator_works_while_drafting(open_page(browser, url), release, traffic)
        finally:
            browser.close()


def translator_works_while_drafting(page, release: threading.Event, traffic) -> None:
    sign_in(page, "olena@desk.example")
    to_desk(page)
    view(page, "Edit Ukrainian")
    boxes = page.get_by_role("textbox", name="Ukrainian translation")

    page.get_by_role("button", name="Draft empty and stale paragraphs").click()
    page.get_by_text("Drafting in the background").wait_for()
    shot(page, "30-drafting-in-the-background")

    corrected = "Про це повідомляє телеканал CNN, виправлено під час чернетки."
    in_paragraph(page, SAVED_MEANWHILE, boxes).fill(corrected)
    in_paragraph(page, SAVED_MEANWHILE, save_button(page)).click()
    page.get_by_text("Saved.").wait_for()
    for _ in range(REDRAWN // 100):  # the job's requests go out together, once it reaches them
        if traffic.in_flight > 1:
            break
        page.wait_for_timeout(100)
    assert traffic.in_flight > 1 and not traffic.received  # the engine has answered nothing yet

    typed = "Текст, який Олена ще не зберегла."
    unsaved = in_paragraph(page, TYPED_MEANWHILE, boxes)
    unsaved.click()
    unsaved.fill(typed)  # unsaved, then she moves on to an empty paragraph
    own = "Власний переклад дев'ятого абзацу"
    typing = in_paragraph(page, TYPED_IN_EMPTY, boxes)
    typing.click()
    typing.fill(own)  # the cursor still in it, nothing sent, when the drafts arrive
    shot(page, "31-saved-and-typing-while-drafting")
    release.set()

    page.get_by_text("drafted").first.wait_for()
    page.get_by_text("A draft arrived for this paragraph").first.wait_for()
    settle(page)
    typing.press("End")
    typing.type(" і далі.")  # typing on after the drafts came: nothing spliced into a draft
    shot(page, "32-drafts-arrived")
    expect(typing).to_have_value(own + " і далі.")
    expect(in_paragraph(page, TYPED_MEANWHILE, boxes)).to_have_value(typed)
    expect(in_paragraph(page, SAVED_MEANWHILE, boxes)).to_have_value(corrected)
    expect(in_paragraph(page, EMPTY, boxes)).to_have_value("")  # offered beside, not imposed

    page.get_by_role("button", name="drafts that arrived into their boxes").click()
    expect(in_paragraph(page, EMPTY, boxes)).to_have_value(re.compile(r"^\[uk\] "))
    expect(typing).to_have_value(own + " і далі.")  # her own text stays: not replaced
    shot(page, "33-arrived-drafts-in-their-boxes")
    page.context.close()


def test_a_click_at_the_head_while_typing_in_a_paragraph_is_carried_out(slow_engine_desk):
    """The click that ends typing in a paragraph is the same interaction as the click on the
    version's Draft button: both are carried out, the text stays in its box, unsaved."""
    from playwright.sync_api import sync_playwright

    url, release, _ = slow_engine_desk
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = open_page(browser, url)
            sign_in(page, "olena@desk.example")
            to_desk(page)
            view(page, "Edit Ukrainian")
            box = in_paragraph(page, TYPED_MEANWHILE, page.get_by_role("textbox"))
            typed = "Олена друкує і відразу просить чернетки."
            box.click()
            box.fill(typed)  # the cursor still in the box: nothing sent yet
            page.get_by_role("button", name="Draft empty and stale paragraphs").click()
            page.get_by_text("Drafting in the background").wait_for()
            shot(page, "34-draft-clicked-while-typing")
            expect(box).to_have_value(typed)
            release.set()
        finally:
            browser.close()
