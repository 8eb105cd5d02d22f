"""A large TMX comes into the memory while a translator saves a paragraph every 100 ms: no save
may fail.

    python benchmarks/tmx_while_saving.py [--megabytes 10] [--every 0.1] [--postgres URL]

Makes a new SQLite file in a temporary folder (and, with --postgres, uses that database, which
must be empty), writes a TMX of about --megabytes of Russian and Ukrainian paragraphs, and
imports it while another process saves one paragraph after another at the desk. Prints the
import's time, the longest its batches held the write lock, the saves attempted and failed,
and the slowest save.
"""

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session, select

from workflow.database import make_db_engine, open_database
from workflow.formats import MemoryEntry, ParsedStory, TmxFormat
from workflow.memory import import_tmx
from workflow.models import Person, Translation
from workflow.people import add_person
from workflow.stories import import_story
from workflow.translations import save_translation

SAVER = "Saver While Importing"


def memory_file(megabytes: float) -> bytes:
    """A TMX of about `megabytes`, every unit a different paragraph in English, Russian and
    Ukrainian."""
    entries = []
    size = 0
    n = 0
    while size < megabytes * 1_000_000:
        english = f"Paragraph {n}: the council met on Tuesday to discuss the flood barrier budget."
        entry = MemoryEntry(
            {
                "en": english,
                "ru": f"Абзац {n}: совет собрался во вторник, чтобы обсудить бюджет дамбы.",
                "uk": f"Абзац {n}: рада зібралася у вівторок, щоб обговорити бюджет дамби.",
            }
        )
        entries.append(entry)
        size += 480  # what one unit takes in the file, markup included
        n += 1
    return TmxFormat.write(entries)


def prepare(url: str) -> list[int]:
    """A story with paragraphs to save, and a translator to save them; their translation ids."""
    engine = open_database(url)
    with Session(engine) as session:
        story = import_story(
            session,
            ParsedStory("Floods close the highway", [f"Paragraph {n}." for n in range(20)]),
            person=None,
        )
        add_person(session, name=SAVER, role="translator", languages=["ru", "uk"])
        ids = session.exec(
            select(Translation.id).where(Translation.story_id == story.id, Translation.lang == "uk")
        ).all()
    engine.dispose()
    return [i for i in ids if i is not None]


def save_every(
    url: str, ids: list[int], every: float, stop: "multiprocessing.synchronize.Event", out
) -> None:
    """Save a paragraph every `every` seconds until `stop`; put (attempted, failed, slowest s,
    first failure) on `out`."""
    engine = make_db_engine(url)
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.name == SAVER)).one()
        session.expunge(person)
    attempted = failed = 0
    slowest = 0.0
    first_failure = ""
    while not stop.is_set():
        tid = ids[attempted % len(ids)]
        started = time.perf_counter()
        attempted += 1
        try:
            with Session(engine) as session:
                base = session.get(Translation, tid).lock_version  # type: ignore[union-attr]
                save_translation(
                    session, translation_id=tid, text=f"Збереження {attempted}.", person=person,
                    base_lock_version=base,
                )  # fmt: skip
        except Exception as error:  # every failure counts, whatever it is
            failed += 1
            first_failure = first_failure or f"{type(error).__name__}: {error}"
        took = time.perf_counter() - started
        slowest = max(slowest, took)
        time.sleep(max(0.0, every - took))
    engine.dispose()
    out.put((attempted, failed, slowest, first_failure))


def run(
    url: str, data: bytes, ids: list[int], every: float = 0.1, warm_up: float = 2.0
) -> dict[str, object]:
    """Import `data` while another process saves (from `warm_up` seconds before); the figures."""
    context = multiprocessing.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    saver = context.Process(target=save_every, args=(url, ids, every, stop, out))
    saver.start()
    time.sleep(warm_up)  # the saver is saving before the import starts
    engine = make_db_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        report = import_tmx(session, data, origin="benchmark.tmx", person=None)
    took = time.perf_counter() - started
    engine.dispose()
    time.sleep(0.5)
    stop.set()
    attempted, failed, slowest, first_failure = out.get(timeout=60)
    saver.join(timeout=60)
    return {
        "added": report.added,
        "import_s": took,
        "longest_lock_s": report.batches.longest_hold_s,
        "batches": report.batches.batches,
        "saves_attempted": attempted,
        "saves_failed": failed,
        "slowest_save_s": slowest,
        "first_failure": first_failure,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--every", type=float, default=0.1, help="seconds between saves")
    parser.add_argument("--postgres", help="an empty PostgreSQL database to run on as well")
    args = parser.parse_args()
    data = memory_file(args.megabytes)
    print(f"TMX: {len(data) / 1_048_576:.1f} MB")
    with tempfile.TemporaryDirectory() as folder:
        urls = [f"sqlite:///{Path(folder) / 'tmx-while-saving.db'}"]
        urls += [args.postgres] if args.postgres else []
        for url in urls:
            figures = run(url, data, prepare(url), args.every)
            print(f"{url.split(':')[0]}:")
            for name, value in figures.items():
                shown = f"{value:.3f}" if isinstance(value, float) else value
                print(f"  {name}: {shown}")


if __name__ == "__main__":
    main()
