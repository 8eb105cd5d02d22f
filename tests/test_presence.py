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
    beat,
    desk_id,
    edit_anyway,
    focus,
    forget,
    on_paragraph,
    on_stories,
    on_story,
    purge_closed,
    who_is_here,
)
from workflow.soft_lock import ahead_of, as_on, held_by_others
from workflow.unsaved import keep_unsaved

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


def _keeps(session, person, paragraph, text="Ще речення."):
    """The person left the paragraph's box with unsaved text in it (the desk keeps it)."""
    keep_unsaved(session, person_id=person.id, translation_id=paragraph, text=text,
                 base_text="", base_lock_version=0)  # fmt: skip


def test_unsaved_text_left_in_a_box_holds_it_after_its_person_clicks_into_another(
    session, people, story
):
    """Taras typed in paragraph 3 and clicked into paragraph 5 without typing: his row is on
    5, his text still waits in 3, so Eva is asked before editing 3 (and not 5)."""
    p3, p5 = (t.id for t in translations(session, story.id, "uk")[2:4])
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story, paragraph=p3, unsaved=True)
        _keeps(session, taras, p3)
    with clock_at(T0 + timedelta(seconds=4)):
        focus(session, desk="taras-tab", person=taras, translation_id=p5, focused=True)
        on(session, "taras-tab", taras, story, paragraph=p3, unsaved=False)
        heres = on_story(session, story.id)
        held = ahead_of(heres, eva.id, p3)
        assert ahead_of(on_paragraph(session, p3), eva.id, p3) == held
    assert (held.name, held.unsaved, held.translation_id) == ("Taras", True, p3)
    assert ahead_of(heres, eva.id, p5) is None  # where he clicked, he has typed nothing
    assert ahead_of(heres, taras.id, p3) is None  # his own text never holds him back
    assert held_by_others(heres, eva.id) == {p3}


def test_edit_anyway_over_text_left_in_a_box_is_told_to_its_owner_on_another_paragraph(
    session, people, story
):
    """Taras left unsaved text in paragraph 3 and is on 5 now: Eva's "edit anyway" on 3
    reaches him all the same, names 3, and holds while she is on 3."""
    p3, p5 = (t.id for t in translations(session, story.id, "uk")[2:4])
    taras, eva, tanya = people["translator_uk"], people["editor"], people["translator"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story, paragraph=p3, unsaved=True)
        _keeps(session, taras, p3)
        on(session, "taras-tab", taras, story, paragraph=p5)
    with clock_at(T0 + timedelta(seconds=10)):
        anyway(session, "eva-tab", eva, story, p3)
    with clock_at(T0 + timedelta(seconds=12)):
        told = on(session, "taras-tab", taras, story, paragraph=p5)
        heres = on_story(session, story.id)
    assert told == Overtaken("Eva", T0 + timedelta(seconds=10), p3)
    assert ahead_of(heres, eva.id, p3) is None  # she chose
    held = ahead_of(heres, tanya.id, p3)  # a third person is still asked
    assert (held.name, held.away, held.editing_since) == ("Taras", True, T0)
    with clock_at(T0 + timedelta(seconds=14)):
        on(session, "eva-tab", eva, story, paragraph=p5)  # she left paragraph 3
        assert on(session, "taras-tab", taras, story, paragraph=p5) is None


def test_text_kept_since_its_first_leaving_says_so_though_typed_on_later(session, people, story):
    p3, p5 = (t.id for t in translations(session, story.id, "uk")[2:4])
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        _keeps(session, taras, p3)
    with clock_at(T0 + timedelta(minutes=5)):
        _keeps(session, taras, p3, text="Ще два речення.")  # back, typed on, left again
        on(session, "taras-tab", taras, story, paragraph=p5)
        held = ahead_of(on_story(session, story.id), eva.id, p3)
    assert held.editing_since == T0


def test_kept_unsaved_text_holds_nothing_once_its_person_leaves_or_is_gone(session, people, story):
    p3, p5 = (t.id for t in translations(session, story.id, "uk")[2:4])
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        _keeps(session, taras, p3)
        on(session, "taras-tab", taras, story, paragraph=p5)
        assert ahead_of(on_story(session, story.id), eva.id, p3).name == "Taras"
        on(session, "taras-tab", taras, story, lang="read")  # another view: not at the version
        assert ahead_of(on_story(session, story.id), eva.id, p3) is None
        on(session, "taras-tab", taras, story, paragraph=p5)
    with clock_at(T0 + GONE_AFTER + timedelta(seconds=1)):  # gone 30 s
        assert ahead_of(on_story(session, story.id), eva.id, p3) is None
        on(session, "taras-tab", taras, story, paragraph=p5)  # back
        assert ahead_of(on_story(session, story.id), eva.id, p3).name == "Taras"
        forget(session, "taras-tab")  # he left the desk: everything is free at once
        assert ahead_of(on_story(session, story.id), eva.id, p3) is None
        assert on_paragraph(session, p3) == []


def test_a_person_with_two_tabs_and_kept_text_is_named_once_on_the_paragraph(
    session, people, story
):
    p3, p5 = (t.id for t in translations(session, story.id, "uk")[2:4])
    taras = people["translator_uk"]
    _keeps(session, taras, p3)
    on(session, "taras-laptop", taras, story, paragraph=p5)
    on(session, "taras-phone", taras, story)
    assert [(h.name, h.unsaved) for h in as_on(on_story(session, story.id), p3)] == [
        ("Taras", True)
    ]
    assert who_is_here(on_story(session, story.id), people["editor"].id) == [
        "Taras is in the Ukrainian version, editing a paragraph"
    ]


def test_reading_who_is_on_a_story_with_kept_text_is_one_query(session, people, story):
    rows = translations(session, story.id, "uk")
    taras = people["translator_uk"]
    for t in rows[:5]:
        _keeps(session, taras, t.id)
    on(session, "taras-tab", taras, story, paragraph=rows[6].id)
    found: list = []
    story_id = story.id
    assert count_statements(session, lambda: found.extend(on_story(session, story_id))) == 1
    assert {tid for tid, _ in found[0].kept} == {t.id for t in rows[:5]}


def test_an_edit_anyway_stops_counting_the_moment_its_maker_moves_on(session, people, story):
    """Eva chose to edit Taras's paragraph anyway, then went on to another: coming back, she
    is asked again at once, before Taras's next beat forgets her choice."""
    p, q = (t.id for t in translations(session, story.id, "uk")[2:4])
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story, paragraph=p, unsaved=True)
        anyway(session, "eva-tab", eva, story, p)
        assert ahead_of(on_story(session, story.id), eva.id, p) is None
        on(session, "eva-tab", eva, story, paragraph=q)
        assert ahead_of(on_story(session, story.id), eva.id, p).name == "Taras"


def test_of_two_holding_a_paragraph_the_one_who_kept_text_there_first_is_named(
    session, people, story
):
    p, q = (t.id for t in translations(session, story.id, "uk")[2:4])
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        _keeps(session, taras, p)  # typed in p at 10:41, then went on to q
        on(session, "taras-tab", taras, story, paragraph=q)
    with clock_at(T0 + timedelta(seconds=10)):
        on(session, "eva-tab", eva, story, paragraph=p, unsaved=True)
        heres = on_story(session, story.id)
    assert [h.name for h in as_on(heres, p)] == ["Taras", "Eva"]
    assert ahead_of(heres, people["admin"].id, p).name == "Taras"
    assert ahead_of(heres, eva.id, p) is None  # she is typing there: never held back
