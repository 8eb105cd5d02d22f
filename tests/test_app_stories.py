"""The stories page: progress of every story, opening one in the desk, importing new ones."""

from sqlmodel import Session, func, select

from tests.app_helpers import open_app
from tests.conftest import SEED_BYTES
from workflow.database import open_database
from workflow.models import Story


def _story_count() -> int:
    engine = open_database()
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Story)).one()
    engine.dispose()
    return count


def stories_page(person: str):
    at = open_app(person)
    at.switch_page("workflow/ui/stories.py").run()
    assert not at.exception, at.exception
    return at


def test_lists_each_story_with_progress_per_language(demo_db):
    at = stories_page("Tom Reyes")
    assert "**The US has approved the deployment of its military to Eastern Europe**" in [
        m.value for m in at.markdown
    ]
    progress_texts = [p.proto.text for p in at.get("progress")]
    # The line the desk's version head says, whole and with no stray separator.
    assert "11 of 13 approved · 2 translated · 1 stale" in progress_texts  # Russian
    ukrainian = next(t for t in progress_texts if t.startswith("2 of 13 approved"))  # Ukrainian
    assert "5 empty" in ukrainian and not ukrainian.endswith("·")


def test_open_in_desk_goes_to_the_story(demo_db):
    at = stories_page("Irina Sokolova")
    at.text_area[0].input("A second story\n\nIt is listed first, being the newest.")
    at.main.button[-2].click().run()
    at.button(key="open-1").click().run()
    assert [t.value for t in at.title] == ["Desk"]
    assert at.selectbox(key="story_id").value == 1


def test_pasted_story_is_imported_and_listed(demo_db):
    at = stories_page("Irina Sokolova")
    at.text_area[0].input("Storm hits the coast\n\nWinds reached 120 km/h.\n\nPower is out.")
    at.main.button[-2].click().run()  # the paste form's Import
    assert not at.error
    assert "with 3 paragraphs" in at.success[0].value
    assert "**Storm hits the coast**" in [m.value for m in at.markdown]
    assert _story_count() == 2


def test_imported_headline_is_shown_as_text_not_markup(demo_db):
    at = stories_page("Irina Sokolova")
    at.text_area[0].input("**Bold** [link](https://example.org) :red[x]\n\nBody.")
    at.main.button[-2].click().run()
    (message,) = at.success
    assert "**Bold**" not in message.value and "](https" not in message.value
    assert "\\*\\*Bold\\*\\*" in message.value


def test_empty_paste_is_refused_and_stores_nothing(demo_db):
    at = stories_page("Irina Sokolova")
    at.text_area[0].input("   \n\n  ")
    at.main.button[-2].click().run()
    assert "empty" in at.error[0].value
    assert _story_count() == 1


def test_uploaded_seed_file_is_imported(demo_db):
    at = stories_page("Desk Admin")
    at.file_uploader[0].set_value(("seed.txt", SEED_BYTES, "text/plain"))
    at.main.button[-1].click().run()
    # The demo is the seed story: said first, then imported all the same when asked.
    assert "may be at the desk already" in at.warning[0].value
    at.button(key="duplicate-import").click().run()
    assert not at.error
    assert "with 13 paragraphs" in at.success[0].value
    assert _story_count() == 2


def test_uploaded_binary_file_is_refused_in_words(demo_db):
    at = stories_page("Desk Admin")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    at.file_uploader[0].set_value(("photo.png", png, "image/png"))
    at.main.button[-1].click().run()
    assert "binary file" in at.error[0].value
    assert _story_count() == 1


def test_manager_cannot_import(demo_db):
    at = stories_page("Tom Reyes")
    assert not at.text_area and not at.file_uploader
    assert "Editors and admins import stories." in [c.value for c in at.caption]


def test_oversized_upload_is_refused_and_stores_nothing(demo_db):
    at = stories_page("Desk Admin")
    at.file_uploader[0].set_value(("huge.txt", b"word " * 700_000, "text/plain"))
    at.main.button[-1].click().run()
    assert "larger than 2 MB" in at.error[0].value
    assert _story_count() == 1


def test_a_newsrooms_own_database_gets_no_demo(db_url, monkeypatch):
    monkeypatch.delenv("LOCKSTEP_DEMO", raising=False)  # DATABASE_URL alone turns it off
    at = open_app(None)
    assert [b.label for b in at.button] == ["Sign in"]  # only the sign-in page
    assert not any("Demo desk" in i.value for i in at.info)
    assert _story_count() == 0


def test_the_demo_can_be_switched_off_on_the_embedded_database(tmp_path, monkeypatch):
    from workflow.demo import demo_enabled

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("LOCKSTEP_DEMO", raising=False)
    assert demo_enabled()
    monkeypatch.setenv("LOCKSTEP_DEMO", "0")
    assert not demo_enabled()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'newsroom.db'}")
    monkeypatch.delenv("LOCKSTEP_DEMO")
    assert not demo_enabled()
    monkeypatch.setenv("LOCKSTEP_DEMO", "1")
    assert demo_enabled()
