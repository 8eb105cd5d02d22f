"""Presence and soft locks: who is where, what a beat costs, expiry, and "edit anyway"."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlmodel import select

from tests.conftest import translations
from workflow.errors import InputError
from workflow.models import Presence, clock_at
from workflow.presence import (
    GONE_AFTER,
    KEPT_FOR,
    Overtaken,
    ahead_of,
    beat,
    desk_id,
    edit_anyway,
    forget,
    on_paragraph,
    on_stories,
    on_story,
    purge_closed,
    who_is_here,
)

T0 = datetime(2026, 3, 2, 10, 41, tzinfo=UTC)


def on(session, desk, person, story, lang="uk", paragraph=None, unsaved=False):
    return beat(
        session, desk=desk, person=person, story_id=story.id, view=lang,
        translation_id=paragraph, unsaved=unsaved,
    )  # fmt: skip


def anyway(session, desk, person, story, paragraph, unsaved=False):
    edit_anyway(session, desk=desk, person=person, story_id=story.id, view="uk",
                translation_id=paragraph, unsaved=unsaved)  # fmt: skip


def test_a_beat_says_who_is_in_which_version_of_a_story(session, people, story):
    on(session, "olena-tab", people["translator_uk"], story)
    on(session, "eva-tab", people["editor"], story, lang="read")
    assert who_is_here(on_story(session, story.id), people["manager"].id) == [
        "Eva is reading the story",
        "Taras is in the Ukrainian version",
    ]
    assert who_is_here(on_story(session, story.id), people["editor"].id) == [
        "Taras is in the Ukrainian version"
    ]  # one's own desk is not news


def test_a_desk_not_heard_from_for_thirty_seconds_is_gone(session, people, story):
    with clock_at(T0):
        on(session, "taras-tab", people["translator_uk"], story)
    with clock_at(T0 + GONE_AFTER - timedelta(seconds=1)):
        assert [h.name for h in on_story(session, story.id)] == ["Taras"]
    with clock_at(T0 + GONE_AFTER + timedelta(seconds=1)):
        assert on_story(session, story.id) == []
        assert on_stories(session, [story.id]) == {}


def test_leaving_the_desk_frees_its_paragraph_at_once(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    on(session, "taras-tab", people["translator_uk"], story, paragraph=p, unsaved=True)
    assert ahead_of(on_paragraph(session, p), people["editor"].id, p).name == "Taras"
    forget(session, "taras-tab")
    assert ahead_of(on_paragraph(session, p), people["editor"].id, p) is None


def test_a_lock_expires_with_its_presence_so_nobody_waits_for_someone_who_left(
    session, people, story
):
    p = translations(session, story.id, "uk")[2].id
    with clock_at(T0):
        on(session, "taras-tab", people["translator_uk"], story, paragraph=p, unsaved=True)
    with clock_at(T0 + timedelta(seconds=31)):
        assert ahead_of(on_paragraph(session, p), people["editor"].id, p) is None


def test_the_first_on_a_paragraph_holds_it_and_the_second_is_asked(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story, paragraph=p, unsaved=True)
    with clock_at(T0 + timedelta(seconds=5)):
        on(session, "eva-tab", eva, story, paragraph=None)
        heres = on_paragraph(session, p)
    held = ahead_of(heres, eva.id, p)
    assert (held.name, held.unsaved, held.editing_since) == ("Taras", True, T0)
    assert ahead_of(heres, taras.id, p) is None  # the first is never asked about the second


def test_edit_anyway_is_told_to_the_other_person_on_their_next_beat(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        assert on(session, "taras-tab", taras, story, paragraph=p, unsaved=True) is None
    with clock_at(T0 + timedelta(seconds=20)):
        anyway(session, "eva-tab", eva, story, p)
    with clock_at(T0 + timedelta(seconds=23)):
        told = on(session, "taras-tab", taras, story, paragraph=p, unsaved=True)
        heres = on_paragraph(session, p)
    assert told == Overtaken("Eva", T0 + timedelta(seconds=20), p)
    assert ahead_of(heres, eva.id, p) is None  # she chose: she is not asked again
    # Taras is told again while he stays on the paragraph, and no more once he moves on.
    with clock_at(T0 + timedelta(seconds=26)):
        assert on(session, "taras-tab", taras, story, paragraph=p) is not None
        assert on(session, "taras-tab", taras, story, paragraph=p + 1) is None
        assert on(session, "taras-tab", taras, story, paragraph=p) is None


def test_one_edit_anyway_unlocks_the_paragraph_for_its_maker_alone(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    with clock_at(T0):
        on(session, "taras-tab", people["translator_uk"], story, paragraph=p, unsaved=True)
    with clock_at(T0 + timedelta(seconds=2)):
        anyway(session, "eva-tab", people["editor"], story, p, unsaved=True)
    with clock_at(T0 + timedelta(seconds=3)):
        heres = on_paragraph(session, p)
    assert ahead_of(heres, people["editor"].id, p) is None
    # Taras still holds unsaved text there: a third person is asked about him, the first.
    assert ahead_of(heres, people["admin"].id, p).name == "Taras"


def test_an_edit_anyway_goes_when_its_maker_leaves_the_paragraph(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    taras = people["translator_uk"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story, paragraph=p, unsaved=True)
        anyway(session, "eva-tab", people["editor"], story, p)
        assert on(session, "taras-tab", taras, story, paragraph=p, unsaved=True) is not None
    with clock_at(T0 + timedelta(seconds=5)):
        forget(session, "eva-tab")  # Eva left the desk
        assert on(session, "taras-tab", taras, story, paragraph=p, unsaved=True) is None
        assert on_paragraph(session, p)[0].overtaken_by is None


def test_two_desks_of_one_person_are_one_presence_and_leaving_one_keeps_the_other(
    session, people, story
):
    p = translations(session, story.id, "uk")[2].id
    taras = people["translator_uk"]
    on(session, "taras-laptop", taras, story, paragraph=p, unsaved=True)
    on(session, "taras-phone", taras, story)
    assert who_is_here(on_story(session, story.id), people["editor"].id) == [
        "Taras is in the Ukrainian version, editing a paragraph, unsaved changes"
    ]
    assert ahead_of(on_paragraph(session, p), taras.id, p) is None  # never locked out by himself
    forget(session, "taras-phone")
    assert ahead_of(on_paragraph(session, p), people["editor"].id, p).name == "Taras"


def test_coming_back_after_being_gone_is_a_new_arrival(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story, paragraph=p, unsaved=True)
    with clock_at(T0 + timedelta(minutes=1)):  # Taras's laptop slept; Eva took the paragraph
        on(session, "eva-tab", eva, story, paragraph=p, unsaved=True)
    with clock_at(T0 + timedelta(minutes=1, seconds=5)):
        on(session, "taras-tab", taras, story, paragraph=p, unsaved=True)
        heres = on_paragraph(session, p)
    assert ahead_of(heres, eva.id, p) is None
    assert ahead_of(heres, people["admin"].id, p).name == "Eva"  # she is the first now
    # Taras's box holds his unsaved text: it never closes under him (he sees Eva there).
    assert ahead_of(heres, taras.id, p) is None


def count_statements(session, action) -> int:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", count)
    return len(seen)


def test_presence_for_a_list_of_stories_is_one_query(session, people, story):
    on(session, "taras-tab", people["translator_uk"], story)
    found, ids = {}, [story.id, story.id + 1]
    assert count_statements(session, lambda: found.update(on_stories(session, ids))) == 1
    assert list(found) == [story.id]


def test_a_beat_costs_one_statement_and_two_when_it_has_news(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    taras, eva, story_id = people["translator_uk"], people["editor"], story.id
    for person in (taras, eva):  # as the desk holds them: read once for the page, detached
        session.refresh(person)
        session.expunge(person)

    def taras_beats():
        beat(session, desk="t", person=taras, story_id=story_id, view="uk", translation_id=p)

    assert count_statements(session, taras_beats) == 1
    assert count_statements(session, taras_beats) == 1
    anyway(session, "e", eva, story, p)
    assert count_statements(session, taras_beats) == 2


def test_tabs_closed_long_ago_are_purged(session, people, story):
    with clock_at(T0):
        on(session, "old-tab", people["translator_uk"], story)
    with clock_at(T0 + KEPT_FOR + timedelta(minutes=1)):
        on(session, "new-tab", people["editor"], story)
        purge_closed(session)
    assert session.exec(select(Presence.desk)).all() == ["new-tab"]


@pytest.mark.parametrize("bad", ["", "x" * 65, "tab id", "tab\x00", "<script>"])
def test_a_desk_id_that_is_not_one_the_desk_makes_is_refused_in_words(bad):
    with pytest.raises(InputError, match="desk's id"):
        desk_id(bad)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(desk=st.text(max_size=80), view=st.text(max_size=40))
def test_a_beat_with_any_desk_id_or_view_is_kept_or_refused_in_words(
    session, people, story, desk, view
):
    try:
        beat(session, desk=desk, person=people["editor"], story_id=story.id, view=view)
    except InputError as refusal:
        assert str(refusal)
        return
    kept = [h for h in on_story(session, story.id) if h.desk == desk]
    assert len(kept) == 1 and len(kept[0].view) <= 16


def test_someone_on_a_paragraph_without_unsaved_text_holds_nobody_back(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    on(session, "taras-tab", people["translator_uk"], story, paragraph=p, unsaved=False)
    heres = on_paragraph(session, p)
    assert [h.name for h in heres] == ["Taras"]  # named on it
    assert ahead_of(heres, people["editor"].id, p) is None
