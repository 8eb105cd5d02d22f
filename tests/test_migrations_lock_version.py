"""Migration 0009 on a desk full of work: the lost-update counter of every translation,
English paragraph and revision is renamed `lock_version` with its value kept, so a person who
opened a paragraph before the upgrade saves it after, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from tests.scratch_database import empty_desk_url
from workflow.cli import main
from workflow.database import (
    downgrade,
    head_revision,
    make_db_engine,
    migrate,
    open_database,
    schema_revision,
)
from workflow.demo import load_demo
from workflow.errors import EditConflict
from workflow.models import Person, Revision, SourceParagraph, Translation
from workflow.translations import save_translation

BEFORE = "0008"  # the last schema with the counter in a column named `version`
COUNTED = {"translation": Translation, "sourceparagraph": SourceParagraph, "revision": Revision}


@pytest.fixture
def desk_url(backend, tmp_path):
    with empty_desk_url(backend, tmp_path, "lock_version") as url:
        yield url


def _counters(session: Session) -> dict[str, dict[int, int]]:
    return {
        table: {row.id: row.lock_version for row in session.exec(select(model))}
        for table, model in COUNTED.items()
    }


def _desk_at_0008(url: str) -> dict[str, dict[int, int]]:
    """The demo, with a paragraph saved twice, taken back to 0008; its counters as read before."""
    engine = open_database(url)
    with Session(engine) as session:
        load_demo(session, week=False)
        olena = session.exec(select(Person).where(Person.name == "Olena Shevchuk")).one()
        t = session.exec(
            select(Translation).where(Translation.lang == "uk", Translation.lock_version > 0)
        ).first()
        assert t is not None and t.id is not None
        for text_ in ("Перша правка.", "Друга правка."):
            save_translation(
                session, translation_id=t.id, text=text_, person=olena,
                base_lock_version=t.lock_version,
            )  # fmt: skip
        seen = _counters(session)
    engine.dispose()
    engine = make_db_engine(url)
    downgrade(engine, BEFORE)
    with engine.connect() as connection:
        for table, counters in seen.items():
            rows = connection.execute(text(f"SELECT id, version FROM {table}")).all()
            assert dict(rows) == counters  # 0008 held them in `version`
    engine.dispose()
    assert max(seen["translation"].values()) >= 2
    return seen


def _check_kept(url: str, seen: dict[str, dict[int, int]]) -> None:
    engine = make_db_engine(url)
    with engine.connect() as connection:
        assert schema_revision(connection) == head_revision()  # 0009, and any after it
    with Session(engine) as session:
        assert _counters(session) == seen
        # A person who opened a paragraph before the upgrade: their counter still holds.
        t_id, counter = max(seen["translation"].items(), key=lambda item: item[1])
        olena = session.exec(select(Person).where(Person.name == "Olena Shevchuk")).one()
        with pytest.raises(EditConflict):
            save_translation(
                session, translation_id=t_id, text="Запізно.", person=olena,
                base_lock_version=counter - 1,
            )  # fmt: skip
        saved = save_translation(
            session, translation_id=t_id, text="Після оновлення.", person=olena,
            base_lock_version=counter,
        )  # fmt: skip
        assert saved.lock_version == counter + 1
    engine.dispose()


def test_a_desk_at_0008_keeps_every_counter_when_the_app_starts(desk_url):
    seen = _desk_at_0008(desk_url)
    open_database(desk_url).dispose()
    _check_kept(desk_url, seen)


def test_a_desk_at_0008_keeps_every_counter_through_db_upgrade(desk_url, capsys):
    seen = _desk_at_0008(desk_url)
    assert main(["db", "upgrade", "--database", desk_url]) == 0
    assert f"Schema upgraded from 0008 to {head_revision()}" in capsys.readouterr().out
    _check_kept(desk_url, seen)


def test_downgrading_0009_gives_the_counters_back_to_version(desk_url):
    seen = _desk_at_0008(desk_url)
    engine = make_db_engine(desk_url)
    migrate(engine)
    downgrade(engine, BEFORE)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, version FROM translation")).all()
    engine.dispose()
    assert dict(rows) == seen["translation"]
