"""End to end in a real browser: Debian's Chromium, driven by Playwright, against `streamlit run`.

Screenshots of each step are saved in `test-artifacts/browser/`. Skipped with the reason shown
where Chromium is missing; a failure in CI (`CI=true`).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.app_helpers import stand_in
from workflow.database import open_database
from workflow.demo import DEMO_PASSWORD, load_demo
from workflow.desk import desk_rows
from workflow.formats import ParsedStory
from workflow.models import Person
from workflow.states import TranslationState
from workflow.stories import import_story
from workflow.translations import save_translation
from workflow.ui.session_cookie import COOKIE

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
SERVER_LOGS = ROOT / "test-artifacts" / "servers"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        reason = "browser tests need Debian's chromium (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"In CI, Chromium is required: {reason}", pytrace=False)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(database: Path):
    """`streamlit run app.py` on a free port over the given SQLite file (made as `db upgrade`
    makes it, if it is not there yet); yields its address."""
    open_database(f"sqlite:///{database}").dispose()
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "LOCKSTEP_DEMO": "1",  # DATABASE_URL alone would turn it off
        "LOCKSTEP_MT_ENGINE": "fake",  # no test reaches the network
        "LOCKSTEP_ADMIN_PASSWORD": "browser-test-admin",
    }
    with streamlit_run("app.py", env) as url:
        yield url


@contextmanager
def streamlit_run(script: str | Path, env: dict[str, str]):
    """`streamlit run SCRIPT` on a free port with `env` added; yields its address once up.

    The server's output goes to `test-artifacts/servers/<script>-<port>.log`, with Python's
    fault handler on: a server that hangs can be made to print every thread's stack
    (`kill -ABRT <pid>`), and whatever a failing test's server said is kept to read.
    """
    port = _free_port()
    SERVER_LOGS.mkdir(parents=True, exist_ok=True)
    log = SERVER_LOGS / f"{Path(script).stem}-{port}.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, "PYTHONFAULTHANDLER": "1", "PYTHONUNBUFFERED": "1", **env},
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        # A first start loads the demo's week before the server answers: under a busy two-core
        # CI that has taken over 50 s.
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"streamlit run {script} did not start; see {log}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def served_with_browser(folder: Path):
    """The demo desk served from a file in `folder`, and a Chromium: (browser, address)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with serving(folder / "desk.db") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser, url
        browser.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    _require_chromium()
    with serving(tmp_path_factory.mktemp("browser") / "desk.db") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


REDRAWN = 90_000  # ms: a page drawn whole (a reload also signs in again from the cookie)
# Every `expect` waits as long as a wait for an element does (Playwright's own is 5 s, which a
# run on a busy two-core CI outlasts).
expect.set_options(timeout=REDRAWN)


def open_page(browser, url: str):
    """A fresh browser window (its own session) on the sign-in page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    # Every wait as long as a whole page may take to draw on a busy two-core CI (a goto, a
    # reload, a click that reruns the desk): a slow machine is not a failure.
    page.set_default_timeout(REDRAWN)
    page.goto(url)
    # The first page of a new desk loads the demo (a week of work): give it time on a busy CI.
    page.get_by_role("button", name="Sign in", exact=True).wait_for(timeout=120_000)
    return page


@pytest.fixture
def page(browser, app_url):
    page = open_page(browser, app_url)
    yield page
    page.context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def reloaded(page, heading: str) -> None:
    """Reload the page and wait for its heading, as long as a first page may take: a reload
    signs in again from the cookie and draws the whole page, slower on a busy CI."""
    page.reload()
    page.get_by_role("heading", name=heading).wait_for(timeout=REDRAWN)


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.get_by_role("textbox", name="E-mail").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", name="My work").wait_for()
    # The cookie that keeps a reload signed in is set by the page's script a moment after the
    # first signed-in run; a test that opens an address at once must wait for it, as no person
    # could type that fast.
    assert sign_in_cookies(page, 1), "signed in, but the browser never got the sign-in cookie"


def to_desk(page) -> None:
    page.locator("[data-testid=stSidebarNav]").get_by_text("Desk", exact=True).click()
    page.get_by_role("heading", name="Desk").wait_for()


def be(page, email: str) -> None:
    sign_in(page, email)
    to_desk(page)


def view(page, name: str) -> None:
    """Choose a view of the desk and wait for the page it draws."""
    page.get_by_role("radiogroup", name="View").first.get_by_text(name, exact=True).click()
    page.wait_for_timeout(700)
    settle(page)


def test_translator_edits_ukrainian_saves_and_finds_it_after_reload(page):
    be(page, "olena@desk.example")
    view(page, "Edit Ukrainian")
    box = page.locator("textarea").nth(2)
    box.wait_for()
    settle(page)
    box.fill("Про це повідомляє телеканал CNN у вівторок.")
    shot(page, "01-typed")
    page.get_by_role("button", name="Save", exact=True).nth(2).click()
    page.get_by_text("Saved.").wait_for()
    shot(page, "02-saved")

    reloaded(page, "Desk")
    view(page, "Edit Ukrainian")
    page.get_by_text("Про це повідомляє телеканал CNN у вівторок.").wait_for()
    shot(page, "03-after-reload")


def sign_in_cookies(page, wanted: int) -> list[dict]:
    """The page's sign-in cookies, once there are `wanted` of them (0 or 1): the browser asks
    for the cookie after the page is drawn, and its answer may come a moment later."""
    deadline = time.monotonic() + REDRAWN / 1000
    while True:
        found = [c for c in page.context.cookies() if c["name"] == COOKIE]
        if len(found) == wanted or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(200)


def test_the_sign_in_cookie_is_set_by_the_server_out_of_scripts_reach(page):
    sign_in(page, "olena@desk.example")
    (cookie,) = sign_in_cookies(page, 1)
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Lax", "/")
    assert "lockstep_session" not in page.evaluate("document.cookie")

    reloaded(page, "My work")  # the cookie keeps her signed in
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in", exact=True).wait_for()
    assert not sign_in_cookies(page, 0)


def test_editing_the_english_flags_the_paragraph_stale(page):
    be(page, "irina@desk.example")
    view(page, "English")
    page.get_by_role("tab", name="Paragraph by paragraph").click()
    english = page.get_by_label("Paragraph 1", exact=True)
    english.fill(english.input_value().replace("3,000", "3,500"))
    page.get_by_role("button", name="Save paragraph").nth(1).click()
    page.locator("p:visible", has_text="12 unchanged, 1 changed").first.wait_for()
    shot(page, "04-english-edited")

    view(page, "Edit Russian")
    flags = page.get_by_text("English changed since translation")
    expect(flags.nth(1)).to_be_visible()  # the new correction, and the demo's earlier one
    expect(page.get_by_text("3,500").first).to_be_visible()
    shot(page, "05-stale-flag")


def test_a_translator_session_offers_no_approve_action(page):
    be(page, "dmitri@desk.example")
    for name in ("Edit Russian", "Ukrainian"):  # he reads Ukrainian, and edits only Russian
        view(page, name)
        page.wait_for_timeout(800)
        buttons = page.get_by_role("button").all_inner_texts()
        assert not [b for b in buttons if "Approve" in b], buttons
    shot(page, "06-translator-no-approve")


LEFT_FOR_THE_BROWSER = 8  # the paragraph Olena translates in the browser


@pytest.fixture
def loop_url(tmp_path):
    """The demo desk on its own server, with every Ukrainian paragraph but one translated by
    Olena beforehand (through the domain, as she would have), so the loop starts at the end."""
    _require_chromium()
    database = tmp_path / "loop.db"
    engine = open_database(f"sqlite:///{database}")
    with Session(engine) as session:
        story = load_demo(session, week=False)
        olena = session.exec(select(Person).where(Person.name == "Olena Shevchuk")).one()
        for row in desk_rows(session, story.id):
            t = row.translations["uk"]
            if row.position == LEFT_FOR_THE_BROWSER or (
                t.state is TranslationState.APPROVED and not t.stale
            ):
                continue
            save_translation(
                session, translation_id=t.id, text=stand_in(row.english, "Абзац українською"),
                person=olena, base_lock_version=t.lock_version,
            )  # fmt: skip
    engine.dispose()
    with serving(database) as url:
        yield url


def in_paragraph(page, position: int, what):
    """`what` (a locator of the page) in one paragraph on the desk: found in the innermost
    block holding both the paragraph's caption and it."""
    return (
        page.locator("[data-testid=stVerticalBlock]")
        .filter(has=page.get_by_text(f"Paragraph {position}", exact=True))
        .filter(has=what)
        .last.locator(what)
    )


def settle(page) -> None:
    """Wait until the app has finished its run (a box filled mid-run may be redrawn). The app's
    own word for it is its root's script state; the status widget shows only after a run has
    gone on for half a second."""
    page.wait_for_timeout(300)
    running = page.locator("[data-testid=stApp]")
    expect(running).to_have_attribute("data-test-script-state", "notRunning")
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden")
    page.wait_for_timeout(300)


def save_button(page):
    return page.get_by_role("button", name="Save", exact=True)


def test_the_review_loop_end_to_end(browser, loop_url):
    """Olena submits, Irina sends a paragraph back, Olena fixes it and answers, Irina reads
    the answer and approves: two people, two browsers, one desk."""
    from playwright.sync_api import expect

    olena = open_page(browser, loop_url)
    sign_in(olena, "olena@desk.example")
    olena.get_by_text("Overdue").first.wait_for()
    shot(olena, "10-olena-my-work")
    olena.get_by_role("button", name="Open").first.click()
    olena.get_by_role("heading", name="Desk").wait_for()
    olena.get_by_text("Only what needs attention").click()
    # What needs attention: the paragraph left to translate, and the one the demo's editor
    # sent back (its comment stays in view until it is approved).
    boxes = olena.get_by_role("textbox", name="Ukrainian translation")
    expect(boxes).to_have_count(2)
    box = in_paragraph(olena, LEFT_FOR_THE_BROWSER, boxes)
    box.fill("Кірбі наголосив, що ці переміщення не означають рішення про вторгнення.")
    in_paragraph(olena, LEFT_FOR_THE_BROWSER, save_button(olena)).click()
    olena.get_by_text("Saved.").wait_for()
    olena.get_by_role("button", name="Submit for review").click()
    olena.get_by_text("In review").first.wait_for()
    shot(olena, "11-olena-submitted")

    irina = open_page(browser, loop_url)
    be(irina, "irina@desk.example")
    view(irina, "Edit Ukrainian")
    send_back = irina.get_by_role("button", name="Send back", exact=True)
    in_paragraph(irina, LEFT_FOR_THE_BROWSER, send_back).click()
    irina.get_by_role("textbox", name="Why").fill(
        "Say who decides: name Putin, as the English does."
    )
    irina.get_by_role("button", name="Send back to translator").click()
    irina.get_by_text("In translation").first.wait_for()
    shot(irina, "12-irina-sent-back")

    olena.locator("[data-testid=stSidebarNav]").get_by_text("My work", exact=True).click()
    olena.get_by_role("heading", name="Came back with comments").wait_for()
    olena.get_by_text("name Putin, as the English does").first.wait_for()
    shot(olena, "13-olena-came-back")
    olena.get_by_role("button", name="Open").first.click()
    olena.get_by_role("heading", name="Desk").wait_for()
    settle(olena)
    box = in_paragraph(olena, LEFT_FOR_THE_BROWSER, boxes)
    box.fill("Кірбі наголосив, що це не означає, що Путін вирішив вторгнутися.")
    in_paragraph(olena, LEFT_FOR_THE_BROWSER, save_button(olena)).click()
    olena.get_by_text("Saved.").wait_for()
    settle(olena)
    answer = olena.get_by_placeholder("Answer this comment")
    in_paragraph(olena, LEFT_FOR_THE_BROWSER, answer).fill("Named him, thanks.")
    answer_button = olena.get_by_role("button", name="Answer")
    in_paragraph(olena, LEFT_FOR_THE_BROWSER, answer_button).click()
    olena.get_by_text("Named him, thanks.").wait_for()
    olena.get_by_role("button", name="Submit for review").click()
    olena.get_by_text("In review").first.wait_for()

    reloaded(irina, "Desk")
    view(irina, "Edit Ukrainian")
    irina.get_by_text("Named him, thanks.").wait_for()
    shot(irina, "14-irina-reads-the-answer")
    irina.get_by_role("button", name="Approve version").click()
    anyway = irina.get_by_role("button", name="Approve anyway")
    publish = irina.get_by_role("button", name="Publish")
    anyway.or_(publish).first.wait_for()
    if anyway.count():
        anyway.click()
    publish.wait_for()
    shot(irina, "15-irina-approved")
    olena.context.close()
    irina.context.close()


SECOND_STORY = "Floods close the southern highway"


@pytest.fixture
def two_stories_url(tmp_path):
    """The demo desk with a second, newer story: the Progress page lists it first."""
    _require_chromium()
    database = tmp_path / "two.db"
    engine = open_database(f"sqlite:///{database}")
    with Session(engine) as session:
        load_demo(session, week=False)
        editor = session.exec(select(Person).where(Person.name == "Irina Sokolova")).one()
        story = ParsedStory(SECOND_STORY, ["Water rose by two metres overnight."])
        import_story(session, story, person=editor)
    engine.dispose()
    with serving(database) as url:
        yield url


def test_a_row_of_the_progress_page_opens_its_story_in_the_desk(browser, two_stories_url):
    page = open_page(browser, two_stories_url)
    sign_in(page, "tom@desk.example")
    page.locator("[data-testid=stSidebarNav]").get_by_text("Progress", exact=True).click()
    page.get_by_text("4 story versions").wait_for()
    table = page.locator("[data-testid=stDataFrame]")
    table.wait_for()
    settle(page)
    page.wait_for_timeout(1000)  # the grid draws on a canvas after the element appears
    shot(page, "20-progress")
    # Rows: the new story in Russian and Ukrainian, then the demo's. Tick the fourth row's box:
    # the demo story in Ukrainian. The grid is a canvas: click where its row-marker column is.
    box = table.bounding_box()
    header, row_height = 35, 76  # rows are tall so headlines wrap (PROGRESS_ROW_HEIGHT)
    page.mouse.click(box["x"] + 18, box["y"] + header + row_height * 3 + row_height / 2)
    page.get_by_role("heading", name="Desk").wait_for()
    page.get_by_text("The US has approved the deployment of its military").first.wait_for()
    page.get_by_role("heading", name="Ukrainian version").wait_for()  # the row's language
    assert not page.get_by_text(SECOND_STORY).first.is_visible()
    shot(page, "21-opened-from-progress")
    page.context.close()


def test_progress_fits_1440_px_without_scrolling_sideways(browser, app_url):
    """The manager's table shows whole headlines, wrapped, and every column at 1440 x 900."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(REDRAWN)
    page.goto(app_url)
    sign_in(page, "tom@desk.example")
    page.locator("[data-testid=stSidebarNav]").get_by_text("Progress", exact=True).click()
    page.get_by_text("42 story versions").wait_for()
    grid = page.locator("[data-testid=stDataFrame] .dvn-scroller").first
    grid.wait_for()
    settle(page)
    page.wait_for_timeout(1000)  # the grid sizes its columns after it appears
    shot(page, "30-progress-1440")
    wide, shown = grid.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert wide <= shown, f"the table scrolls sideways: {wide} px in {shown} px"
    page_wide, page_shown = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page_wide <= page_shown
    context.close()
