"""Storage: what is imported reads back the same, on a real file, with the demo loaded once."""

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, func, select

from tests.conftest import SEED_BYTES
from workflow.database import open_database
from workflow.demo import load_demo
from workflow.desk import desk_rows
from workflow.formats import read_story_file
from workflow.models import Change, LanguageVersion, Person, Revision, Story, Translation
from workflow.progress import status_report
from workflow.states import TranslationState, VersionState
from workflow.stories import get_story, import_story


def test_imported_story_reads_back_paragraph_by_paragraph(session, people):
    parsed = read_story_file(SEED_BYTES)
    story = import_story(session, parsed, person=people["editor"])
    stored = get_story(session, story.id)
    assert (stored.headline, stored.section, stored.date_line) == (
        parsed.headline,
        "politics",
        "Tuesday, 5 November",
    )
    rows = desk_rows(session, story.id)
    assert [row.english for row in rows] == parsed.all_paragraphs
    assert all(set(row.translations) == {"ru", "uk"} for row in rows)
    assert all(t.state is TranslationState.EMPTY for row in rows for t in row.translations.values())


def test_states_are_stored_as_their_numbers(session, people, story):
    raw = session.exec(text("SELECT DISTINCT state FROM translation")).all()  # type: ignore[call-overload]
    assert raw == [(0,)]
    raw_version = session.exec(text("SELECT DISTINCT state FROM languageversion")).all()  # type: ignore[call-overload]
    assert raw_version == [(10,)]


def test_file_database_is_created_on_first_use_in_wal_mode(tmp_path):
    path = tmp_path / "new.db"
    engine = open_database(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert path.exists()
    engine.dispose()


def test_demo_loads_a_realistic_desk_once(session):
    assert load_demo(session) is not None
    assert load_demo(session) is None
    # The seed story and the generated week (tests/test_demo_week.py tells the week's states).
    assert session.exec(select(func.count()).select_from(Story)).one() == 21
    report = status_report(session)[0]
    assert report["headline"].startswith("The US has approved")
    ru, uk = report["languages"]["ru"], report["languages"]["uk"]
    assert ru["state"] == "in_review" and ru["counts"]["approved"] >= 10
    assert uk["state"] == "in_translation"
    assert uk["counts"]["empty"] > 0 and uk["counts"]["translated"] > 0
    roles = set(session.exec(select(Person.role)).all())
    assert roles == {"translator", "editor", "manager", "admin"}
    # Every text in the demo was saved through the domain, so it has a revision and an author.
    filled = session.exec(
        select(func.count()).select_from(Translation).where(Translation.text != "")
    ).one()
    revised = select(func.count(func.distinct(Revision.translation_id))).join(
        Translation, col(Translation.id) == Revision.translation_id
    )
    assert session.exec(revised.where(Translation.text != "")).one() == filled
    # A machine draft the translator then edited has two revisions: the draft and the edit.
    assert session.exec(select(func.count()).select_from(Revision)).one() > filled
    assert session.exec(select(func.count()).select_from(Change)).one() > filled


def test_demo_is_not_loaded_over_existing_data(session, people):
    assert load_demo(session) is None
    assert session.exec(select(func.count()).select_from(Story)).one() == 0


def test_version_state_round_trips_as_enum(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with Session(engine) as s:
        load_demo(s, week=False)
    with Session(engine) as s:
        states = {v.lang: v.state for v in s.exec(select(LanguageVersion))}
    assert states == {"ru": VersionState.IN_REVIEW, "uk": VersionState.IN_TRANSLATION}
    engine.dispose()


@pytest.mark.postgres
def test_the_suite_works_in_a_scratch_database_and_leaves_the_named_one_alone(request):
    from sqlalchemy import create_engine, make_url, text

    from tests.conftest import TEST_DATABASE_URL, _emptied

    named = create_engine(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with named.begin() as connection:  # what a staging database holds
        connection.execute(text("CREATE TABLE IF NOT EXISTS staging_canary (n int)"))
        connection.execute(text("INSERT INTO staging_canary VALUES (1)"))
    try:
        engine = request.getfixturevalue("postgres_engine")
        _emptied(engine)
        used = engine.url.database
        assert used != make_url(TEST_DATABASE_URL).database
        assert used.startswith("lockstep_scratch_suite_")
        with named.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM staging_canary")).scalar() == 1
    finally:
        with named.begin() as connection:
            connection.execute(text("DROP TABLE staging_canary"))
        named.dispose()
