"""People's text, escaped by the desk, in Streamlit's own Markdown renderer in a real browser:
no picture, link, icon, colour, emoji, formula or HTML, and the characters as typed; and no
CSV download in a table's toolbar.

AppTest sees the Markdown sources; only the browser runs Streamlit's plugins (icon codes,
emoji, directives, typographic arrows, maths), so this checks the escaping against them.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REDRAWN,
    ROOT,
    _require_chromium,
    streamlit_run,
)

PROBE = Path(__file__).resolve().parent / "data" / "markdown_probe.py"

pytestmark = pytest.mark.browser


def _rendered(container) -> dict[str, object]:
    text = container.inner_text().replace("\u2060", "")
    return {
        "pictures": container.locator("img").count(),
        "links": container.locator("a").count(),
        "icons": container.locator("[data-testid=stIconMaterial]").count(),
        "colours": container.locator(".stMarkdownColoredText").count(),
        "formulas": container.locator(".katex").count(),
        "html": container.locator("[onerror]").count(),
        "as typed": text.count(":material/home: :red[x] :fire: :streamlit:") + text.count("a -> b"),
    }


def test_escaped_text_renders_as_typed_in_the_browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with (
        streamlit_run(PROBE, {"PYTHONPATH": str(ROOT)}) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(REDRAWN)
        page.goto(url)
        page.locator(".st-key-raw [data-testid=stMarkdownContainer]").wait_for()
        page.locator(".st-key-escaped [data-testid=stTable]").wait_for()
        # Streamlit loads its maths and emoji plugins lazily: the raw text, where a formula
        # and an emoji are drawn, says they have run.
        page.locator(".st-key-raw .katex").first.wait_for(state="attached")
        expect(page.locator(".st-key-raw")).not_to_contain_text(":fire:")
        page.wait_for_timeout(1000)
        escaped = _rendered(page.locator(".st-key-escaped"))
        raw = _rendered(page.locator(".st-key-raw"))
        page.locator(".st-key-table [data-testid=stDataFrame]").hover()
        toolbar = page.locator(".st-key-table [data-testid=stElementToolbarButton] button")
        toolbar.first.wait_for()
        offered = toolbar.evaluate_all("buttons => buttons.map(b => b.ariaLabel)")
        browser.close()
    assert escaped == {
        "pictures": 0, "links": 0, "icons": 0, "colours": 0, "formulas": 0, "html": 0,
        "as typed": 8,  # both pieces, in each of the four places
    }  # fmt: skip
    # The same text unescaped does what the escaping prevents (so the probe can tell).
    assert raw["pictures"] and raw["links"] and raw["colours"] and raw["formulas"], raw
    # The project's .streamlit/config.toml turns off the table toolbar's CSV download.
    assert "Search" in offered and "Download as CSV" not in offered, offered
