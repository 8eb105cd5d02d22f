"""Migrations: an old database upgrades to the newest schema with every row intact."""

import os
from contextlib import ExitStack
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from tests.scratch_database import scratch_postgres_database
from workflow.audit import audit_log
from workflow.database import (
    DatabaseTooNew,
    downgrade,
    head_revision,
    make_db_engine,
    migrate,
    open_database,
)
from workflow.desk import desk_rows
from workflow.history import Event, record_change
from workflow.models import (
    ChangeScope,
    Person,
    SourceParagraph,
    StalePeriod,
    Story,
    Translation,
    as_utc,
    load_all,
)
from workflow.progress import status_report

FIRST = "0001"


def fill_at_first_migration(engine) -> None:
    """Rows as the first schema holds them, written in plain SQL (today's models are newer)."""
    statements = [
        "INSERT INTO person (id, name, role, languages) VALUES (1, 'Olena', 'translator', 'uk')",
        "INSERT INTO story (id, headline, section, date_line, source_format, embargoed,"
        " created_at, updated_at) VALUES (1, 'Headline', 'politics', 'Monday', 'seed', false,"
        " '2026-01-05 10:00:00+00:00', '2026-01-05 10:00:00+00:00')",
        "INSERT INTO sourceparagraph (id, story_id, position, text, fingerprint, removed)"
        " VALUES (1, 1, 0, 'Headline', 'f0', false), (2, 1, 1, 'Body text.', 'f1', false)",
        "INSERT INTO languageversion (id, story_id, lang, state, updated_at) VALUES"
        " (1, 1, 'ru', 10, '2026-01-05 10:00:00+00:00'),"
        " (2, 1, 'uk', 10, '2026-01-05 10:00:00+00:00')",
        "INSERT INTO translation (id, story_id, paragraph_id, lang, text, state,"
        " source_fingerprint, origin, draft_origin, version, updated_at) VALUES"
        " (1, 1, 1, 'uk', 'Заголовок', 20, 'f-old', 'human', '', 1, '2026-01-05 10:00:00+00:00'),"
        " (2, 1, 2, 'uk', '', 0, NULL, '', '', 0, '2026-01-05 10:00:00+00:00'),"
        " (3, 1, 1, 'ru', '', 0, NULL, '', '', 0, '2026-01-05 10:00:00+00:00'),"
        " (4, 1, 2, 'ru', '', 0, NULL, '', '', 0, '2026-01-05 10:00:00+00:00')",
        # Rows that point at the person and the translation, as every real desk has.
        "INSERT INTO revision (id, translation_id, version, text, origin, reason,"
        " source_fingerprint, author_id, created_at) VALUES (1, 1, 1, 'Заголовок', 'human',"
        " 'edit', 'f0', 1, '2026-01-05 10:00:00+00:00')",
        "INSERT INTO change (id, story_id, lang, translation_id, action, person_id, comment,"
        " created_at) VALUES (1, 1, 'uk', 1, 'save', 1, '', '2026-01-05 10:00:00+00:00')",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
        if connection.dialect.name == "postgresql":
            # Rows written with their ids: the sequences go on after them, as on a real desk.
            for table in ("person", "story", "sourceparagraph", "languageversion",
                          "translation", "revision", "change"):  # fmt: skip
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id))"
                        f" FROM {table}"
                    )
                )


def check_upgrade(url: str) -> None:
    engine = make_db_engine(url)
    assert migrate(engine, FIRST) is None
    fill_at_first_migration(engine)

    assert migrate(engine) == FIRST

    with Session(engine) as session:
        story = session.get(Story, 1)
        assert (story.headline, story.section, story.date_line) == (
            "Headline",
            "politics",
            "Monday",
        )
        paragraphs = session.exec(select(SourceParagraph).order_by(SourceParagraph.id)).all()
        assert [(p.text, p.lock_version) for p in paragraphs] == [
            ("Headline", 1),
            ("Body text.", 1),
        ]
        rows = desk_rows(session, 1)
        assert rows[0].translations["uk"].text == "Заголовок"
        # Who translated it is taken from its history, so Olena cannot approve it herself.
        assert session.get(Translation, 1).translated_by_id == 1
        (report,) = status_report(session)
        assert report["languages"]["uk"]["counts"]["translated"] == 1
        # The headline's translation was made from older English: stale since it last changed.
        assert report["languages"]["uk"]["stale"] == 1
        assert as_utc(story.english_changed_at) == datetime(2026, 1, 5, 10, tzinfo=UTC)
        (period,) = session.exec(select(StalePeriod)).all()
        assert (period.translation_id, period.lang, period.ended_at) == (1, "uk", None)
        assert as_utc(period.started_at) == as_utc(story.english_changed_at)

        # The audit log's old lines concern their story; lines about people fit beside them.
        (old,) = audit_log(session)
        assert (old.scope, old.action, old.who, old.concerns) == (
            ChangeScope.STORY, "save", "Olena", "Headline",
        )  # fmt: skip
        olena = session.get(Person, 1)
        record_change(session, action=Event.CHANGE_ROLE, person=None, subject=olena)
        session.commit()
        assert [(line.scope, line.concerns) for line in audit_log(session)] == [
            (ChangeScope.PERSON, "Olena"),
            (ChangeScope.STORY, "Headline"),
        ]
    engine.dispose()


def test_first_migration_database_upgrades_with_rows_intact_on_sqlite(tmp_path):
    check_upgrade(f"sqlite:///{tmp_path / 'old.db'}")


def test_a_database_newer_than_the_code_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    open_database(url).dispose()
    engine = make_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseTooNew, match="newer than this Lockstep knows"):
        migrate(engine)
    engine.dispose()


def test_a_database_made_before_migrations_is_adopted(tmp_path):
    from sqlmodel import SQLModel

    url = f"sqlite:///{tmp_path / 'premigration.db'}"
    engine = make_db_engine(url)
    # The baseline tables, made the old way (no version table), then adopted and upgraded.
    migrate(engine, FIRST)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    assert SQLModel.metadata  # the models are loaded
    assert migrate(engine) == FIRST
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            head_revision()
        )
    engine.dispose()


@pytest.mark.postgres
def test_first_migration_database_upgrades_with_rows_intact_on_postgres():
    with scratch_postgres_database(os.environ["TEST_DATABASE_URL"], "migration") as url:
        check_upgrade(url)


def test_the_migrations_build_exactly_the_schema_the_models_describe(tmp_path, backend):
    """A fresh database made by the migrations, compared with the models: a column added to a
    model without a migration fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    load_all()  # every table the models describe, also those this run has not named yet
    with ExitStack() as stack:
        url = (
            stack.enter_context(
                scratch_postgres_database(os.environ["TEST_DATABASE_URL"], "schema")
            )
            if backend == "postgresql"
            else f"sqlite:///{tmp_path / 'fresh.db'}"
        )
        engine = open_database(url)
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), SQLModel.metadata
            )
        engine.dispose()
    assert differences == []


def test_a_full_database_goes_down_to_the_first_schema_and_up_again(tmp_path):
    engine = make_db_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    migrate(engine, FIRST)
    fill_at_first_migration(engine)
    migrate(engine)
    with Session(engine) as session:
        record_change(session, action=Event.SELF_REVIEW, person=None, detail="allowed")
        session.commit()
    downgrade(engine, FIRST)
    with engine.connect() as connection:
        texts = connection.execute(text("SELECT text FROM revision")).scalars().all()
        actions = connection.execute(text("SELECT action FROM change")).scalars().all()
    assert texts == ["Заголовок"]
    assert actions == ["save"]  # the older schema has no room for a desk-wide line
    assert migrate(engine) == FIRST
    engine.dispose()
