"""A large translation import leaves the desk saving: on SQLite it writes in short batches, so
a save on another story made meanwhile waits a moment and goes through, never "database is
locked"."""

import threading
import time

from sqlmodel import Session

from tests.conftest import translations
from workflow import database
from workflow.database import open_database
from workflow.exchange import import_paragraphs
from workflow.formats.base import ParsedStory
from workflow.models import Person
from workflow.people import add_person
from workflow.states import Role
from workflow.stories import import_story
from workflow.translations import save_translation

PARAGRAPHS = 400


def test_a_save_on_another_story_goes_through_during_a_large_import(tmp_path, monkeypatch):
    # A short busy wait: a save held up for a whole import would fail within the test's time.
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 1_000)
    engine = open_database(f"sqlite:///{tmp_path / 'desk.db'}")
    with Session(engine) as session:
        tanya = add_person(session, name="Tanya", role=Role.TRANSLATOR, languages=["ru"])
        english = [
            f"Paragraph {i} says 12 people met in Kyiv on Monday." for i in range(PARAGRAPHS)
        ]
        big = import_story(session, ParsedStory("A long story", english), person=None)
        other = import_story(session, ParsedStory("Another story", ["One paragraph."]), person=None)
        other_id, big_id, tanya_id = translations(session, other.id, "ru")[1].id, big.id, tanya.id
    russian = [
        f"Абзац {i}: 12 человек встретились в Киеве в понедельник." for i in range(PARAGRAPHS + 1)
    ]
    imported = []

    def import_the_file() -> None:
        with Session(engine) as importing:
            person = importing.get(Person, tanya_id)
            report = import_paragraphs(
                importing, story_id=big_id, lang="ru", paragraphs=russian, person=person
            )
            imported.append(len(report.saved))

    worker = threading.Thread(target=import_the_file)
    worker.start()
    time.sleep(0.5)  # the import is under way
    assert worker.is_alive()
    with Session(engine) as session:
        saved = save_translation(
            session, translation_id=other_id, text="Один абзац.",
            person=session.get(Person, tanya_id), base_lock_version=0,
        )  # fmt: skip
        assert saved.text == "Один абзац."
    worker.join()
    assert imported == [PARAGRAPHS + 1]
    engine.dispose()
