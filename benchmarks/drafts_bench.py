"""Characters sent to a machine engine for the seed story, beside the story's total.

    python benchmarks/drafts_bench.py

(a) the first drafts in Russian and Ukrainian; (b) after one figure in one paragraph is
corrected; (c) after one sentence is appended to one paragraph. The engine is Lockstep's
counting test engine, so the figures are exact and nothing leaves the machine; the drafting
code path (memory, cache, sentence-level redrafts) is the one the desk runs.
"""

import sys
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflow.database import open_database
from workflow.demo import __file__ as demo_file
from workflow.drafts import draft_version
from workflow.formats import read_story_file
from workflow.machinery.fake import FakeEngine
from workflow.sources import current_paragraphs, update_source
from workflow.stories import import_story

LANGS = ("ru", "uk")


def draft_all(session: Session, story_id: int, engine: FakeEngine) -> tuple[int, int]:
    before_chars, before_calls = engine.characters_sent, len(engine.sent)
    for lang in LANGS:
        draft_version(session, story_id=story_id, lang=lang, engine=engine, person=None)
    return engine.characters_sent - before_chars, len(engine.sent) - before_calls


def edit(session: Session, story_id: int, change: Callable[[list[str]], None]) -> None:
    paragraphs = [p.text for p in current_paragraphs(session, story_id)]
    change(paragraphs)
    update_source(session, story_id=story_id, paragraphs=paragraphs, person=None)


def main() -> None:
    seed = read_story_file((Path(demo_file).parent / "story.txt").read_bytes())
    total = sum(len(p) for p in seed.all_paragraphs)
    engine = FakeEngine()
    with Session(open_database("sqlite://")) as session:
        story = import_story(session, seed, person=None)
        assert story.id is not None
        rows = []
        chars, calls = draft_all(session, story.id, engine)
        rows.append(("(a) first drafts, both languages", chars, calls, 2 * total))

        def correct(paragraphs: list[str]) -> None:
            paragraphs[4] = paragraphs[4].replace("roughly 2,000 troops", "roughly 2,500 troops")

        edit(session, story.id, correct)
        chars, calls = draft_all(session, story.id, engine)
        rows.append(
            ("(b) one figure corrected in paragraph 4", chars, calls, len(seed.all_paragraphs[4]))
        )

        def append(paragraphs: list[str]) -> None:
            paragraphs[2] += " The network cited two defense officials."

        edit(session, story.id, append)
        chars, calls = draft_all(session, story.id, engine)
        rows.append(("(c) one sentence appended to paragraph 2", chars, calls, 40))

    print(
        f"The seed story: {len(seed.all_paragraphs)} paragraphs, {total:,} characters of English."
    )
    print(f"{'':44} {'chars sent':>10} {'requests':>9} {'changed':>8} {'story total':>12}")
    for label, sent, requests, reference in rows:
        print(f"{label:44} {sent:>10,} {requests:>9} {reference:>8,} {2 * total:>12,}")
    print(
        "\n'changed': (a) the whole story in two languages; (b) the corrected paragraph; "
        "(c) the appended sentence, each per language. 'story total': the English of the whole "
        "story, once per language."
    )


if __name__ == "__main__":
    main()
