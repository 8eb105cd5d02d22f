"""The command line a CMS calls: import prints the id last, status --json, errors on stderr."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_BYTES
from workflow.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    path = tmp_path / "000_story.txt"
    path.write_bytes(SEED_BYTES)
    return path


def test_import_then_status_shows_thirteen_paragraphs_per_language(db_url, capsys, seed_file):
    code, out, _ = run(capsys, "import", str(seed_file))
    assert code == 0
    story_id = int(out.strip().splitlines()[-1])

    code, out, _ = run(capsys, "status", "--json")
    assert code == 0
    (story,) = json.loads(out)
    assert story["id"] == story_id
    assert story["headline"].startswith("The US has approved the deployment")
    for lang in ("ru", "uk"):
        version = story["languages"][lang]
        assert version["state"] == "in_translation"
        assert version["paragraphs"] == 13
        assert version["counts"]["empty"] == 13
        assert sum(version["counts"].values()) == 13
        assert version["stale"] == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"A" * (20 * 1024 * 1024), "2 MB"),
    ],
    ids=["empty", "binary", "20MB"],
)
def test_bad_file_exits_non_zero_with_one_line_and_stores_nothing(
    db_url, capsys, tmp_path, seed_file, content, reason
):
    run(capsys, "import", str(seed_file))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)

    code, out, err = run(capsys, "import", str(bad))

    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and reason in err
    _, status, _ = run(capsys, "status", "--json")
    assert len(json.loads(status)) == 1


def test_missing_file_is_reported_not_raised(db_url, capsys, tmp_path):
    code, _, err = run(capsys, "import", str(tmp_path / "nope.txt"))
    assert code == 1 and "Cannot read" in err


def test_user_add_and_list(db_url, capsys):
    code, out, _ = run(
        capsys, "user", "add", "Olga Petrova", "--role", "translator", "--languages", "uk"
    )
    assert code == 0 and out.splitlines()[-1].isdigit()
    _, out, _ = run(capsys, "user", "list")
    assert "Olga Petrova" in out and "translator" in out and "uk" in out
    code, _, err = run(capsys, "user", "add", "X", "--role", "editor", "--languages", "de")
    assert code == 1 and "Unknown language de" in err


def test_module_entry_point_honours_database_url(tmp_path, seed_file):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cms.db'}"}
    for command in (["db", "upgrade"], ["import", str(seed_file)]):
        result = subprocess.run(
            [sys.executable, "-m", "workflow", *command],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"
    assert (tmp_path / "cms.db").exists()


def test_update_replaces_the_english_and_reports_what_changed(db_url, capsys, tmp_path, seed_file):
    run(capsys, "import", str(seed_file))
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(SEED_BYTES.decode().replace("3,000 US troops", "3,500 US troops"))

    code, out, _ = run(capsys, "update", "1", str(corrected))

    assert code == 0
    assert "English version 2: 12 unchanged, 1 changed." in out
    code, _, err = run(capsys, "update", "99", str(corrected))
    assert code == 1 and "Story 99 does not exist" in err


def test_update_based_on_a_stale_english_is_refused_and_changes_nothing(
    db_url, capsys, tmp_path, seed_file
):
    run(capsys, "import", str(seed_file))
    desk_edit = tmp_path / "desk.txt"
    desk_edit.write_text(SEED_BYTES.decode().replace("3,000 US troops", "3,500 US troops"))
    assert run(capsys, "update", "1", str(desk_edit), "--based-on", "1")[0] == 0
    cms = tmp_path / "cms.txt"  # the CMS's correction, made from English version 1
    cms.write_text(SEED_BYTES.decode().replace("Eastern Europe", "Eastern  Europe."))

    code, out, err = run(capsys, "update", "1", str(cms), "--based-on", "1")

    assert code == 1 and "saved English version 2 while you were editing version 1" in err
    assert "Your text was not saved" in err
    _, out, _ = run(capsys, "update", "1", str(desk_edit), "--based-on", "2")
    assert "The English is unchanged" in out  # the desk's edit is still the latest English


def test_realign_prints_the_json_contract(capsys, tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(
        "Headline\n\nAlpha one.\n\nBravo two.\n\nCharlie 3,000 troops.\n\nDelta.\n\nEcho."
    )
    new.write_text(
        "Headline\n\nDelta.\n\nAlpha one.\n\nBravo two.\n\nCharlie 3,500 troops.\n\nNew."
    )

    code, out, _ = run(capsys, "realign", str(old), str(new))

    assert code == 0
    paragraphs = json.loads(out)["paragraphs"]
    assert [(p["index"], p["from"], p["status"], p["moved"]) for p in paragraphs] == [
        (0, [0], "unchanged", False),
        (1, [4], "unchanged", True),
        (2, [1], "unchanged", False),
        (3, [2], "unchanged", False),
        (4, [3], "changed", False),
        (5, [], "new", False),
    ]
    assert paragraphs[4]["similarity"] < 100 and paragraphs[0]["similarity"] == 100
    assert json.loads(out)["removed"] == [5]
    assert json.loads(out)["heirs"] == [0, 2, 3, 4, 1, None]  # old paragraph -> its heir
    assert list(json.loads(out)) == ["paragraphs", "removed", "heirs"]


def test_realign_refuses_an_unreadable_file(capsys, tmp_path):
    old = tmp_path / "old.txt"
    old.write_text("Headline")
    code, _, err = run(capsys, "realign", str(old), str(tmp_path / "missing.txt"))
    assert code == 1 and "Cannot read" in err


def test_translate_against_a_libretranslate_server_then_only_the_correction(
    db_url, capsys, tmp_path, seed_file, monkeypatch
):
    from tests.libre_server import libre_server

    run(capsys, "import", str(seed_file))
    with libre_server() as (url, received):
        monkeypatch.setenv("LOCKSTEP_MT_ENGINE", "libre")
        monkeypatch.setenv("LOCKSTEP_MT_URL", url)
        monkeypatch.setenv("LOCKSTEP_MT_KEY", "any")

        code, out, err = run(capsys, "translate", "1", "--lang", "ru,uk")
        assert code == 0, err
        assert "Russian: 13 paragraphs needed a draft; 13 sent" in out
        assert "Ukrainian: 13 paragraphs needed a draft; 13 sent" in out
        assert {r["target"] for r in received} == {"ru", "uk"} and len(received) == 26

        corrected = tmp_path / "corrected.txt"
        corrected.write_text(SEED_BYTES.decode().replace("3,000 US troops", "3,500 US troops"))
        run(capsys, "update", "1", str(corrected))
        received.clear()
        code, out, _ = run(capsys, "translate", "1")

    assert code == 0
    assert [r["target"] for r in received] == ["ru", "uk"]  # that paragraph, once per language
    assert all("3,500 US troops" in r["q"] for r in received)
    _, status, _ = run(capsys, "status", "--json")
    assert json.loads(status)[0]["languages"]["uk"]["stale"] == 0


def test_translate_with_no_network_says_so_and_exits_non_zero(
    db_url, capsys, seed_file, monkeypatch
):
    run(capsys, "import", str(seed_file))
    monkeypatch.setenv("LOCKSTEP_MT_ENGINE", "libre")
    monkeypatch.setenv("LOCKSTEP_MT_URL", "http://127.0.0.1:9")  # nothing listens there
    code, out, err = run(capsys, "translate", "1", "--lang", "ru")
    assert code == 1
    assert "LibreTranslate: cannot be reached" in err
    assert "13 paragraphs can be drafted again later" in out


def test_user_set_role(db_url, capsys):
    run(capsys, "user", "add", "Olga Petrova", "--role", "translator", "--languages", "uk")
    code, out, _ = run(capsys, "user", "set-role", "Olga Petrova", "--role", "editor",
                       "--languages", "ru,uk")  # fmt: skip
    assert code == 0 and "Olga Petrova is now an editor (ru,uk)" in out
    code, _, err = run(capsys, "user", "set-role", "Nobody", "--role", "editor")
    assert code == 1 and "Nobody called 'Nobody'" in err


def test_user_add_with_email_and_a_password_from_stdin(db_url, capsys, monkeypatch):
    import io

    from sqlmodel import Session

    from workflow.accounts import authenticate
    from workflow.database import open_database

    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    code, out, _ = run(
        capsys, "user", "add", "Olga Petrova", "--role", "translator", "--languages", "uk",
        "--email", "Olga@Desk.Example", "--password-stdin",
    )  # fmt: skip
    assert code == 0 and "olga@desk.example, a password" in out
    assert "a long passphrase" not in out
    _, out, _ = run(capsys, "user", "list")
    assert "olga@desk.example" in out

    monkeypatch.setattr("sys.stdin", io.StringIO("another passphrase\n"))
    code, out, _ = run(capsys, "user", "set-password", "Olga Petrova", "--password-stdin")
    assert code == 0 and out.strip() == "Olga Petrova has a new password."
    engine = open_database()
    with Session(engine) as session:
        assert authenticate(session, "olga@desk.example", "another passphrase").name == (
            "Olga Petrova"
        )
    engine.dispose()


def test_set_password_refuses_a_short_or_missing_password(db_url, capsys, monkeypatch):
    import io

    run(capsys, "user", "add", "Olga Petrova", "--role", "editor")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "user", "set-password", "Olga Petrova", "--password-stdin")
    assert code == 1 and "at least 10 characters" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal, and no flag
    code, _, err = run(capsys, "user", "set-password", "Olga Petrova")
    assert code == 1 and "--password-stdin" in err


def test_check_prints_the_flags_of_each_pair(tmp_path, capsys):
    pairs = tmp_path / "pairs.json"
    pairs.write_text(
        json.dumps(
            [
                {"source": "About 2,000 troops.", "target": "Около 2500 военных."},
                {"source": "This is reported by CNN.", "target": "Об этом сообщает CNN."},
                {"source": "Kirby said it.", "target": ""},
            ]
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", str(pairs), "--lang", "ru")
    assert code == 0
    report = json.loads(out)
    assert [p["index"] for p in report["paragraphs"]] == [0, 1, 2]
    assert [f["code"] for f in report["paragraphs"][0]["flags"]] == ["numbers"]
    assert report["paragraphs"][0]["flags"][0]["severity"] == "error"
    assert report["paragraphs"][1]["flags"] == []
    assert [f["code"] for f in report["paragraphs"][2]["flags"]] == ["empty"]

    code, out, _ = run(capsys, "check", str(pairs), "--lang", "uk")
    codes = [f["code"] for f in json.loads(out)["paragraphs"][1]["flags"]]
    assert codes == ["wrong-language"]  # Russian text offered as Ukrainian


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is not JSON"),
        (b"\xff\xfe\x00garbage", "is not JSON"),
        (b'{"source": "a", "target": "b"}', "must hold a list"),
        (b'[{"source": "a"}]', "must hold a list"),
    ],
)
def test_check_refuses_a_malformed_file_in_one_line(tmp_path, capsys, content, reason):
    pairs = tmp_path / "pairs.json"
    pairs.write_bytes(content)
    code, out, err = run(capsys, "check", str(pairs), "--lang", "ru")
    assert code == 1 and out == "" and reason in err and len(err.splitlines()) == 1


def _schema_at(url: str) -> str | None:
    from workflow.database import make_db_engine, schema_revision

    engine = make_db_engine(url, create=False)
    with engine.connect() as connection:
        revision = schema_revision(connection)
    engine.dispose()
    return revision


def test_commands_refuse_a_schema_behind_and_change_nothing_until_db_upgrade(
    db_url, capsys, seed_file
):
    from alembic.script import ScriptDirectory

    from workflow.database import alembic_config, downgrade, head_revision, make_db_engine

    head = head_revision()
    previous = ScriptDirectory.from_config(alembic_config()).get_revision(head).down_revision
    assert isinstance(previous, str)
    engine = make_db_engine(db_url, create=False)
    downgrade(engine, previous)  # the desk as the release before this one left it
    engine.dispose()

    try:
        for command in (["status"], ["audit"], ["import", str(seed_file)], ["recheck"]):
            code, _, err = run(capsys, *command)
            assert code == 1 and "python -m workflow db upgrade" in err, command
            assert f"schema is at {previous}" in err
            assert _schema_at(db_url) == previous, command
    finally:
        assert run(capsys, "db", "upgrade")[0] == 0
    assert run(capsys, "status")[0] == 0


def test_commands_refuse_a_database_newer_than_the_code(db_url, capsys):
    from sqlalchemy import text

    from workflow.database import head_revision, make_db_engine

    engine = make_db_engine(db_url, create=False)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    try:
        code, _, err = run(capsys, "status")
        assert code == 1 and "newer than this Lockstep knows" in err
        assert _schema_at(db_url) == "9999"
    finally:  # on PostgreSQL the run's database is shared by the tests after this one
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()}
            )
        engine.dispose()
