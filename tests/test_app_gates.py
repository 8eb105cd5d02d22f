"""What each person is offered at the desk, and what it says about what it will not do: the
languages they work in, Publish and the downloads behind the site's gate, a published version's
time, and the upload limits as the desk enforces them."""

import tomllib
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.app_helpers import button_labels, open_app
from tests.conftest import SEED_BYTES, stand_in_for, translations
from workflow.database import open_database
from workflow.formats import read_story_file
from workflow.formats.limits import MAX_EXCHANGE_BYTES, MAX_FILE_BYTES, MAX_TEXT_BYTES, megabytes
from workflow.people import add_person
from workflow.sources import current_paragraphs, update_source
from workflow.states import Role
from workflow.stories import import_story
from workflow.translations import save_translation
from workflow.versions import approve_version, publish_version, submit_version

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def _approved_ukrainian(url: str, *, then=None) -> int:
    """A desk with Eva (editor, both languages), Taras (Ukrainian translator) and Dmitri
    (Russian translator), and the seed story's Ukrainian version approved; `then(session,
    story_id, eva)` goes on from there."""
    engine = open_database(url)
    with Session(engine) as session:
        eva = add_person(session, name="Eva", role=Role.EDITOR, languages=["ru", "uk"])
        taras = add_person(session, name="Taras", role=Role.TRANSLATOR, languages=["uk"])
        add_person(session, name="Dmitri", role=Role.TRANSLATOR, languages=["ru"])
        story = import_story(session, read_story_file(SEED_BYTES), person=eva)
        assert story.id is not None
        for t in translations(session, story.id, "uk"):
            first = save_translation(
                session, translation_id=t.id, text=stand_in_for(session, t, "Переклад"),
                person=taras, base_lock_version=0,
            )  # fmt: skip
            save_translation(  # a second text: history has one to revert to
                session, translation_id=t.id, text=stand_in_for(session, t, "Новий переклад"),
                person=taras, base_lock_version=first.lock_version,
            )  # fmt: skip
        submit_version(session, story_id=story.id, lang="uk", person=taras)
        approve_version(session, story_id=story.id, lang="uk", person=eva)
        if then is not None:
            then(session, story.id, eva)
        story_id = story.id
    engine.dispose()
    return story_id


def _correct_the_figure(session, story_id, eva):
    paragraphs = [p.text for p in current_paragraphs(session, story_id)]
    at = next(i for i, p in enumerate(paragraphs) if "8,500" in p)
    paragraphs[at] = paragraphs[at].replace("8,500", "8,700")
    update_source(session, story_id=story_id, paragraphs=paragraphs, person=eva)


def _publish(session, story_id, eva):
    publish_version(session, story_id=story_id, lang="uk", person=eva)


def _captions(at) -> str:
    return "\n".join(c.value for c in at.main.caption)


def test_a_translator_is_offered_to_edit_only_their_language(db_url):
    _approved_ukrainian(db_url)
    at = open_app("Taras", view="ru")
    assert at.radio(key="desk_view").options == [
        "Read English | Russian | Ukrainian", "Russian", "Edit Ukrainian", "English",
    ]  # fmt: skip
    assert any("You do not translate Russian" in i.value for i in at.info)
    assert "Submitted for review" not in _captions(at)
    assert "Save" not in button_labels(at)


def test_the_address_may_name_ukrainian_as_the_newsroom_does(db_url):
    _approved_ukrainian(db_url)
    at = open_app("Eva", view=None)
    at.query_params["view"] = "UA"
    at.run()
    assert at.radio(key="desk_view").value == "uk"
    assert at.query_params["view"] == "uk"  # a reload opens Ukrainian again


def test_an_outdated_version_shows_publish_disabled_and_why_the_downloads_wait(db_url):
    _approved_ukrainian(db_url, then=_correct_the_figure)
    at = open_app("Eva", view="uk")

    (publish,) = [b for b in at.main.button if b.label == "Publish"]
    assert publish.disabled
    assert "outdated" in publish.help and "changed in English" in publish.help
    assert "Publishing and the downloads for the site wait" in _captions(at)
    assert not [d for d in at.get("download_button") if d.proto.label in ("MD", "HTML", "JSON")]


def test_a_published_version_says_when_and_offers_neither_drafting_nor_a_due_time(db_url):
    _approved_ukrainian(db_url, then=_publish)
    at = open_app("Eva", view="uk")

    captions = _captions(at)
    assert "Published " in captions and "overdue" not in captions
    assert "Draft empty and stale paragraphs" not in button_labels(at)
    assert {"MD", "HTML", "JSON"} <= {d.proto.label for d in at.get("download_button")}
    (line,) = [p.proto.text for p in at.get("progress")]
    assert line == "13 of 13 approved"  # no separator with nothing after it
    assert at.get("progress")[0].proto.value == 100


def test_revert_on_a_published_paragraph_is_disabled_for_the_translator_with_why(db_url):
    _approved_ukrainian(db_url, then=_publish)
    at = open_app("Taras", view="uk")
    at.toggle(key="desk_history").set_value(True).run()
    first = translations_of(db_url)[0]
    at.toggle(key=f"history-{first}").set_value(True).run()

    reverts = [b for b in at.main.button if b.label == "Revert to this"]
    assert reverts and all(b.disabled for b in reverts)
    assert "published: only editors change it now" in reverts[0].help


def translations_of(url: str) -> list[int]:
    engine = open_database(url)
    with Session(engine) as session:
        found = [t.id for t in translations(session, 1, "uk")]
    engine.dispose()
    return found


@pytest.mark.parametrize("who", ["Eva", "Taras"])
def test_still_valid_says_what_it_does_for_who_clicks_it(db_url, who):
    def reword(session, story_id, eva):
        paragraphs = [p.text for p in current_paragraphs(session, story_id)]
        paragraphs[2] = paragraphs[2].replace("This is reported", "This was reported")
        update_source(session, story_id=story_id, paragraphs=paragraphs, person=eva)

    _approved_ukrainian(db_url, then=reword)
    at = open_app(who, view="uk")
    (button,) = [b for b in at.main.button if b.label == "Still valid"]
    back_to_review = "the version goes back to review" in (button.help or "")
    assert back_to_review == (who == "Taras")


def test_every_upload_box_states_the_limit_the_desk_enforces(demo_db):
    server = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]
    # The app-wide ceiling is the largest any box takes; no box promises more than it.
    assert server["maxUploadSize"] == megabytes(MAX_EXCHANGE_BYTES)
    at = open_app("Irina Sokolova", page="workflow/ui/stories.py")
    (story_box,) = at.get("file_uploader")
    assert story_box.proto.max_upload_size_mb == megabytes(MAX_FILE_BYTES)
    assert f"text up to {megabytes(MAX_TEXT_BYTES)} MB" in story_box.proto.label
