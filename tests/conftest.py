"""Shared fixtures: an in-memory database, the people of a desk, and the seed story."""

from importlib import resources
from pathlib import Path

import pytest
from sqlmodel import Session, select

from workflow.database import open_database
from workflow.demo import load_demo
from workflow.formats import read_story_file
from workflow.models import Person, Translation
from workflow.people import add_person
from workflow.states import Role, TranslationState
from workflow.stories import import_story

SEED_BYTES = resources.files("workflow.demo").joinpath("story.txt").read_bytes()


@pytest.fixture
def session():
    engine = open_database("sqlite://")
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def people(session) -> dict[str, Person]:
    """One person per role; translators work in one language, the editor in both."""
    return {
        "translator": add_person(session, name="Tanya", role=Role.TRANSLATOR, languages=["ru"]),
        "translator_uk": add_person(session, name="Taras", role=Role.TRANSLATOR, languages=["uk"]),
        "editor": add_person(session, name="Eva", role=Role.EDITOR, languages=["ru", "uk"]),
        "manager": add_person(session, name="Max", role=Role.MANAGER),
        "admin": add_person(session, name="Ada", role=Role.ADMIN),
    }


@pytest.fixture
def story(session, people):
    return import_story(session, read_story_file(SEED_BYTES), person=people["editor"])


def translations(session, story_id: int, lang: str) -> list[Translation]:
    """A version's translations in paragraph order."""
    return list(
        session.exec(
            select(Translation)
            .where(Translation.story_id == story_id, Translation.lang == lang)
            .order_by(Translation.paragraph_id)
        )
    )


def force_state(session, translation: Translation, state: TranslationState, text: str = "") -> None:
    """Put a translation straight into a state, as test set-up (bypasses the domain on purpose)."""
    translation.state = state
    translation.text = text or ("" if state is TranslationState.EMPTY else "Текст перевода.")
    session.add(translation)
    session.commit()
    session.refresh(translation)


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch) -> str:
    """A fresh SQLite file for tests that go through the app or the command line."""
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def demo_db(db_url: str) -> str:
    """The demo desk in a fresh SQLite file, as the app shows it on first start."""
    engine = open_database(db_url)
    with Session(engine) as session:
        load_demo(session)
    engine.dispose()
    return db_url
