"""What the CMS's API costs, on the seed's length and on a 200-paragraph story, beside a bare
Starlette route run in the same process.

    python benchmarks/api_bench.py [--repeat 7]

Builds a scratch SQLite desk, makes a write token, and for a 13- and a 200-paragraph story
prints, for each call the CMS makes (a new story, the same story again, its state, the
listing, a one-paragraph correction, a version not yet publishable): its answer, the SQL
statements it issued (SQLAlchemy `before_cursor_execute`) and its median time, as a ratio to
the floor: a bare route that reads one story row by its number on the same database and
answers it as JSON. Figures are measured, never asserted: machines are noisy.
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.api_helpers import api_client, bearer  # noqa: E402
from workflow.database import open_database  # noqa: E402
from workflow.models import Story  # noqa: E402

STATEMENTS = [0]


def _count(*_args: object) -> None:
    STATEMENTS[0] += 1


def floor_client(engine) -> TestClient:
    """A bare route: one story row by its number, as JSON."""

    def story(request: Request) -> JSONResponse:
        with Session(engine) as session:
            found = session.get(Story, int(request.path_params["story_id"]))
            return JSONResponse({"id": found.id, "headline": found.headline} if found else {})

    return TestClient(Starlette(routes=[Route("/floor/{story_id}", story)]))


def measured(call: Callable[[], object], repeat: int) -> tuple[object, int, float]:
    """The call's last answer, its statements (the last run) and median milliseconds."""
    times = []
    for _ in range(repeat):
        STATEMENTS[0] = 0
        start = time.perf_counter()
        answer = call()
        times.append((time.perf_counter() - start) * 1000)
    return answer, STATEMENTS[0], statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (the median)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="api-bench-")
    engine = open_database(f"sqlite:///{folder}/desk.db", create=True)
    event.listen(engine, "before_cursor_execute", _count)
    session = Session(engine)
    client, token = api_client(session), bearer(session)
    floor = floor_client(engine)
    for size in (13, 200):
        bench_story(client, token, floor, size, args.repeat)


def bench_story(client: TestClient, token: dict, floor: TestClient, size: int, repeat: int) -> None:
    """Every call's figures on a story of `size` paragraphs (the headline one of them)."""
    english = [
        f"Paragraph {i}: the council voted {i} to 3 on {i}.5 million." for i in range(1, size)
    ]
    body = {"external_id": f"bench-{size}", "headline": f"A story of {size}", "paragraphs": english}
    story_id = client.post("/api/v1/stories", json=body, headers=token).json()["id"]
    _, floor_sql, floor_ms = measured(lambda: floor.get(f"/floor/{story_id}"), repeat)
    print(f"{size} paragraphs; floor (one story row as JSON): {floor_ms:.1f} ms, {floor_sql} SQL")
    version = [1]

    def new_story() -> object:
        new = body | {"external_id": f"bench-{size}-{time.perf_counter_ns()}"}
        return client.post("/api/v1/stories", json=new, headers=token)

    def correction() -> object:
        changed = [
            p.replace("to 3", f"to {version[0] + 3}", 1) if i == 4 else p
            for i, p in enumerate(english)
        ]
        answer = client.put(
            f"/api/v1/stories/{story_id}/english", headers=token,
            json={"based_on": version[0], "headline": body["headline"], "paragraphs": changed},
        )  # fmt: skip
        version[0] = answer.json().get("english_version", version[0])
        return answer

    story, listing = f"/api/v1/stories/{story_id}", "/api/v1/stories?limit=50"
    calls = {
        "POST /stories (a new story)": new_story,
        "POST /stories (the same again)": lambda: client.post(
            "/api/v1/stories", json=body, headers=token
        ),
        "GET /stories/{id}": lambda: client.get(story, headers=token),
        "GET /stories (a page)": lambda: client.get(listing, headers=token),
        "PUT .../english (1 changed)": correction,
        "GET .../uk (not publishable)": lambda: client.get(f"{story}/uk", headers=token),
    }
    for label, call in calls.items():
        answer, sql, ms = measured(call, repeat)
        status = getattr(answer, "status_code", "?")
        print(f"  {label:<32} {status}  {sql:>3} SQL  {ms:7.1f} ms  {ms / floor_ms:5.1f}x floor")


if __name__ == "__main__":
    main()
