"""Similar-memory lookups for a 200-paragraph story against a memory of 5,000 and 50,000 units.

    python benchmarks/memory_bench.py [--sizes 5000,50000]

The memory is made of live-blog paragraphs (benchmarks/live_blog.py) brought in as TMX units
would be; half the story's paragraphs are a memory paragraph with one figure and one word
changed (a lookup should find it), half are new. Printed per size: the time to look up all
200 the first time in a process (the memory's index is built then, `MemoryIndex`; before
this change, every run scanned the memory per paragraph) and in every later run, and how
many of the 100 edited paragraphs found their memory paragraph. Measured, never asserted.
"""

import argparse
import random
import sys
import time
from hashlib import sha256
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from benchmarks.live_blog import _WORDS, blog
from workflow import drafts
from workflow.database import open_database
from workflow.models import MemoryUnit, utcnow
from workflow.segmentation import fingerprint

LANG = "ru"


def fill(session: Session, english: list[str]) -> None:
    rows = [
        {
            "lang": LANG,
            "source_text": text,
            "source_fingerprint": fingerprint(text),
            "target": f"[{LANG}] {text}",
            "target_fingerprint": sha256(text.encode()).hexdigest(),
            "origin": "tmx:bench",
            "created_at": utcnow(),
        }
        for text in english
    ]
    for start in range(0, len(rows), 5000):
        session.bulk_insert_mappings(MemoryUnit, rows[start : start + 5000])  # type: ignore[arg-type]
    session.commit()


def edited(rng: random.Random, text: str) -> str:
    words = text.split()
    words[rng.randrange(1, len(words))] = rng.choice(_WORDS)
    return " ".join(words).replace("Update", "Updated", 1)


def lookups(session: Session, story: list[str]) -> tuple[float, list[list[tuple[str, str, int]]]]:
    start = time.perf_counter()
    index_class = getattr(drafts, "MemoryIndex", None)
    if index_class is not None:  # one index per database, brought up to date per run
        index = index_class.for_database(session, LANG)
        found = [index.similar(session, text, 0) for text in story]
    else:  # before: one query and one scan per paragraph
        found = [drafts.similar_memory(session, LANG, text, 0) for text in story]
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5000,50000")
    args = parser.parse_args()
    rng = random.Random(11)
    print("200 paragraphs looked up in the memory (100 of them edited memory paragraphs)")
    for size in [int(n) for n in args.sizes.split(",")]:
        memory = blog(size, seed=3)
        picked = rng.sample(memory, 100)
        story = [edited(rng, text) for text in picked] + blog(100, seed=99)
        engine = open_database("sqlite://")
        with Session(engine) as session:
            fill(session, memory)
            first, found = lookups(session, story)
            later, _ = lookups(session, story)
        engine.dispose()
        hits = sum(any(src == text for _, src, _ in found[i]) for i, text in enumerate(picked))
        print(
            f"  {size:>6,} units: first run in a process {first * 1000:6.0f} ms, each later run "
            f"{later * 1000:6.0f} ms ({later * 5:.2f} ms a paragraph); {hits} of 100 edited "
            "paragraphs found their memory paragraph"
        )


if __name__ == "__main__":
    main()
