"""Upgrade = start: `python -m workflow db upgrade` and the app's start run one procedure,
with its one-time steps (checking every stored translation when flags arrive), recorded."""

import os

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from tests.scratch_database import scratch_postgres_database
from workflow.audit import audit_log
from workflow.cli import main
from workflow.database import make_db_engine, migrate, open_database
from workflow.errors import LockstepError
from workflow.history import Event, command_line_actor
from workflow.models import Flag, Person
from workflow.people import add_person
from workflow.states import Role
from workflow.translations import approve_translation

BEFORE_FLAGS = "0003"

# A desk from before flags: a Ukrainian translation, submitted for review, whose number
# differs from the English (300 soldiers in English, 500 in Ukrainian).
OLD_DESK = [
    "INSERT INTO person (id, name, role, languages) VALUES (1, 'Olena', 'translator', 'uk')",
    "INSERT INTO story (id, headline, section, date_line, source_format, embargoed, created_at,"
    " updated_at) VALUES (1, 'Troops', 'politics', 'Monday', 'seed', false,"
    " '2026-01-05 10:00:00+00:00', '2026-01-05 10:00:00+00:00')",
    "INSERT INTO sourceparagraph (id, story_id, position, text, fingerprint, removed)"
    " VALUES (1, 1, 0, 'The army sent 300 soldiers to the border.', 'f1', false)",
    "INSERT INTO languageversion (id, story_id, lang, state, updated_at) VALUES"
    " (1, 1, 'uk', 20, '2026-01-05 10:00:00+00:00'), (2, 1, 'ru', 10, '2026-01-05 10:00:00+00:00')",
    "INSERT INTO translation (id, story_id, paragraph_id, lang, text, state, source_fingerprint,"
    " origin, draft_origin, version, updated_at) VALUES"
    " (1, 1, 1, 'uk', 'Армія відправила 500 солдатів до кордону.', 20, 'f1', 'human', '', 1,"
    " '2026-01-05 10:00:00+00:00'),"
    " (2, 1, 1, 'ru', '', 0, NULL, '', '', 0, '2026-01-05 10:00:00+00:00')",
    "INSERT INTO revision (id, translation_id, version, text, origin, reason, source_fingerprint,"
    " author_id, created_at) VALUES (1, 1, 1, 'Армія відправила 500 солдатів до кордону.',"
    " 'human', 'edit', 'f1', 1, '2026-01-05 10:00:00+00:00')",
]


def old_desk(url: str) -> None:
    """The database at `url`, emptied and filled as a desk from before flags."""
    engine = make_db_engine(url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(engine, BEFORE_FLAGS)
    with engine.begin() as connection:
        for statement in OLD_DESK:
            connection.execute(text(statement))
        if connection.dialect.name == "postgresql":
            for table in ("person", "story", "sourceparagraph", "languageversion",
                          "translation", "revision"):  # fmt: skip
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
                ))  # fmt: skip
    engine.dispose()


def flags(url: str) -> list[tuple[int, str, str]]:
    engine = make_db_engine(url)
    with Session(engine) as session:
        found = [(f.translation_id, f.code, f.severity) for f in session.exec(select(Flag))]
    engine.dispose()
    return sorted(found)


def upgrade_lines(url: str) -> list[tuple[str, str, str]]:
    engine = make_db_engine(url)
    with Session(engine) as session:
        lines = [(line.scope, line.who, line.detail) for line in audit_log(session)
                 if line.action == Event.UPGRADE_DATABASE]  # fmt: skip
    engine.dispose()
    return lines


@pytest.fixture
def two_urls(backend, tmp_path):
    """Two databases on one backend: one upgraded at the command line, one by the app."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}", f"sqlite:///{tmp_path / 'app.db'}"
        return
    server = os.environ["TEST_DATABASE_URL"]
    with (
        scratch_postgres_database(server, "upgrade_cli") as cli_url,
        scratch_postgres_database(server, "upgrade_app") as app_url,
    ):
        yield cli_url, app_url


def test_db_upgrade_leaves_the_same_flags_as_the_app_start_and_records_itself(two_urls, capsys):
    cli_url, app_url = two_urls
    old_desk(cli_url)
    old_desk(app_url)

    assert main(["db", "upgrade", "--database", cli_url]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Schema upgraded from {BEFORE_FLAGS} to ")
    assert "Checked 2 translations again." in said
    open_database(app_url).dispose()

    assert flags(cli_url) == flags(app_url)
    assert (1, "numbers", "error") in flags(cli_url)
    ((scope, who, detail),) = upgrade_lines(cli_url)
    assert (scope, who) == ("desk", command_line_actor())
    assert detail.startswith(f"Schema upgraded from {BEFORE_FLAGS}")
    ((_, who, _),) = upgrade_lines(app_url)
    assert who == "app start"

    # Starting again, at either, changes nothing and records nothing more.
    assert main(["db", "upgrade", "--database", cli_url]) == 0
    open_database(cli_url).dispose()
    assert len(upgrade_lines(cli_url)) == 1


def test_after_db_upgrade_a_translation_whose_numbers_differ_cannot_be_approved(two_urls, capsys):
    url, _ = two_urls
    old_desk(url)
    assert main(["db", "upgrade", "--database", url]) == 0
    engine = make_db_engine(url)
    with Session(engine) as session:
        editor = add_person(session, name="Irina", role=Role.EDITOR, languages=["uk", "ru"])
        with pytest.raises(LockstepError, match="300"):
            approve_translation(session, translation_id=1, person=editor)
        assert session.exec(select(Person.name).order_by(Person.id)).all() == ["Olena", "Irina"]
    engine.dispose()
