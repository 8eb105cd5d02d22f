"""The SQLite file under the desk: made only when asked, and losing it is said, never hidden."""

import os
import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.app_helpers import open_app
from workflow.cli import main
from workflow.database import DatabaseFileGone, NoDatabase, make_db_engine, open_database
from workflow.models import Person
from workflow.people import add_person
from workflow.states import Role


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", [["status"], ["doctor"], ["db", "current"], ["user", "list"]])
def test_a_command_on_a_mistyped_path_says_so_and_makes_no_database(
    capsys, tmp_path, monkeypatch, command
):
    missing = tmp_path / "lockstpe.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
    code, out, err = run(capsys, *command)
    assert code == 1
    said = f"No database at {missing}; run `python -m workflow db upgrade` to create it."
    assert said in out + err
    assert not missing.exists()


def test_doctor_names_the_missing_database(capsys, tmp_path):
    missing = tmp_path / "nowhere.db"
    code, out, _ = run(capsys, "doctor", "--database", f"sqlite:///{missing}")
    assert code == 1
    assert out.startswith(f"FAIL  No database at {missing}; run `python -m workflow db upgrade`")
    assert not missing.exists()


def test_db_upgrade_makes_the_database_and_commands_then_use_it(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    code, out, _ = run(capsys, "db", "upgrade", "--database", url)
    assert code == 0 and out.startswith("Schema upgraded from nothing to ")
    code, out, _ = run(capsys, "status", "--database", url, "--json")
    assert (code, out.strip()) == (0, "[]")
    code, out, _ = run(capsys, "db", "upgrade", "--database", url)
    assert out.startswith("Schema already at ")


def test_the_app_on_a_mistyped_path_cannot_start_and_says_why(tmp_path, monkeypatch):
    missing = tmp_path / "lockstpe.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
    at = open_app(person_name=None, page=None)
    (error,) = at.error
    assert "The desk cannot start" in error.value and "db upgrade" in error.value
    assert not missing.exists()


@pytest.fixture
def desk(tmp_path: Path):
    path = tmp_path / "desk.db"
    engine = open_database(f"sqlite:///{path}")
    with Session(engine) as session:
        add_person(session, name="Olena", role=Role.TRANSLATOR, languages=["uk"])
    yield path, engine
    engine.dispose()


def _add(engine, name: str) -> None:
    with Session(engine) as session:
        add_person(session, name=name, role=Role.TRANSLATOR, languages=["ru"])


def test_saving_after_the_file_was_deleted_is_refused_in_words(desk):
    path, engine = desk
    path.unlink()
    with Session(engine) as session:  # the page still shows what the open file holds
        assert session.exec(select(Person.name)).all() == ["Olena"]
    with pytest.raises(DatabaseFileGone, match="was moved, deleted or replaced"):
        _add(engine, "Tanya")
    engine.dispose()  # a new connection neither makes a new empty file nor writes
    with pytest.raises(DatabaseFileGone):
        _add(engine, "Tanya")
    assert not path.exists()


def test_saving_into_a_file_replaced_under_the_app_is_refused(desk, tmp_path):
    path, engine = desk
    other = tmp_path / "other.db"
    open_database(f"sqlite:///{other}").dispose()
    os.replace(other, path)
    with pytest.raises(DatabaseFileGone, match=str(path)):
        _add(engine, "Tanya")


def test_a_file_moved_away_and_back_is_used_again(desk, tmp_path):
    path, engine = desk
    aside = tmp_path / "aside.db"
    shutil.move(path, aside)
    with pytest.raises(DatabaseFileGone):
        _add(engine, "Tanya")
    shutil.move(aside, path)
    _add(engine, "Tanya")
    with Session(engine) as session:
        assert session.exec(select(Person.name).order_by(Person.name)).all() == ["Olena", "Tanya"]


def test_an_engine_that_may_not_create_refuses_a_missing_file(tmp_path):
    with pytest.raises(NoDatabase, match="db upgrade"):
        make_db_engine(f"sqlite:///{tmp_path / 'missing.db'}", create=False)
