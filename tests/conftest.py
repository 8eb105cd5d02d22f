"""Shared fixtures: a fresh database, the people of a desk, and the seed story.

Every test that uses a database runs on SQLite (in memory, or a file for the app and the
command line) and again on PostgreSQL when `TEST_DATABASE_URL` points at a server: the run makes
a scratch database of its own there (the database the URL names is never touched), migrates it
once, empties it before every test and drops it at the end. Without it the PostgreSQL runs are
skipped with the reason shown; in CI (`CI=true`) they fail instead.
"""

import os
import re
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from tests.scratch_database import scratch_postgres_database
from workflow.database import open_database
from workflow.demo import load_demo
from workflow.formats import read_story_file
from workflow.models import Person, Translation, load_all
from workflow.people import add_person
from workflow.states import Role, TranslationState
from workflow.stories import import_story
from workflow.worker import stop_workers

SEED_BYTES = resources.files("workflow.demo").joinpath("story.txt").read_bytes()


TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
HAVE_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def require_postgres() -> None:
    if not HAVE_POSTGRES:
        reason = "PostgreSQL tests need TEST_DATABASE_URL=postgresql://... (not set)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"In CI, PostgreSQL is required: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _no_worker_outlives_its_test() -> Iterator[None]:
    """A desk started in a test starts a drafting worker thread for that test's database; it
    stops with the test, so threads polling old databases never pile up over the suite."""
    yield
    stop_workers()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    if request.param == "postgresql":
        require_postgres()
    return request.param


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A scratch database of this run on the server `TEST_DATABASE_URL` names, dropped after."""
    require_postgres()
    with scratch_postgres_database(TEST_DATABASE_URL, "suite") as url:
        yield url


@pytest.fixture(scope="session")
def postgres_engine(postgres_url):
    engine = open_database(postgres_url)
    yield engine
    engine.dispose()


def _emptied(engine) -> None:
    load_all()  # every table, also those no test of this run has named yet
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def session(request, backend):
    if backend == "postgresql":
        engine = request.getfixturevalue("postgres_engine")
        _emptied(engine)
        with Session(engine) as session:
            yield session
        return
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
def db_url(tmp_path: Path, monkeypatch, request, backend) -> str:
    """A fresh database for tests that go through the app or the command line."""
    if backend == "postgresql":
        _emptied(request.getfixturevalue("postgres_engine"))
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'desk.db'}"
        open_database(url).dispose()  # as `python -m workflow db upgrade` makes it
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def demo_db(db_url: str, monkeypatch) -> str:
    """The demo's people and seed story in a fresh database, as the app shows them on first
    start, without the generated week (`tests/test_demo_week.py` tests the whole demo): the
    page tests act on the seed story, and loading the week for each would cost seconds."""
    monkeypatch.setenv("LOCKSTEP_DEMO", "1")  # DATABASE_URL is set, which turns it off
    engine = open_database(db_url)
    with Session(engine) as session:
        load_demo(session, week=False)
    engine.dispose()
    return db_url


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres"):
        require_postgres()
    item.stash[_STARTED] = time.time()


_STARTED = pytest.StashKey[float]()
SHOWN_OF_A_PAGE = 2000  # characters of the top and of the end of each open page's text
SHOWN_OF_A_LOG = 40  # last lines of each server log written during it


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """A browser test that fails prints what its pages showed and what its servers said, so a
    CI run whose screenshots stay on its machine can still be read from the failure alone."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed or not item.get_closest_marker("browser"):
        return
    try:
        _say_what_the_browser_saw(item, report)
    except Exception as exc:  # the report is a help: it never fails the run itself
        report.sections.append(("what the browser saw", f"could not be collected: {exc!r}"))


def _say_what_the_browser_saw(item: pytest.Item, report: pytest.TestReport) -> None:
    for number, page in enumerate(_open_pages(item), start=1):
        try:
            shown = page.locator("body").inner_text(timeout=5_000)
        except Exception as exc:  # a page that closed or hung says so instead
            shown = f"(its text could not be read: {exc})"
        if len(shown) > 2 * SHOWN_OF_A_PAGE:  # the top (refusals, the bar) and the end
            shown = f"{shown[:SHOWN_OF_A_PAGE]}\n[...]\n{shown[-SHOWN_OF_A_PAGE:]}"
        report.sections.append((f"page {number} showed ({page.url})", shown))
    from tests.test_browser import SERVER_LOGS

    started = item.stash.get(_STARTED, 0.0)
    for log in sorted(SERVER_LOGS.glob("*.log")) if SERVER_LOGS.exists() else ():
        if log.stat().st_mtime >= started:
            tail = log.read_text(errors="replace").splitlines()[-SHOWN_OF_A_LOG:]
            report.sections.append((f"server log {log.name}", "\n".join(tail)))


def _open_pages(item: pytest.Item) -> list:
    """The Playwright pages a test has open: its `page`, and every page of its browsers."""
    pages: list = []
    values = list(item.funcargs.values())  # type: ignore[attr-defined]
    for value in values:
        for held in value if isinstance(value, tuple) else (value,):
            kind = type(held).__name__
            if kind == "Page" and held not in pages:
                pages.append(held)
            elif kind == "Browser":
                for context in held.contexts:
                    pages.extend(p for p in context.pages if p not in pages)
    return pages


# What the numbers check compares besides digits, as each language writes it.
STAND_IN_WORDS = {
    "ru": {"weekday": ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу",
                       "в субботу", "в воскресенье"),
           "month": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                     "сентября", "октября", "ноября", "декабря"),
           "magnitude": {"thousand": "тыс.", "million": "млн", "billion": "млрд",
                         "trillion": "трлн"}},
    "uk": {"weekday": ("у понеділок", "у вівторок", "у середу", "у четвер", "у п'ятницю",
                       "у суботу", "у неділю"),
           "month": ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня",
                     "серпня", "вересня", "жовтня", "листопада", "грудня"),
           "magnitude": {"thousand": "тис.", "million": "млн", "billion": "млрд",
                         "trillion": "трлн"}},
}  # fmt: skip
FIGURE_OR_MAGNITUDE = re.compile(
    r"(\d[\d,.]*\d|\d)(?:\s?(thousand|million|billion|trillion)s?\b)?"
    r"|\b(thousand|million|billion|trillion)s?\b",
    re.IGNORECASE,
)


def stand_in(english: str, words: str = "Переклад абзацу", lang: str | None = None) -> str:
    """A stand-in translation that keeps the English's figures (with their magnitudes), its
    magnitude words, weekdays and months, as a real one would (so the numbers check has nothing
    to say about it). Its language is the one `words` are written in unless `lang` says."""
    from workflow.checks.calendar import mentions

    lang = lang or ("uk" if re.search("[іїєґ]|^переклад", words.lower()) else "ru")
    said = STAND_IN_WORDS[lang]
    kept = []
    for figure, attached, alone in FIGURE_OR_MAGNITUDE.findall(english):
        magnitude = said["magnitude"][(attached or alone).lower()] if attached or alone else ""
        kept.append(f"{figure} {magnitude}".strip())
    kept += [said[m.kind][m.value - 1] for m in mentions(english, "en")]
    return f"{words}: {', '.join(kept)}." if kept else f"{words}."


def tag(n: int) -> str:
    """A number spelled in Cyrillic letters (1 -> "б"): tells stand-ins apart without digits,
    which the numbers check would count."""
    return "".join("абвгдежзкл"[int(d)] for d in str(n))  # no и, й: words of their own


def stand_in_for(session, translation: Translation, words: str = "Перевод") -> str:
    """A stand-in for one translation's paragraph, unique to it."""
    from workflow.models import SourceParagraph

    english = session.get(SourceParagraph, translation.paragraph_id).text
    return stand_in(english, f"{words} {tag(translation.paragraph_id)}", translation.lang)


@pytest.fixture
def quick_hashing(monkeypatch):
    """argon2 with its smallest cost, for tests that fail to sign in dozens of times (each
    check costs half a second at the real parameters)."""
    from argon2 import PasswordHasher

    from workflow import accounts

    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
    accounts._decoy_hash.cache_clear()
    yield
    accounts._decoy_hash.cache_clear()
