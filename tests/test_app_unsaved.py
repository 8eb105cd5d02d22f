"""Unsaved text at the desk (Streamlit AppTest): typed, kept as the person leaves the box,
back in the box and marked unsaved in a new session of the same person, never shown to
anyone else, gone when saved or discarded."""

from sqlmodel import select

from tests.app_helpers import open_app, paragraph_button, person_id, read_db, visible
from workflow.models import LanguageVersion, Translation, UnsavedText
from workflow.states import VersionState
from workflow.ui.unsaved import UNSAVED

UK_CNN = "Про це повідомляє CNN."  # the demo's Ukrainian paragraph 2, saved and translated
TYPED = "Про це повідомляє телеканал CNN у вівторок."


def _cnn() -> int:
    return read_db(lambda s: s.exec(select(Translation.id).where(Translation.text == UK_CNN)).one())


def _marked_unsaved(at) -> bool:
    return any(UNSAVED in c.value for c in at.caption)


def _type(at, tid: int, text: str) -> None:
    at.text_area(key=f"text-{tid}").input(text).run()  # the box's on_change, as leaving it
    assert not at.exception, at.exception


def test_typed_text_is_back_and_marked_unsaved_in_a_new_session_of_the_same_person(demo_db):
    tid = _cnn()
    at = open_app("Olena Shevchuk", view="uk")
    assert not _marked_unsaved(at)
    _type(at, tid, TYPED)
    assert _marked_unsaved(at)

    again = open_app("Olena Shevchuk", view="uk")  # a reload, a closed tab, a new sign-in

    assert again.text_area(key=f"text-{tid}").value == TYPED
    assert _marked_unsaved(again)
    assert read_db(lambda s: s.get(Translation, tid).text) == UK_CNN  # not saved by this


def test_someone_else_sees_the_saved_text_not_the_unsaved_one(demo_db):
    tid = _cnn()
    _type(open_app("Olena Shevchuk", view="uk"), tid, TYPED)

    editor = open_app("Irina Sokolova", view="uk")

    assert editor.text_area(key=f"text-{tid}").value == UK_CNN
    assert not _marked_unsaved(editor)


def test_saving_ends_the_unsaved_mark_here_and_after_a_reload(demo_db):
    tid = _cnn()
    at = open_app("Olena Shevchuk", view="uk")
    _type(at, tid, TYPED)
    paragraph_button(at, "Save", tid).click().run()

    assert any(visible(s.value).startswith("Saved.") for s in at.success)
    assert not _marked_unsaved(at)
    again = open_app("Olena Shevchuk", view="uk")
    assert again.text_area(key=f"text-{tid}").value == TYPED
    assert not _marked_unsaved(again)
    assert read_db(lambda s: s.exec(select(UnsavedText)).all()) == []


def test_discard_puts_the_saved_text_back_and_forgets_the_unsaved_one(demo_db):
    tid = _cnn()
    _type(open_app("Olena Shevchuk", view="uk"), tid, TYPED)
    at = open_app("Olena Shevchuk", view="uk")

    paragraph_button(at, "Discard", tid).click().run()

    assert at.text_area(key=f"text-{tid}").value == UK_CNN
    assert not _marked_unsaved(at)
    assert read_db(lambda s: s.exec(select(UnsavedText)).all()) == []
    assert open_app("Olena Shevchuk", view="uk").text_area(key=f"text-{tid}").value == UK_CNN


def test_a_restored_text_saved_over_a_colleagues_save_meets_the_conflict_box(demo_db):
    from workflow.translations import save_translation

    tid = _cnn()
    _type(open_app("Olena Shevchuk", view="uk"), tid, TYPED)

    def colleague_saves(session):
        from workflow.models import Person

        irina = session.get(Person, person_id("Irina Sokolova"))
        t = session.get(Translation, tid)
        save_translation(session, translation_id=tid, text="Про це повідомила CNN.",
                         person=irina, base_lock_version=t.lock_version)  # fmt: skip

    read_db(colleague_saves)
    at = open_app("Olena Shevchuk", view="uk")
    assert at.text_area(key=f"text-{tid}").value == TYPED  # still shown: nothing lost
    paragraph_button(at, "Save", tid).click().run()

    assert any("while you were editing" in w.value for w in at.warning)
    assert at.text_area(key=f"text-{tid}").value == TYPED
    assert read_db(lambda s: s.get(Translation, tid).text) == "Про це повідомила CNN."


def test_a_box_she_may_no_longer_change_shows_the_saved_text_and_hers_beside_it(demo_db):
    """Typed, then the version went to the editors: the read-only box holds the saved text, and
    what she typed is shown beside it as hers, with Discard, never as if it were saved."""
    tid = _cnn()
    _type(open_app("Olena Shevchuk", view="uk"), tid, TYPED)

    def to_review(session):
        version = session.exec(
            select(LanguageVersion).where(
                LanguageVersion.story_id == 1, LanguageVersion.lang == "uk"
            )
        ).one()
        version.state = VersionState.IN_REVIEW  # as after her Submit (which wants every paragraph)
        session.add(version)
        session.commit()

    read_db(to_review)
    at = open_app("Olena Shevchuk", view="uk")

    box = at.text_area(key=f"text-{tid}")
    assert (box.value, box.disabled) == (UK_CNN, True)
    assert TYPED in [t.value for t in at.text]
    assert any("Your unsaved text, kept from before" in c.value for c in at.caption)
    paragraph_button(at, "Discard", tid).click().run()
    assert read_db(lambda s: s.exec(select(UnsavedText)).all()) == []
