"""The story is always explicit: the desk's story is in the address, the picker names each
story by number, headline, section and date, a story imported twice is said before it is
stored, and an editor keeps track of what they sent back (Streamlit AppTest)."""

import pytest
from sqlmodel import select

from tests.app_helpers import (
    badges,
    desk_at,
    open_app,
    paragraph_button,
    paragraph_buttons,
    read_db,
    visible,
)
from tests.conftest import SEED_BYTES
from workflow.formats import parse_story
from workflow.models import Person, Story
from workflow.stories import import_story

DEMO_HEADLINE = "The US has approved the deployment of its military to Eastern Europe"
DEMO_TEXT = SEED_BYTES.decode("utf-8")


@pytest.fixture
def twin_db(demo_db) -> int:
    """The demo, and a second story with the same headline (#2, the newest: listed first)."""

    def twin(session) -> int:
        editor = session.exec(select(Person).where(Person.name == "Irina Sokolova")).one()
        story = import_story(session, parse_story(DEMO_TEXT), person=editor)
        assert story.id is not None
        return story.id

    return read_db(twin)


def _shown_story(at) -> tuple[str, int | None]:
    return at.query_params.get("story"), at.selectbox(key="story_id").value


def test_the_address_opens_its_story_not_the_newest(twin_db):
    at = desk_at({"story": "1", "view": "uk"})
    assert _shown_story(at) == ("1", 1)
    assert at.radio(key="desk_view").value == "uk"


def test_every_click_on_the_desk_keeps_the_story_of_the_address(twin_db):
    at = desk_at({"story": "1", "view": "read"})
    at.radio(key="desk_view").set_value("uk").run()
    assert at.query_params == {"story": "1", "view": "uk"}
    at.toggle(key="attention_only").set_value(True).run()
    at.toggle(key="attention_only").set_value(False).run()
    box = next(b for b in at.text_area if b.key and b.key.startswith("text-") and not b.value)
    tid = box.key.removeprefix("text-")
    box.input("Кірбі наголосив.").run()
    paragraph_button(at, "Save", tid).click().run()
    at.run()  # a reload of the same address
    assert _shown_story(at) == ("1", 1)
    assert at.query_params["view"] == "uk"


def test_choosing_a_story_in_the_picker_puts_it_in_the_address(twin_db):
    at = desk_at({"story": "1"})
    at.selectbox(key="story_id").set_value(twin_db).run()
    assert _shown_story(at) == (str(twin_db), twin_db)


def test_an_unknown_story_in_the_address_is_said_and_no_other_is_opened(twin_db):
    at = desk_at({"story": "99", "view": "uk"})
    assert [visible(e.value) for e in at.error] == [
        "There is no story #99 at this desk: choose one below."
    ]
    assert at.selectbox(key="story_id").value is None
    assert not at.text_area and not at.radio  # nothing of another story is drawn


def test_the_desk_without_a_story_in_the_address_puts_one_there(twin_db):
    at = open_app("Irina Sokolova")  # the sidebar's Desk link: no parameters
    assert _shown_story(at) == (str(twin_db), twin_db)


def test_ua_in_the_address_is_the_ukrainian_view(twin_db):
    at = desk_at({"story": "1", "view": "ua"})
    assert at.radio(key="desk_view").value == "uk"
    assert at.query_params["view"] == "uk"


def test_the_picker_names_each_story_by_number_headline_section_and_date(twin_db):
    at = desk_at({"story": "1"})
    picker = at.selectbox(key="story_id")
    section_and_date = "politics · Tuesday, 5 November"
    assert picker.options == [
        f"#{twin_db} · {DEMO_HEADLINE} · {section_and_date}",
        f"#1 · {DEMO_HEADLINE} · {section_and_date}",
    ]


def test_searching_the_stories_text_opens_the_story_found(demo_db):
    read_db(
        lambda s: import_story(
            s, parse_story("Floods close the highway\n\nWater rose by two metres."), person=None
        )
    )
    at = desk_at({"story": "1"})
    at.text_input(key="story_search").input("two metres").run()
    found = [b for b in at.button if b.key and b.key.startswith("found-")]
    assert [visible(b.label) for b in found] == ["#2 · Floods close the highway"]
    found[0].click().run()
    assert _shown_story(at) == ("2", 2)


def test_an_action_names_the_story_and_paragraph_it_acted_on(twin_db):
    at = desk_at({"story": "1", "view": "uk"})
    box = next(b for b in at.text_area if b.key and b.key.startswith("text-") and b.value)
    tid = box.key.removeprefix("text-")
    box.input(box.value + " Оновлено.").run()
    paragraph_button(at, "Save", tid).click().run()
    (said,) = [visible(s.value) for s in at.success]
    assert said.startswith("Saved. (")
    assert f"of #1 “{DEMO_HEADLINE[:20]}" in said


def test_importing_a_story_from_the_last_days_again_offers_the_one_there(demo_db):
    at = open_app("Irina Sokolova", page="workflow/ui/stories.py")
    at.text_area(key="import-text").input(DEMO_TEXT)
    at.main.button[-2].click().run()  # the paste form's Import
    (warning,) = [visible(w.value) for w in at.warning]
    assert "may be at the desk already" in warning
    assert f"#1 “{DEMO_HEADLINE[:20]}" in warning and "the same headline" in warning
    assert len(read_db(lambda s: s.exec(select(Story)).all())) == 1  # nothing imported yet

    at.button(key="duplicate-open-1").click().run()
    assert [t.value for t in at.title] == ["Desk"]
    assert at.query_params["story"] == "1"
    assert len(read_db(lambda s: s.exec(select(Story)).all())) == 1


def test_a_story_unlike_the_recent_ones_is_imported_without_a_question(demo_db):
    at = open_app("Irina Sokolova", page="workflow/ui/stories.py")
    at.text_area(key="import-text").input("Storm hits the coast\n\nWinds reached 120 km/h.")
    at.main.button[-2].click().run()
    assert not at.warning
    assert "Imported #2 “Storm hits the coast” with 2 paragraphs." in [
        visible(s.value) for s in at.success
    ]


def test_sending_back_a_paragraph_in_review_says_the_version_returns_to_translation(demo_db):
    at = desk_at({"story": "1", "view": "ru"})
    tid, send = next(iter(paragraph_buttons(at, "Send back to translator").items()))
    at.text_input(key=f"send-back-comment-{tid}").input("Check the figure.").run()
    send.click().run()
    said = " ".join(visible(s.value) for s in at.success)
    assert "returns to “In translation”" in said and "translator's list" in said
    assert ":gray-badge[In translation]" in badges(at)


def test_my_work_shows_the_editor_what_waits_on_the_translator_with_a_link(demo_db):
    # The demo: Irina sent a Ukrainian paragraph back to Olena, due at 11:00 (overdue).
    at = open_app("Irina Sokolova", page=None)
    assert "Sent back, waiting on the translator" in [h.value for h in at.subheader]
    row = next(m.value for m in at.markdown if "paragraph to fix" in visible(m.value))
    assert visible(row) == f"**#1 {DEMO_HEADLINE}** · Ukrainian · 1 paragraph to fix"
    assert any("With Olena Shevchuk" in visible(c.value) for c in at.caption)
    due = [m.value for m in at.markdown if "Overdue" in m.value] + [
        c.value for c in at.caption if c.value.startswith("Due ")
    ]
    assert due
    (link,) = [p for p in at.get("page_link") if p.proto.query_string]
    assert link.proto.query_string == "story=1&view=uk"
