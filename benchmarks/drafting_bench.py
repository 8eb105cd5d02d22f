"""Drafting a 200-paragraph story in Russian and Ukrainian against an engine with 300 ms latency,
beside the serial floor and the 8-in-flight floor.

    python benchmarks/drafting_bench.py [--paragraphs 200] [--latency 0.3]

The engine is a LibreTranslate-compatible server on the loopback (tests/libre_server.py) that
answers every request after `--latency` seconds; the database is a SQLite file, as the desk's
default. Printed:
- the serial floor: one request at a time, nothing else (paragraphs x languages x latency);
- the 8-parallel floor: the same requests, 8 in flight, measured with nothing but HTTP;
- drafting both versions as the desk's job does (`draft_version` per language; with
  `--job`, through the work queue and a worker, as the Draft button and `translate` run it),
  and its ratio to the 8-parallel floor.
Figures are measured, never asserted: machines are noisy.
"""

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from sqlmodel import Session

from benchmarks.live_blog import blog
from tests.libre_server import libre_traffic
from workflow.database import open_database
from workflow.drafts import draft_version
from workflow.formats import read_story_file
from workflow.machinery.libre import LibreEngine
from workflow.stories import import_story

LANGS = ("ru", "uk")
IN_FLIGHT = 8


def http_floor(url: str, texts: list[str]) -> float:
    """Seconds for every request, `IN_FLIGHT` at a time, with nothing but HTTP."""

    def ask(job: tuple[str, str]) -> None:
        text, lang = job
        requests.post(f"{url}/translate", data={"q": text, "source": "en", "target": lang})

    jobs = [(text, lang) for lang in LANGS for text in texts]
    start = time.perf_counter()
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        list(pool.map(ask, jobs))
    return time.perf_counter() - start


def draft_both(url: str, english: list[str], folder: str, through_job: bool) -> float:
    engine = open_database(f"sqlite:///{folder}/bench.db")
    with Session(engine) as session:
        story = import_story(session, read_story_file("\n\n".join(english).encode()), person=None)
        story_id = story.id
    assert story_id is not None
    start = time.perf_counter()
    if through_job:
        from workflow.draft_jobs import draft_handlers, enqueue_draft
        from workflow.worker import Worker

        with Session(engine) as session:
            for lang in LANGS:
                enqueue_draft(session, story_id=story_id, lang=lang, person=None)
        Worker(engine, draft_handlers()).run_until_idle()
    else:
        with Session(engine) as session:
            for lang in LANGS:
                draft_version(
                    session, story_id=story_id, lang=lang, engine=LibreEngine(url=url),
                    person=None,
                )  # fmt: skip
    took = time.perf_counter() - start
    engine.dispose()
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--job", action="store_true", help="through the work queue and a worker")
    args = parser.parse_args()
    english = blog(args.paragraphs)  # every paragraph different, as in a live blog
    requests_made = args.paragraphs * len(LANGS)
    serial = requests_made * args.latency
    with libre_traffic(latency=args.latency) as (url, traffic):
        os.environ.update(LOCKSTEP_MT_ENGINE="libre", LOCKSTEP_MT_URL=url)
        floor = http_floor(url, [f"floor {n}: {text}" for n, text in enumerate(english)])
        traffic.most_in_flight = 0
        traffic.received.clear()
        with tempfile.TemporaryDirectory() as folder:
            took = draft_both(url, english, folder, args.job)
    print(
        f"{args.paragraphs} paragraphs x {len(LANGS)} languages, engine latency "
        f"{args.latency * 1000:.0f} ms"
    )
    print(f"  serial floor (one request at a time):   {serial:7.1f} s")
    print(f"  {IN_FLIGHT}-parallel floor (HTTP only, measured): {floor:7.1f} s")
    how = "through the work queue" if args.job else "draft_version per language"
    print(
        f"  drafting ({how}): {took:7.1f} s = {took / floor:.2f}x the {IN_FLIGHT}-parallel floor, "
        f"{serial / took:.1f}x faster than the serial floor; {len(traffic.received)} requests, "
        f"at most {traffic.most_in_flight} in flight"
    )


if __name__ == "__main__":
    main()
