"""The desk page as translators, editors and managers use it (Streamlit AppTest)."""

import pytest
from sqlmodel import Session, select

from tests.app_helpers import (
    badges,
    button_labels,
    comments,
    open_app,
    paragraph_boxes,
    paragraph_button,
    texts,
    visible,
)
from workflow.database import open_database
from workflow.models import Translation

UK_CNN = "Про це повідомляє CNN."  # the demo's Ukrainian paragraph 2, state translated


def _translation_id(lang: str, text: str) -> int:
    engine = open_database()
    with Session(engine) as session:
        found = session.exec(
            select(Translation.id).where(Translation.lang == lang, Translation.text == text)
        ).one()
    engine.dispose()
    return found


def _stored_text(translation_id: int) -> str:
    engine = open_database()
    with Session(engine) as session:
        text = session.get(Translation, translation_id).text
    engine.dispose()
    return text


def test_reading_view_shows_english_russian_and_ukrainian_side_by_side(demo_db):
    at = open_app()
    shown = texts(at)
    assert "The US has approved the deployment of its military to Eastern Europe" in shown
    assert "США одобрили развёртывание своих военных в Восточной Европе" in shown
    assert "США схвалили розгортання своїх військових у Східній Європі" in shown
    assert [c.value for c in at.caption].count("Not translated yet") == 5
    assert {"**English**", "**Russian**", "**Ukrainian**"} <= {m.value for m in at.markdown}


def test_translator_edits_saves_and_finds_it_after_a_rerun(demo_db):
    tid = _translation_id("uk", UK_CNN)
    at = open_app("Olena Shevchuk", view="uk")
    box = at.text_area(key=f"text-{tid}")
    box.input("Про це повідомляє телеканал CNN.").run()
    paragraph_button(at, "Save", tid).click().run()

    assert not at.exception
    assert any(visible(s.value).startswith("Saved.") for s in at.success)
    assert _stored_text(tid) == "Про це повідомляє телеканал CNN."

    again = open_app("Olena Shevchuk", view="uk")
    assert again.text_area(key=f"text-{tid}").value == "Про це повідомляє телеканал CNN."


def test_filling_an_empty_paragraph_changes_its_state_to_translated(demo_db):
    at = open_app("Olena Shevchuk", view="uk")
    empty_before = badges(at).count(":gray-badge[Empty]")
    box = next(b for b in paragraph_boxes(at) if b.value == "")
    tid = box.key.removeprefix("text-")
    box.input("Кірбі наголосив, що це не означає рішення Путіна про вторгнення.").run()
    paragraph_button(at, "Save", tid).click().run()
    # Drawn again: the paragraph (now translated) and the version's head, nothing else.
    assert ":blue-badge[Translated]" in badges(at)
    assert [b.key for b in paragraph_boxes(at)] == [f"text-{tid}"]
    at.run()  # the whole page, as the browser shows it
    assert badges(at).count(":gray-badge[Empty]") == empty_before - 1


def test_translator_finds_no_way_to_approve(demo_db):
    # Olena's Ukrainian version is in translation: she can save and mark, but never approve.
    at = open_app("Olena Shevchuk", view="uk")
    labels = button_labels(at)
    assert "Save" in labels and "Mark translated" in labels
    assert not any("Approve" in label for label in labels), labels
    # In review, the Russian version belongs to the editors: the translator cannot type in it.
    at = open_app("Dmitri Volkov", view="ru")
    assert all(box.disabled for box in paragraph_boxes(at))


def test_editor_approves_a_paragraph(demo_db):
    tid = _translation_id("uk", UK_CNN)
    at = open_app("Irina Sokolova", view="uk")
    approved_before = badges(at).count(":green-badge[Approved]")
    paragraph_button(at, "Approve", tid).click().run()
    assert any(visible(s.value).startswith("Approved.") for s in at.success)
    assert ":green-badge[Approved]" in badges(at)
    at.run()  # the whole page, as the browser shows it
    assert badges(at).count(":green-badge[Approved]") == approved_before + 1


def test_submit_waits_on_an_unfinished_version_and_says_why(demo_db):
    at = open_app("Olena Shevchuk", view="uk")
    submit = at.button(key="version-submit-uk")
    assert submit.disabled  # offered, not clickable, with the reason the domain would give
    assert "not translated yet" in submit.help and "5 empty" in submit.help


def _correct_the_stale_figure(at) -> str:
    """The editor brings the demo's stale Russian paragraph in step (2500 becomes 2000)."""
    # Its figure disagrees with the English, so "Still valid" is not offered: the box says 2500.
    tid = next(b.key for b in paragraph_boxes(at) if "2500" in b.value).removeprefix("text-")
    at.text_area(key=f"text-{tid}").input(
        at.text_area(key=f"text-{tid}").value.replace("2500", "2000")
    ).run()
    paragraph_button(at, "Save", tid).click().run()
    return tid


def test_editor_resolves_the_corrected_figure_then_approves_the_russian_version(demo_db):
    at = open_app("Irina Sokolova", view="ru")
    # The demo's English was corrected after translation (2,500 became 2,000): refused first.
    at.button(key="version-approve version-ru").click().run()
    assert any("changed in English after translation" in e.value for e in at.error)

    _correct_the_stale_figure(at)
    at.button(key="version-approve version-ru").click().run()
    assert not at.error
    assert ":green-badge[Approved]" in badges(at)
    assert "Publish" in button_labels(at)


def test_approve_version_refuses_a_paragraph_changed_after_the_page_was_drawn(demo_db):
    from tests.conftest import stand_in_for
    from workflow.people import add_person
    from workflow.states import Role, TranslationState
    from workflow.translations import save_translation

    at = open_app("Irina Sokolova", view="ru")
    tid = _correct_the_stale_figure(at)
    # Another editor replaces a paragraph's text while Irina's page shows the old one.
    engine = open_database()
    with Session(engine) as session:
        other = add_person(session, name="Boris", role=Role.EDITOR, languages=["ru"])
        theirs = session.exec(
            select(Translation).where(
                Translation.lang == "ru",
                Translation.state == TranslationState.TRANSLATED,
                Translation.id != int(tid),
            )
        ).first()
        assert theirs is not None
        changed_id, unread = theirs.id, stand_in_for(session, theirs, "Текст Бориса")
        save_translation(
            session, translation_id=theirs.id, text=unread,
            person=other, base_lock_version=theirs.lock_version,
        )  # fmt: skip
    engine.dispose()

    at.button(key="version-approve version-ru").click().run()

    assert not at.exception
    (refusal,) = [e.value for e in at.error if "Changed since you opened" in e.value]
    assert "Boris saved this paragraph" in refusal and "Nothing was approved" in refusal
    assert "Publish" not in button_labels(at)
    engine = open_database()
    with Session(engine) as session:
        unseen = session.get(Translation, changed_id)
        assert unseen is not None and unseen.state is TranslationState.TRANSLATED
    engine.dispose()
    # The page now shows Boris's text: approving again approves what Irina has read.
    assert at.text_area(key=f"text-{changed_id}").value == unread
    at.button(key="version-approve version-ru").click().run()
    assert "Publish" in button_labels(at)


def test_translator_sees_why_a_paragraph_came_back(demo_db):
    at = open_app("Olena Shevchuk", view="uk")
    (comment,) = comments(at)
    assert comment.startswith(":orange[**Irina Sokolova**]")
    assert "The quote is missing" in comment


def test_approving_saves_the_editors_unsaved_text_first(demo_db):
    tid = _translation_id("uk", UK_CNN)
    at = open_app("Irina Sokolova", view="uk")
    at.text_area(key=f"text-{tid}").input("Як повідомляє CNN.").run()
    paragraph_button(at, "Approve", tid).click().run()
    assert _stored_text(tid) == "Як повідомляє CNN."
    # Irina's own text now: approving it waits for another editor, and says so.
    assert any(visible(s.value).startswith("Saved.") for s in at.success)
    assert any("another editor must approve it" in visible(e.value) for e in at.error)


def test_the_view_and_story_are_kept_across_pages(demo_db):
    at = open_app("Irina Sokolova", view="uk")
    at.switch_page("workflow/ui/stories.py").run()
    at.switch_page("workflow/ui/desk.py").run()
    assert at.radio(key="desk_view").value == "uk"


def test_unsaved_typing_survives_switching_views(demo_db):
    tid = _translation_id("uk", UK_CNN)
    at = open_app("Olena Shevchuk", view="uk")
    at.text_area(key=f"text-{tid}").input("Ще не збережено.").run()
    at.radio(key="desk_view").set_value("read").run()
    at.radio(key="desk_view").set_value("uk").run()
    assert at.text_area(key=f"text-{tid}").value == "Ще не збережено."


def test_manager_sees_everything_and_can_change_nothing(demo_db):
    at = open_app("Tom Reyes", view="uk")
    assert paragraph_boxes(at) and all(box.disabled for box in paragraph_boxes(at))
    assert button_labels(at) == []


OLENAS = "Про це повідомила CNN."


def _olena_saves_after(irinas_act):
    """Olena types her text in a paragraph; Irina edits it anyway and acts on it
    (`irinas_act`, given her desk and the paragraph's id); then Olena saves. Returns the id
    and Olena's desk."""
    tid = _translation_id("uk", UK_CNN)
    olena = open_app("Olena Shevchuk", view="uk")
    irina = open_app("Irina Sokolova", view="uk")
    olena.text_area(key=f"text-{tid}").input(OLENAS).run()
    irina.run()  # her next beat: Olena is editing the paragraph, and Irina is asked first
    next(b for b in irina.button if b.label == "Edit anyway").click().run()
    irinas_act(irina, tid)
    paragraph_button(olena, "Save", tid).click().run()
    return tid, olena


def _save(at, tid: int, text: str) -> None:
    at.text_area(key=f"text-{tid}").input(text).run()
    paragraph_button(at, "Save", tid).click().run()


def test_two_people_saving_the_same_paragraph_lose_nothing(demo_db):
    tid, olena = _olena_saves_after(lambda irina, tid: _save(irina, tid, "Як повідомляє CNN."))

    assert "saved this paragraph while you were editing" in olena.warning[0].value
    assert any(c.value.startswith("Irina Sokolova saved this paragraph at ") for c in olena.caption)
    assert "Як повідомляє CNN." in texts(olena)
    assert olena.text_area(key=f"text-{tid}").value == OLENAS
    assert _stored_text(tid) == "Як повідомляє CNN."

    olena.button(key=f"keep-{tid}").click().run()
    paragraph_button(olena, "Save", tid).click().run()
    assert _stored_text(tid) == OLENAS


def test_the_conflict_box_says_an_editor_approved_rather_than_saved(demo_db):
    tid, olena = _olena_saves_after(
        lambda irina, tid: paragraph_button(irina, "Approve", tid).click().run()
    )

    assert "Irina Sokolova approved this paragraph while you were editing it" in (
        olena.warning[0].value
    )
    captions = [c.value for c in olena.caption]
    assert any(c.startswith("Irina Sokolova approved this paragraph at ") for c in captions)
    assert not any("saved this paragraph" in c or c.startswith("Saved by") for c in captions)
    assert olena.text_area(key=f"text-{tid}").value == OLENAS
    assert _stored_text(tid) == UK_CNN


def test_a_locked_database_is_a_message_not_a_traceback(demo_db, monkeypatch, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's file lock is what this test holds")
    import sqlite3

    import workflow.database

    monkeypatch.setattr(workflow.database, "SQLITE_BUSY_TIMEOUT_MS", 200)
    tid = _translation_id("uk", UK_CNN)
    at = open_app("Olena Shevchuk", view="uk")
    at.text_area(key=f"text-{tid}").input("Про це повідомила CNN.").run()
    locker = sqlite3.connect(demo_db.removeprefix("sqlite:///"), isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        paragraph_button(at, "Save", tid).click().run()
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert not at.exception
    assert any("busy" in e.value for e in at.error)
    assert at.text_area(key=f"text-{tid}").value == "Про це повідомила CNN."  # still in the box
    paragraph_button(at, "Save", tid).click().run()
    assert _stored_text(tid) == "Про це повідомила CNN."
