"""`streamlit run app.py` serves the desk and the CMS's API on one port, with a token made on
the command line (no browser needed: plain HTTP calls against the real server)."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

from sqlmodel import Session

from tests.conftest import SEED_BYTES
from tests.test_browser import ROOT, serving
from workflow.database import open_database
from workflow.formats import read_story_file
from workflow.links import desk_url
from workflow.stories import import_story


def _get(url: str, token: str | None = None) -> tuple[int, str, bytes]:
    """The status, content type and body of GET `url` (with the token, if one is given)."""
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers["content-type"], answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers["content-type"], refused.read()


def test_one_port_serves_the_desk_and_the_api_with_a_command_line_token(tmp_path):
    database = tmp_path / "desk.db"
    engine = open_database(f"sqlite:///{database}")
    with Session(engine) as session:  # a story at the desk (and so no demo to wait for)
        story_id = import_story(session, read_story_file(SEED_BYTES), person=None).id
    engine.dispose()
    made = subprocess.run(
        [sys.executable, "-m", "workflow", "token", "create", "Site CMS", "--scope", "read",
         "--database", f"sqlite:///{database}"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    token = made.stdout.splitlines()[-1]

    with serving(database) as address:
        status, kind, body = _get(f"{address}/api/v1/openapi.json")
        assert (status, kind) == (200, "application/json")
        assert "/api/v1/stories/{story_id}" in json.loads(body)["paths"]

        status, _, body = _get(f"{address}/api/v1/stories/{story_id}")
        assert (status, json.loads(body)) == (401, {"error": "Unauthorized."})

        status, _, body = _get(f"{address}/api/v1/stories/{story_id}", token)
        assert status == 200
        state = json.loads(body)
        assert state["id"] == story_id and set(state["languages"]) == {"ru", "uk"}
        assert state["url"] == desk_url(story_id)  # the configured desk, not the Host asked

        status, _, body = _get(f"{address}/api/v1/stories?limit=1", token)
        assert status == 200 and [s["id"] for s in json.loads(body)["stories"]] == [story_id]

        status, kind, body = _get(f"{address}/")
        assert status == 200 and kind.startswith("text/html")
        assert b'<div id="root">' in body  # Streamlit's page, where the desk is drawn
