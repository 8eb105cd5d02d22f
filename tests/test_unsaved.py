"""A person's unsaved text: kept as typed, restored to them alone, gone when they save or
discard it, and never a saved text anyone else (or an export, a check, history) sees."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.conftest import translations
from workflow.demo import load_demo
from workflow.desk import read_version_desk
from workflow.errors import EditConflict, InputError
from workflow.exports import export_version
from workflow.history import revisions
from workflow.models import Change, Person, UnsavedText
from workflow.progress import version_progress
from workflow.segmentation import normalise
from workflow.translations import save_translation
from workflow.unsaved import discard_unsaved, keep_unsaved, storable, unsaved_texts
from workflow.versions import approve_version

TYPED = "Военные США прибудут в Польшу на следующей неделе."


def keep(session, person, t, text=TYPED):
    return keep_unsaved(
        session, person_id=person.id, translation_id=t.id, text=text, base_text=t.text,
        base_lock_version=t.lock_version,
    )  # fmt: skip


def test_typed_text_is_kept_for_its_author_with_the_saved_text_it_was_typed_over(
    session, people, story
):
    t = translations(session, story.id, "ru")[1]
    keep(session, people["translator"], t)
    keep(session, people["translator"], t, TYPED + " Ещё.")

    (kept,) = unsaved_texts(session, people["translator"].id).values()
    assert (kept.translation_id, kept.text) == (t.id, TYPED + " Ещё.")
    assert (kept.base_text, kept.base_lock_version) == (t.text, t.lock_version)


def test_the_desk_restores_a_persons_unsaved_text_to_them_alone(session, people, story):
    t = translations(session, story.id, "ru")[1]
    keep(session, people["translator"], t)

    def shown_to(person):
        desk = read_version_desk(session, story.id, "ru", person_id=person.id)
        return {row.translations["ru"].id: row.translations["ru"] for row in desk.rows}[t.id]

    assert shown_to(people["translator"]).unsaved.text == TYPED
    assert shown_to(people["translator"]).text == t.text  # the saved text is still the saved one
    assert shown_to(people["editor"]).unsaved is None
    assert shown_to(people["editor"]).text == t.text


def test_saving_the_paragraph_clears_the_savers_unsaved_text_and_no_one_elses(
    session, people, story
):
    t = translations(session, story.id, "ru")[1]
    keep(session, people["translator"], t)
    keep(session, people["editor"], t, "Текст редактора.")

    save_translation(session, translation_id=t.id, text=TYPED, person=people["translator"],
                     base_lock_version=t.lock_version)  # fmt: skip

    assert unsaved_texts(session, people["translator"].id) == {}
    assert unsaved_texts(session, people["editor"].id)[t.id].text == "Текст редактора."


def test_a_save_refused_by_a_conflict_keeps_the_unsaved_text(session, people, story):
    t = translations(session, story.id, "ru")[1]
    seen = t.lock_version
    keep(session, people["translator"], t)
    save_translation(session, translation_id=t.id, text="Текст редактора.",
                     person=people["editor"], base_lock_version=seen)  # fmt: skip

    with pytest.raises(EditConflict):
        save_translation(session, translation_id=t.id, text=TYPED, person=people["translator"],
                         base_lock_version=seen)  # fmt: skip

    kept = unsaved_texts(session, people["translator"].id)[t.id]
    assert (kept.text, kept.base_lock_version) == (TYPED, seen)


def test_discarding_forgets_the_unsaved_text_and_leaves_the_saved_one(session, people, story):
    t = translations(session, story.id, "ru")[1]
    saved = t.text
    keep(session, people["translator"], t)

    discard_unsaved(session, person_id=people["translator"].id, translation_id=t.id)

    assert unsaved_texts(session, people["translator"].id) == {}
    assert translations(session, story.id, "ru")[1].text == saved


def test_typing_back_the_saved_text_leaves_nothing_unsaved(session, people, story):
    t = translations(session, story.id, "ru")[1]
    keep(session, people["translator"], t)
    assert keep(session, people["translator"], t, t.text) is None
    assert unsaved_texts(session, people["translator"].id) == {}


def test_text_that_saves_as_the_saved_text_is_not_kept_as_unsaved(session, people, story):
    """A double space, or a space at the end, is what a save drops: a box left holding the
    saved text so typed (the focus stayed in it through a keyboard save) holds nothing."""
    t = translations(session, story.id, "ru")[1]
    keep(session, people["translator"], t)
    spaced = t.text.replace(" ", "  ", 1) + " "
    assert keep(session, people["translator"], t, spaced) is None
    assert unsaved_texts(session, people["translator"].id) == {}


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(typed=st.text(max_size=200))
def test_any_typed_text_is_unsaved_exactly_when_saving_it_would_change_the_paragraph(
    session, people, story, typed
):
    t = translations(session, story.id, "ru")[1]
    try:
        kept = keep(session, people["translator"], t, typed)
    except InputError:
        return  # refused in words
    assert (kept is None) == (normalise(storable(typed)) == normalise(t.text))


def test_unsaved_text_is_never_in_history_progress_checks_or_exports(session):
    demo = load_demo(session)
    irina = session.exec(select(Person).where(Person.name == "Irina Sokolova")).one()
    ru = translations(session, demo.id, "ru")
    fixed = next(t for t in ru if "2500" in t.text)
    save_translation(session, translation_id=fixed.id, text=fixed.text.replace("2500", "2000"),
                     person=irina, base_lock_version=fixed.lock_version)  # fmt: skip
    approve_version(session, story_id=demo.id, lang="ru", person=irina)
    t = translations(session, demo.id, "ru")[1]
    progress_before = version_progress(session, demo.id, "ru")
    changes_before = len(session.exec(select(Change)).all())
    revisions_before = list(revisions(session, t.id))

    keep(session, irina, t, "НЕСОХРАНЁННЫЙ ТЕКСТ 9999")

    assert version_progress(session, demo.id, "ru") == progress_before
    assert len(session.exec(select(Change)).all()) == changes_before
    assert list(revisions(session, t.id)) == revisions_before
    for name in ("md", "html", "json"):
        assert "НЕСОХРАНЁННЫЙ" not in export_version(session, demo.id, "ru", name)
    desk = read_version_desk(session, demo.id, "ru")  # as anyone else reads it
    assert all("9999" not in f.message for row in desk.rows for f in row.translations["ru"].flags)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
        ("\x00\x01\x02\x03\x04 PK\x03\x04", "binary data"),
        ("полу\ud800пара", "broken character"),
    ],
)
def test_huge_binary_or_broken_text_is_refused_in_words(session, people, story, text, why):
    t = translations(session, story.id, "ru")[1]
    with pytest.raises(InputError, match=why):
        keep(session, people["translator"], t, text)
    assert session.exec(select(UnsavedText)).all() == []


def test_a_stray_control_character_is_dropped_as_a_save_drops_it():
    assert storable("Военные\x00 США\tприбудут\n") == "Военные США\tприбудут\n"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_typed_text_is_kept_as_it_can_be_or_refused_in_words(session, people, story, text):
    t = translations(session, story.id, "ru")[1]
    try:
        kept = keep(session, people["translator"], t, text)
    except InputError as refusal:
        assert str(refusal)
        return
    stored = unsaved_texts(session, people["translator"].id).get(t.id)
    assert (stored.text if stored else None) == (kept.text if kept else None)
    if kept is not None:
        assert kept.text == storable(text)


def test_the_unsaved_text_survives_a_new_database_session(session, people, story):
    t = translations(session, story.id, "ru")[1]
    keep(session, people["translator"], t)
    with Session(session.get_bind()) as again:
        assert unsaved_texts(again, people["translator"].id, [t.id])[t.id].text == TYPED


@given(text=st.text(st.characters(exclude_categories=()), max_size=200))
def test_storable_text_is_what_any_database_can_keep_or_a_refusal_in_words(text):
    try:
        kept = storable(text)
    except InputError as refusal:
        assert str(refusal)
        return
    assert "\x00" not in kept
    kept.encode("utf-8")  # no broken character left


def test_keeping_ones_text_over_a_colleagues_save_moves_its_base_to_that_save(
    session, people, story
):
    t = translations(session, story.id, "ru")[1]
    keep(session, people["translator"], t)
    theirs = save_translation(
        session, translation_id=t.id, text="Текст редактора.", person=people["editor"],
        base_lock_version=t.lock_version,
    )  # fmt: skip

    keep_unsaved(
        session, person_id=people["translator"].id, translation_id=t.id, text=TYPED,
        base_text=theirs.text, base_lock_version=theirs.lock_version, rebase=True,
    )  # fmt: skip

    kept = unsaved_texts(session, people["translator"].id)[t.id]
    assert (kept.base_text, kept.base_lock_version) == (theirs.text, theirs.lock_version)
    saved = save_translation(
        session, translation_id=t.id, text=kept.text, person=people["translator"],
        base_lock_version=kept.base_lock_version,
    )  # fmt: skip
    assert saved.text == TYPED
