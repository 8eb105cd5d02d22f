"""Remake the README's screenshots: `python docs/screenshots.py` (needs Debian's chromium).

Starts the app on a fresh demo database in a temporary folder (the seed story and the demo's
generated week of work), signs in as the demo's people and saves docs/my-work.png,
docs/desk.png, docs/stale.png and docs/progress.png, in a window 1440 px wide. Rerun it after
any change to the pages: it overwrites the four files.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
WIDTH = 1440  # the laptop width the pages are laid out for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(database: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "LOCKSTEP_DEMO": "1"}
    env["LOCKSTEP_MT_ENGINE"] = "fake"
    env["LOCKSTEP_ADMIN_PASSWORD"] = "screenshots-only"
    # The database is made as an operator makes one; the app makes only the default file.
    subprocess.run([sys.executable, "-m", "workflow", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("streamlit run did not start")


def sign_in(page, url: str, email: str) -> None:
    page.set_default_timeout(120_000)  # the first page of a new desk loads the demo's week
    page.goto(url)
    page.get_by_role("textbox", name="E-mail").fill(email)
    page.get_by_role("textbox", name="Password").fill("lockstep-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", name="My work").wait_for()
    page.wait_for_timeout(800)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = start(Path(folder) / "demo.db", port)
        url = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--headless", "--no-sandbox"]
                )
                context = browser.new_context(viewport={"width": WIDTH, "height": 900})
                page = context.new_page()
                sign_in(page, url, "olena@desk.example")
                page.screenshot(path=str(DOCS / "my-work.png"))
                page.get_by_role("button", name="Open").first.click()
                page.get_by_role("heading", name="Desk").wait_for()
                page.wait_for_timeout(1500)
                page.mouse.wheel(0, 700)
                page.wait_for_timeout(500)
                page.screenshot(path=str(DOCS / "desk.png"))
                context.close()

                context = browser.new_context(viewport={"width": WIDTH, "height": 1100})
                page = context.new_page()
                sign_in(page, url, "irina@desk.example")
                page.locator("[data-testid=stSidebarNav]").get_by_text("Desk").click()
                page.get_by_role("heading", name="Desk").wait_for()
                radio = page.get_by_role("radiogroup", name="View").first
                radio.get_by_text("Edit Russian", exact=True).click()
                page.wait_for_timeout(1000)
                page.get_by_text("Only what needs attention").click()
                page.wait_for_timeout(1500)
                page.screenshot(path=str(DOCS / "stale.png"))
                context.close()

                context = browser.new_context(viewport={"width": WIDTH, "height": 2000})
                page = context.new_page()
                sign_in(page, url, "tom@desk.example")
                page.locator("[data-testid=stSidebarNav]").get_by_text("Progress").click()
                page.get_by_role("heading", name="How the desk works").wait_for()
                page.get_by_label("Period").first.click()  # a week of work, day by day
                page.get_by_role("option", name="Last 7 days").click()
                page.evaluate("document.activeElement && document.activeElement.blur()")
                page.locator("[data-testid=stVegaLiteChart]").first.wait_for()
                page.wait_for_timeout(3000)  # the grid and the charts draw after the page
                page.screenshot(path=str(DOCS / "progress.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print("Saved my-work.png, desk.png, stale.png and progress.png in docs/")


if __name__ == "__main__":
    main()
