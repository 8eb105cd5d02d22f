"""Migration 0008 on a desk full of work: people keep their languages, the glossary keeps its
translations, the audit log and every paragraph read the same, whether the upgrade comes from
the app's start or from `python -m workflow db upgrade`, on SQLite and PostgreSQL."""

import os
import subprocess
import sys

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from tests.scratch_database import empty_desk_url
from workflow.audit import audit_log
from workflow.database import (
    downgrade,
    head_revision,
    make_db_engine,
    migrate,
    open_database,
    schema_revision,
)
from workflow.demo import load_demo
from workflow.desk import desk_rows
from workflow.errors import LockstepError
from workflow.glossary import list_terms, save_term
from workflow.history import record_change, revisions
from workflow.models import Flag, Person, Story
from workflow.people import add_person, set_role
from workflow.states import Action, Role
from workflow.vocabulary import Origin, RevisionReason, Severity

BEFORE = "0007"  # the last schema with languages as a comma string and glossary columns


def _named(session: Session, name: str) -> Person:
    return session.exec(select(Person).where(Person.name == name)).one()


def _what_people_read(session: Session) -> dict:
    """Everything the upgrade must keep, as the desk's own functions read it."""
    (story,) = session.exec(select(Story)).all()
    assert story.id is not None
    rows = desk_rows(session, story.id)
    views = [view for row in rows for view in row.translations.values()]
    return {
        "languages": {p.name: p.languages for p in session.exec(select(Person)).all()},
        "glossary": {t.english: t.translations for t in list_terms(session)},
        "audit": {line.id: line.as_json() for line in audit_log(session, limit=None)},
        "paragraphs": [(v.id, v.text, v.state, v.origin, v.draft_origin) for v in views],
        "revisions": [
            (r.lock_version, r.text, r.origin, r.reason)
            for view in views
            for r in revisions(session, view.id)
        ],
        "flags": sorted((f.translation_id, f.code, f.severity) for f in session.exec(select(Flag))),
    }


def _desk_at_0007(url: str) -> dict:
    """The demo with a morning's work, taken back to revision 0007 and written there the way a
    desk at 0007 wrote it (engines named in origins); returns what people read before."""
    engine = open_database(url)
    with Session(engine) as session:
        load_demo(session, week=False)
        admin, irina = _named(session, "Desk Admin"), _named(session, "Irina Sokolova")
        save_term(
            session, person=irina, english="Pentagon",
            translations={"ru": "Пентагон", "uk": "Пентагон"}, note="the building too",
        )  # fmt: skip
        save_term(session, person=irina, english="NATO", translations={"uk": "НАТО"})
        set_role(session, name="Tom Reyes", role=Role.EDITOR, languages=["uk", "ru"], by=admin)
        add_person(session, name="Mykola Bondar", role=Role.TRANSLATOR, languages=["uk"], by=admin)
        # A desk at 0007 logged an editor's fix to an approved version as "reopen".
        story = session.exec(select(Story)).one()
        record_change(
            session, action=Action.REOPEN, person=irina, story_id=story.id, lang="ru",
            from_state=30, to_state=20,
        )  # fmt: skip
        session.commit()
        seen = _what_people_read(session)
    engine.dispose()

    engine = make_db_engine(url)
    downgrade(engine, BEFORE)
    with engine.begin() as connection:
        languages = dict(connection.execute(text("SELECT name, languages FROM person")).all())
        glossary = connection.execute(
            text("SELECT english, ru, uk FROM glossaryterm ORDER BY english")
        ).all()
        # Machine origins named their engine at 0007.
        for table, column in (
            ("translation", "origin"),
            ("translation", "draft_origin"),
            ("revision", "origin"),
        ):
            connection.execute(
                text(f"UPDATE {table} SET {column} = 'machine:google' WHERE {column} = 'machine'")
            )
        machine = connection.execute(
            text("SELECT COUNT(*) FROM translation WHERE draft_origin = 'machine:google'")
        ).scalar()
    engine.dispose()
    # The older shape, as 0007 holds it.
    assert languages["Irina Sokolova"] == "ru,uk" and languages["Tom Reyes"] == "ru,uk"
    assert languages["Desk Admin"] == "" and languages["Mykola Bondar"] == "uk"
    assert [tuple(row) for row in glossary] == [
        ("NATO", "", "НАТО"),
        ("Pentagon",) + ("Пентагон",) * 2,
    ]
    assert machine  # the demo's machine drafts, with their engine
    return seen


@pytest.fixture
def desk_url(backend, tmp_path):
    with empty_desk_url(backend, tmp_path, "vocabulary") as url:
        yield url


def _read_after_upgrade(engine: Engine, seen: dict) -> dict:
    with engine.connect() as connection:
        assert schema_revision(connection) == head_revision()
    with Session(engine) as session:
        now = _what_people_read(session)
    engine.dispose()
    # Lines the upgrade itself may add are new; every line from before reads the same.
    now["audit"] = {i: line for i, line in now["audit"].items() if i in seen["audit"]}
    return now


def _check_kept(seen: dict, now: dict) -> None:
    assert now["languages"]["Irina Sokolova"] == ["ru", "uk"]
    assert now["languages"]["Tom Reyes"] == ["ru", "uk"]
    assert now["languages"]["Desk Admin"] == []
    assert now["glossary"]["NATO"] == {"uk": "НАТО"}
    assert {"reopen", "change role", "add glossary term"} <= {
        line["action"] for line in now["audit"].values()
    }
    assert Origin.MACHINE in {p[4] for p in now["paragraphs"]}
    assert RevisionReason.MACHINE_DRAFT in {r[3] for r in now["revisions"]}
    assert Severity.ERROR in {f[2] for f in now["flags"]}
    assert now == seen


def _db_upgrade(url: str) -> subprocess.CompletedProcess[str]:
    """`python -m workflow db upgrade` as an operator runs it, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "workflow", "db", "upgrade"],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
        check=False,
    )


def test_a_working_desk_at_0007_upgrades_at_the_apps_start_with_nothing_lost(desk_url):
    seen = _desk_at_0007(desk_url)
    _check_kept(seen, _read_after_upgrade(open_database(desk_url), seen))


def test_a_working_desk_at_0007_upgrades_by_the_command_line_with_nothing_lost(desk_url):
    seen = _desk_at_0007(desk_url)
    result = _db_upgrade(desk_url)
    assert result.returncode == 0, result.stderr
    assert f"Schema upgraded from 0007 to {head_revision()}" in result.stdout
    _check_kept(seen, _read_after_upgrade(make_db_engine(desk_url), seen))


def test_a_word_no_enum_has_stops_the_upgrade_in_words_with_nothing_changed(tmp_path):
    url = f"sqlite:///{tmp_path / 'odd.db'}"
    engine = make_db_engine(url)
    migrate(engine, BEFORE)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO person (id, name, role, languages) VALUES (1, 'Olena', 'editor', 'uk')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO change (scope, action, person_id, actor, comment, detail, created_at)"
                " VALUES ('desk', 'teleport', 1, '', '', '', '2026-01-05 10:00:00+00:00')"
            )
        )
    with pytest.raises(LockstepError, match=r"does not know.*change\.action 'teleport'"):
        migrate(engine)
    result = _db_upgrade(url)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "change.action 'teleport'" in result.stderr
    with engine.connect() as connection:
        assert schema_revision(connection) == BEFORE
        assert connection.execute(text("SELECT languages FROM person")).scalar() == "uk"
    engine.dispose()
