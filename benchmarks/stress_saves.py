"""Eight processes save the same paragraphs at once: nothing may be lost.

    python benchmarks/stress_saves.py [--rounds 60] [--postgres postgresql:///postgres]

Runs against a SQLite file and, when a PostgreSQL URL is given (or TEST_DATABASE_URL points at
one), against PostgreSQL: in a new database of its own on that server, dropped at the end. Each
process reads a paragraph's current version, waits a moment as a person would, and saves its
own text on that version. It prints saves attempted, applied, refused as conflicts (someone
saved first), refused as busy, and lost: an applied save missing from history, or a refused
text missing from it. Lost must be 0.
"""

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session, select

# A database of its own on the server, never a fixed name that another run may be using.
from tests.scratch_database import scratch_postgres_database
from workflow.database import make_db_engine, open_database
from workflow.errors import EditConflict, LockstepError
from workflow.formats import read_story_file
from workflow.models import Person, Revision, Translation
from workflow.people import add_person
from workflow.stories import import_story
from workflow.translations import save_translation

PROCESSES = 8
SEED = Path(__file__).resolve().parent.parent / "workflow" / "demo" / "story.txt"


def prepare(url: str) -> list[int]:
    engine = open_database(url)
    with Session(engine) as session:
        story = import_story(session, read_story_file(SEED.read_bytes()), person=None)
        for n in range(PROCESSES):
            add_person(session, name=f"Stress {n}", role="translator", languages=["ru", "uk"])
        ids = session.exec(
            select(Translation.id).where(Translation.story_id == story.id, Translation.lang == "uk")
        ).all()
    engine.dispose()
    return [i for i in ids[:3] if i is not None]  # three paragraphs, fought over by everyone


def worker(url: str, n: int, ids: list[int], rounds: int, results: "multiprocessing.Queue") -> None:
    engine = make_db_engine(url)
    rng = random.Random(n)
    counts = {"attempted": 0, "applied": 0, "conflicts": 0, "busy": 0}
    applied: list[tuple[int, str]] = []
    refused: list[tuple[int, str]] = []
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.name == f"Stress {n}")).one()
        session.expunge(person)
    for r in range(rounds):
        tid = rng.choice(ids)
        mine = f"Процес {n}, спроба {r}."
        with Session(engine) as session:
            base = session.get(Translation, tid).lock_version  # type: ignore[union-attr]
            session.commit()
            time.sleep(rng.random() * 0.01)  # a person types
            counts["attempted"] += 1
            try:
                save_translation(
                    session, translation_id=tid, text=mine, person=person, base_lock_version=base
                )
                counts["applied"] += 1
                applied.append((tid, mine))
            except EditConflict:
                counts["conflicts"] += 1
                refused.append((tid, mine))
            except LockstepError:
                counts["busy"] += 1
                refused.append((tid, mine))
    engine.dispose()
    results.put((counts, applied, refused))


def run(url: str, rounds: int) -> dict[str, int]:
    ids = prepare(url)
    results: multiprocessing.Queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=worker, args=(url, n, ids, rounds, results))
        for n in range(PROCESSES)
    ]
    start = time.perf_counter()
    for process in processes:
        process.start()
    gathered = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    seconds = time.perf_counter() - start

    totals = {"attempted": 0, "applied": 0, "conflicts": 0, "busy": 0}
    engine = make_db_engine(url)
    with Session(engine) as session:
        history = {
            (r.translation_id, r.text, r.reason) for r in session.exec(select(Revision)).all()
        }
    engine.dispose()
    lost = 0
    for counts, applied, refused in gathered:
        for key in totals:
            totals[key] += counts[key]
        lost += sum((tid, t, "edit") not in history for tid, t in applied)
        lost += sum((tid, t, "conflict") not in history for tid, t in refused
                    if (tid, t, "edit") not in history)  # fmt: skip
    return {**totals, "lost": lost, "seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=60, help="saves per process")
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL", ""))
    args = parser.parse_args()
    targets = []
    folder = tempfile.mkdtemp(prefix="lockstep-stress-")
    targets.append(("SQLite (WAL file)", f"sqlite:///{folder}/stress.db"))
    print(f"{PROCESSES} processes x {args.rounds} saves on 3 shared paragraphs")
    print(f"{'database':20} {'attempted':>9} {'applied':>8} {'conflicts':>9} {'busy':>5} "
          f"{'lost':>5} {'seconds':>8}")  # fmt: skip
    with ExitStack() as stack:
        if args.postgres.startswith("postgresql"):
            url = stack.enter_context(scratch_postgres_database(args.postgres, "stress"))
            targets.append(("PostgreSQL", url))
        for name, url in targets:
            r = run(url, args.rounds)
            print(f"{name:20} {r['attempted']:>9} {r['applied']:>8} {r['conflicts']:>9} "
                  f"{r['busy']:>5} {r['lost']:>5} {r['seconds']:>8}")  # fmt: skip


if __name__ == "__main__":
    main()
