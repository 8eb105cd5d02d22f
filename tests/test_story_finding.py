"""Finding a story again: by its number, headline or English text; a story about to be
imported twice; and what an editor sent back and waits on the translator for."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_BYTES, force_state, translations
from workflow.assignments import assign
from workflow.duplicates import similar_recent_stories
from workflow.formats import ParsedStory, read_story_file
from workflow.states import TranslationState as T
from workflow.stories import find_stories, import_story, story_number
from workflow.translations import send_back
from workflow.versions import request_changes, submit_version
from workflow.waiting import waiting_on_translator

DEMO_HEADLINE = "The US has approved the deployment of its military to Eastern Europe"
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TYPED = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60)


def _floods(session, person=None):
    story = ParsedStory("Floods close the highway", ["Water rose by 2 metres; 40% of roads shut."])
    return import_story(session, story, person=person)


def test_a_story_is_found_by_its_number_with_or_without_the_hash(session, story):
    floods = _floods(session)
    assert [s.id for s in find_stories(session, f"#{floods.id}")] == [floods.id]
    assert [s.id for s in find_stories(session, f" {story.id} ")] == [story.id]


def test_a_story_is_found_by_words_of_its_headline_whatever_their_case(session, story):
    _floods(session)
    assert [s.headline for s in find_stories(session, "eastern EUROPE")] == [DEMO_HEADLINE]


def test_a_story_is_found_by_words_of_its_english_text(session, story):
    floods = _floods(session)
    assert [s.id for s in find_stories(session, "rose by 2")] == [floods.id]
    assert [s.id for s in find_stories(session, "CNN")] == [story.id]


def test_percent_and_underscore_are_searched_as_typed(session, story):
    floods = _floods(session)
    assert [s.id for s in find_stories(session, "40%")] == [floods.id]
    assert find_stories(session, "4_%") == []


def test_nothing_typed_finds_every_story_newest_first(session, story):
    floods = _floods(session)
    assert [s.id for s in find_stories(session, "  ")] == [floods.id, story.id]


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), ("#12", 12), (" # 12 ", 12), ("12a", None), ("#", None), ("-3", None), ("", None)],
)
def test_a_story_number_is_read_with_or_without_its_hash(typed, number):
    assert story_number(typed) == number


@given(typed=TYPED)
def test_reading_a_story_number_never_fails(typed):
    number = story_number(typed)
    assert number is None or (number >= 0 and story_number(f"#{number}") == number)


@HYPOTHESIS
@given(wanted=TYPED)
def test_finding_never_fails_whatever_is_typed(session, story, wanted):
    found = find_stories(session, wanted)
    assert all(s.id is not None for s in found)


def test_the_same_story_imported_again_names_the_one_there(session, story):
    (same,) = similar_recent_stories(session, read_story_file(SEED_BYTES))
    assert (same.story_id, same.same_headline, same.text_match) == (story.id, True, 100)


def test_a_headline_differing_in_case_and_punctuation_is_the_same_headline(session, story):
    again = ParsedStory("the US has approved the deployment of its military to Eastern Europe!")
    (same,) = similar_recent_stories(session, again)
    assert same.same_headline and same.text_match == 0


def test_a_lightly_edited_text_under_a_new_headline_matches(session, story):
    parsed = read_story_file(SEED_BYTES)
    edited = [p.replace("2,000", "2,500") for p in parsed.paragraphs]
    (same,) = similar_recent_stories(session, ParsedStory("A new headline", edited))
    assert not same.same_headline and same.text_match >= 90


def test_a_different_story_matches_nothing(session, story):
    assert (
        similar_recent_stories(session, ParsedStory("Floods close the highway", ["Water."])) == []
    )


def test_a_story_imported_more_than_a_week_ago_is_not_offered(session, story):
    later = datetime.now(UTC) + timedelta(days=8)
    assert similar_recent_stories(session, read_story_file(SEED_BYTES), now=later) == []


@HYPOTHESIS
@given(headline=TYPED, body=st.lists(TYPED, max_size=3))
def test_comparing_with_recent_stories_never_fails(session, story, headline, body):
    for similar in similar_recent_stories(session, ParsedStory(headline or "x", body)):
        assert similar.story_id == story.id and 0 <= similar.text_match <= 100


def _in_review(session, people, story, due=None):
    assign(
        session, story_id=story.id, lang="ru", person=people["editor"],
        translator_id=people["translator"].id, reviewer_id=people["editor"].id, due_at=due,
    )  # fmt: skip
    for t in translations(session, story.id, "ru"):
        force_state(session, t, T.TRANSLATED)
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])


def test_a_paragraph_sent_back_waits_on_the_translator_until_resubmitted(session, people, story):
    due = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    _in_review(session, people, story, due)
    headline, *_ = translations(session, story.id, "ru")
    send_back(session, translation_id=headline.id, person=people["editor"], comment="A verb.")
    (waiting,) = waiting_on_translator(session, people["editor"])
    assert (waiting.story_id, waiting.lang, waiting.translator) == (story.id, "ru", "Tanya")
    assert (waiting.paragraphs, waiting.whole_version, waiting.due_at) == (1, False, due)
    assert waiting_on_translator(session, people["admin"]) == []  # not the admin's send-back

    force_state(session, headline, T.TRANSLATED)
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    assert waiting_on_translator(session, people["editor"]) == []


def test_a_request_for_changes_waits_on_the_translator_as_the_whole_version(session, people, story):
    _in_review(session, people, story)
    request_changes(
        session, story_id=story.id, lang="ru", person=people["editor"], comment="Tone it down."
    )
    (waiting,) = waiting_on_translator(session, people["editor"])
    assert (waiting.paragraphs, waiting.whole_version, waiting.due_at) == (0, True, None)
