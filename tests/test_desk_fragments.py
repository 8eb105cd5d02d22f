"""A click on one paragraph of a long story reruns that paragraph and the version's head, not
the page (Streamlit AppTest on a 200-paragraph story).

After a click, AppTest holds what that interaction drew: the fragments it ran. The other
paragraphs were not run at all (a browser keeps them on screen as they were).
"""

import pytest
from sqlmodel import Session, select

from tests.app_helpers import badges, paragraph_boxes, paragraph_button, read_db, visible
from tests.long_story import first_in_state, long_story, open_desk
from workflow.database import open_database
from workflow.models import Story, Translation
from workflow.states import TranslationState

LONG = 200


@pytest.fixture
def story_id(demo_db) -> int:
    engine = open_database(demo_db)
    with Session(engine) as session:
        found = long_story(session, LONG).id
    engine.dispose()
    return found


def _first(story_id: int, state: TranslationState) -> int:
    return read_db(lambda s: first_in_state(s, story_id, "uk", state))


def _head(at) -> str:
    """The text under the version's progress bar ("N of M approved · ..."), if it was drawn."""
    bars = [visible(bar.proto.text) for bar in at.get("progress")]
    return bars[0] if bars else ""


def test_marking_one_paragraph_translated_reruns_it_and_the_head_only(story_id):
    tid = _first(story_id, TranslationState.MACHINE_DRAFT)
    at = open_desk("Olena Shevchuk", story_id, "uk")
    assert len(paragraph_boxes(at)) == LONG
    before = _head(at)

    paragraph_button(at, "Mark translated", tid).click().run()

    assert not at.exception
    assert [box.key for box in paragraph_boxes(at)] == [f"text-{tid}"]
    assert any(visible(s.value).startswith("Marked translated.") for s in at.success)
    assert ":blue-badge[Translated]" in badges(at)
    after = _head(at)
    assert after.startswith(f"40 of {LONG} approved") and after != before
    assert "39 machine draft" in after and "81 translated" in after


def test_an_editor_approving_one_paragraph_reruns_it_and_the_head_only(story_id):
    tid = _first(story_id, TranslationState.TRANSLATED)
    at = open_desk("Irina Sokolova", story_id, "uk")
    assert _head(at).startswith(f"40 of {LONG} approved")

    paragraph_button(at, "Approve", tid).click().run()

    assert not at.exception
    assert [box.key for box in paragraph_boxes(at)] == [f"text-{tid}"]
    assert any(visible(s.value).startswith("Approved.") for s in at.success)
    assert _head(at).startswith(f"41 of {LONG} approved")


def test_a_save_that_moves_no_count_reruns_its_paragraph_alone(story_id):
    tid = _first(story_id, TranslationState.TRANSLATED)
    at = open_desk("Olena Shevchuk", story_id, "uk")
    box = at.text_area(key=f"text-{tid}")
    box.input(box.value + " Оновлено.").run()

    paragraph_button(at, "Save", tid).click().run()

    assert [b.key for b in paragraph_boxes(at)] == [f"text-{tid}"]
    assert any(visible(s.value).startswith("Saved.") for s in at.success)
    assert _head(at) == ""  # the head was not run: nothing it shows moved
    assert read_db(lambda s: s.get(Translation, tid).text).endswith(" Оновлено.")


def test_text_typed_in_another_paragraph_survives_a_click_and_stays_unsaved(story_id):
    typed_in = _first(story_id, TranslationState.TRANSLATED)
    clicked = _first(story_id, TranslationState.MACHINE_DRAFT)
    stored = read_db(lambda s: s.get(Translation, typed_in).text)
    at = open_desk("Olena Shevchuk", story_id, "uk")
    at.text_area(key=f"text-{typed_in}").input("Ще не збережено.").run()

    paragraph_button(at, "Mark translated", clicked).click().run()
    at.run()  # the whole page again, as after a change of view

    assert at.text_area(key=f"text-{typed_in}").value == "Ще не збережено."
    assert read_db(lambda s: s.get(Translation, typed_in).text) == stored


def test_mark_translated_on_a_draft_just_typed_over_says_one_thing(demo_db):
    """A person's save already makes a machine draft translated: the click that saves the typed
    text and marks it says so once, with no refusal beside it."""
    story_id = read_db(lambda s: s.exec(select(Story.id)).one())
    tid = read_db(lambda s: first_in_state(s, story_id, "uk", TranslationState.MACHINE_DRAFT))
    at = open_desk("Olena Shevchuk", story_id, "uk")
    box = at.text_area(key=f"text-{tid}")
    box.input(box.value + " Виправлено.")
    paragraph_button(at, "Mark translated", tid).click().run()

    assert not at.exception, at.exception
    (said,) = [s.value for s in at.success]  # one message, escaped, naming the paragraph
    assert said.startswith(r"Saved and marked translated\. (paragraph ")
    assert not [e for e in at.error if e.icon == ":material/block:"]  # no refusal beside it
    state = read_db(lambda s: s.get(Translation, tid).state)
    assert state is TranslationState.TRANSLATED
