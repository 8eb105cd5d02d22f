"""In a real browser: with two stories of the same headline, the desk opened on #2 stays on #2
through every kind of click (the views, a toggle, Save, a paragraph's move, Draft, a version's
button, History, the English) and through a reload after each; the address says so all along."""

import re

import pytest
from sqlmodel import Session, col, select

from tests import test_browser
from tests.conftest import SEED_BYTES
from tests.test_browser import (
    REDRAWN,
    _require_chromium,
    open_page,
    save_button,
    serving,
    settle,
    shot,
    sign_in,
    view,
)
from workflow.database import open_database
from workflow.demo import load_demo
from workflow.draft_jobs import DRAFT
from workflow.formats import read_story_file
from workflow.history import touch_stories
from workflow.jobs import Job
from workflow.models import Person, Translation
from workflow.stories import import_story, list_stories

pytestmark = pytest.mark.browser
browser = test_browser.browser  # the module's Chromium, shared with this module's tests


@pytest.fixture
def twin_stories_url(tmp_path):
    """The demo and the same story imported again (#2); #1 then changed last, so the picker
    lists it first: a desk that lost #2 would fall back on #1."""
    _require_chromium()
    database = tmp_path / "twins.db"
    engine = open_database(f"sqlite:///{database}")
    with Session(engine) as session:
        seed = load_demo(session, week=False)
        assert seed is not None and seed.id == 1
        editor = session.exec(select(Person).where(Person.name == "Irina Sokolova")).one()
        twin = import_story(session, read_story_file(SEED_BYTES), person=editor)
        assert (twin.id, twin.headline) == (2, seed.headline)
        touch_stories(session, [1])  # #1 changed last: listed first, the desk's fallback
        session.commit()
        assert [s.id for s in list_stories(session)] == [1, 2]
    engine.dispose()
    with serving(database) as url:
        yield url, database


def still_on_twin(page, step: str, *, also: str = "") -> None:
    """The address and the picker both say #2 (the address `also` saying what the step
    chose), before and after a reload."""
    from playwright.sync_api import expect

    for moment in ("clicked", "reloaded"):
        if moment == "reloaded":
            page.reload()
        # A whole page drawn (opened by its address, or reloaded): as long as a first page may take.
        page.get_by_role("heading", name="Desk").wait_for(timeout=REDRAWN)
        picker = page.get_by_role("combobox", name="Story")
        expect(picker).to_have_value(re.compile(r"^#2 · "))
        # Waited for before the reload too: a reload before the run wrote the address would
        # lose the step's choice, as no person reloading a page they see drawn would.
        expect(page).to_have_url(re.compile(r"[?&]story=2(&|$)"))
        if also:
            expect(page).to_have_url(re.compile(re.escape(also)))
        settle(page)  # the run drawn whole: a box filled before it ends would be drawn over
        shot(page, f"story-url-{step}-{moment}")


def _ukrainian(database, story_id: int) -> list[tuple[str, int]]:
    """(text, lock version) of each Ukrainian paragraph of a story, in order."""
    engine = open_database(f"sqlite:///{database}")
    with Session(engine) as session:
        rows = session.exec(
            select(Translation.text, Translation.lock_version)
            .where(Translation.story_id == story_id, Translation.lang == "uk")
            .order_by(col(Translation.paragraph_id))
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def _drafts_asked(database) -> list[int]:
    engine = open_database(f"sqlite:///{database}")
    with Session(engine) as session:
        drafts = select(Job).where(Job.kind == DRAFT)  # the desk's sweep is a job too
        found = [int(job.payload["story_id"]) for job in session.exec(drafts)]
    engine.dispose()
    return found


def test_the_desk_stays_on_story_2_through_every_click_and_reload(browser, twin_stories_url):
    from playwright.sync_api import expect

    twin_stories_url, database = twin_stories_url
    first_before = _ukrainian(database, 1)
    page = open_page(browser, twin_stories_url)
    sign_in(page, "irina@desk.example")
    page.goto(f"{twin_stories_url}/desk?story=2")
    still_on_twin(page, "opened")

    view(page, "Edit Ukrainian")
    still_on_twin(page, "view", also="view=uk")

    page.get_by_text("Only what needs attention").click()
    page.wait_for_timeout(1000)
    settle(page)
    page.get_by_text("Only what needs attention").click()
    page.wait_for_timeout(1000)
    settle(page)
    still_on_twin(page, "toggle")

    box = page.locator("textarea").nth(1)
    box.fill("США схвалили розгортання військових.")
    save_button(page).nth(1).click()
    page.get_by_text("Saved.").wait_for()
    page.get_by_text("of #2 “").first.wait_for()  # the message names the story
    still_on_twin(page, "save")

    # Her own text: refused (another editor approves it), a paragraph's move all the same.
    page.get_by_role("button", name="Approve", exact=True).first.click()
    page.get_by_text("another editor must approve it").first.wait_for()
    still_on_twin(page, "approve")

    page.get_by_role("button", name="Draft empty and stale paragraphs").click()
    for _ in range(REDRAWN // 1000):  # the click asked for the drafts once its run wrote them
        if _drafts_asked(database):
            break
        page.wait_for_timeout(1000)
    settle(page)
    still_on_twin(page, "draft")

    # Not all translated: Submit is shown, disabled, saying why; a version button all the same.
    expect(page.get_by_role("button", name="Submit for review")).to_be_disabled()
    still_on_twin(page, "submit")

    page.get_by_text("History", exact=True).click()
    page.wait_for_timeout(1000)
    settle(page)
    still_on_twin(page, "history")

    view(page, "English")
    still_on_twin(page, "english", also="view=en")
    page.context.close()
    # What the clicks did, they did to #2: its paragraph saved, its drafts asked for; #1, the
    # story a desk that lost #2 would have fallen back on, is as it was.
    assert _ukrainian(database, 2)[1][0] == "США схвалили розгортання військових."
    assert _drafts_asked(database) == [2]
    assert _ukrainian(database, 1) == first_before


def test_an_unknown_story_in_the_address_is_said_in_words(browser, twin_stories_url):
    twin_stories_url, _ = twin_stories_url
    page = open_page(browser, twin_stories_url)
    sign_in(page, "irina@desk.example")
    page.goto(f"{twin_stories_url}/desk?story=7")
    page.get_by_text("There is no story #7 at this desk").wait_for()
    assert not page.locator("textarea").count()
    page.context.close()
