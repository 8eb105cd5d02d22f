"""The one write path: a write is refused rather than applied over a change made since it was
read, undoes nothing the caller did not ask it to, and records the version moves it makes
as the actions they are."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, func, select

from tests.conftest import SEED_BYTES, stand_in_for, translations
from workflow import versions
from workflow.database import open_database
from workflow.errors import EditConflict, InvalidTransition, LockstepError, PermissionDenied
from workflow.formats import read_story_file
from workflow.history import revisions, story_changes
from workflow.models import Change, Setting
from workflow.people import add_person
from workflow.segmentation import normalise
from workflow.states import Action, Role, authorize
from workflow.states import TranslationState as T
from workflow.states import VersionState as V
from workflow.stories import import_story
from workflow.translations import mark_translated, save_translation, send_back
from workflow.versions import approve_version, get_version, submit_version


def _translate_and_submit(session, people, story) -> None:
    for t in translations(session, story.id, "ru"):
        save_translation(
            session, translation_id=t.id, text=stand_in_for(session, t),
            person=people["translator"], base_lock_version=t.lock_version,
        )  # fmt: skip
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])


def _lines(session, action: Action) -> int:
    return session.exec(
        select(func.count()).select_from(Change).where(Change.action == action)
    ).one()


def test_approve_version_refuses_when_a_paragraph_changed_after_it_was_read(
    session, people, story, monkeypatch
):
    _translate_and_submit(session, people, story)
    fixed = translations(session, story.id, "ru")[3]
    read_pending = versions.unedited_machine_text  # called after the paragraphs were read

    def colleague_fixes_a_paragraph_meanwhile(*args, **kwargs):
        with Session(session.get_bind()) as other:
            t = translations(other, story.id, "ru")[3]
            save_translation(
                other, translation_id=t.id, text="Правка коллеги.", person=people["admin"],
                base_lock_version=t.lock_version,
            )  # fmt: skip
        return read_pending(*args, **kwargs)

    monkeypatch.setattr(versions, "unedited_machine_text", colleague_fixes_a_paragraph_meanwhile)
    with pytest.raises(InvalidTransition, match="none was changed"):
        approve_version(session, story_id=story.id, lang="ru", person=people["editor"])

    session.expire_all()
    states = {t.state for t in translations(session, story.id, "ru")}
    assert states == {T.TRANSLATED}  # not one paragraph approved, not even the untouched ones
    assert get_version(session, story.id, "ru").state is V.IN_REVIEW
    assert session.get(type(fixed), fixed.id).text == "Правка коллеги."
    assert _lines(session, Action.APPROVE) == 0 and _lines(session, Action.APPROVE_VERSION) == 0


def test_approving_a_version_moves_every_paragraphs_counter_on(session, people, story):
    """A translator who opened a paragraph before the approval cannot undo it unseen."""
    _translate_and_submit(session, people, story)
    t = translations(session, story.id, "ru")[2]
    opened_at = t.lock_version
    approve_version(session, story_id=story.id, lang="ru", person=people["editor"])

    assert _lines(session, Action.APPROVE) == len(translations(session, story.id, "ru"))
    with pytest.raises(EditConflict, match="Eva approved this paragraph while you were editing"):
        save_translation(
            session, translation_id=t.id, text="Поздняя правка.", person=people["editor"],
            base_lock_version=opened_at,
        )  # fmt: skip
    assert revisions(session, t.id)[0].text == "Поздняя правка."  # kept all the same


def test_a_refused_save_keeps_what_the_caller_added_to_the_session(session, people, story):
    t = translations(session, story.id, "ru")[1]
    save_translation(
        session, translation_id=t.id, text="Первый текст.", person=people["translator"],
        base_lock_version=0,
    )  # fmt: skip
    session.add(Setting(name="unrelated", value="kept"))  # the caller's own, not yet flushed

    with pytest.raises(EditConflict):
        save_translation(
            session, translation_id=t.id, text="Текст по старой версии.",
            person=people["translator"], base_lock_version=0,
        )  # fmt: skip
    with pytest.raises(InvalidTransition):
        mark_translated(
            session, translation_id=t.id, person=people["translator"], seen_lock_version=0
        )
    session.commit()

    session.expire_all()
    assert session.get(Setting, "unrelated").value == "kept"
    assert session.get(type(t), t.id).text == "Первый текст."


def test_a_paragraph_sent_back_returns_the_version_to_translation_as_its_own_action(
    session, people, story
):
    _translate_and_submit(session, people, story)
    t = translations(session, story.id, "ru")[1]
    send_back(session, translation_id=t.id, person=people["editor"], comment="Проверьте даты.")

    lines = [c for c, _ in story_changes(session, story.id, lang="ru")][:2]
    assert [Action(c.action) for c in lines] == [Action.RETURN_TO_TRANSLATION, Action.SEND_BACK]
    assert get_version(session, story.id, "ru").state is V.IN_TRANSLATION


@pytest.mark.parametrize("action", [Action.REOPEN, Action.RETURN_TO_TRANSLATION])
def test_nobody_takes_a_system_transition_by_hand(people, action):
    with pytest.raises(PermissionDenied, match="the desk does it"):
        authorize(people["admin"], action, "ru")


def test_a_bulk_approval_leaves_one_audit_line_per_paragraph_and_one_for_the_version(
    session, people, story
):
    _translate_and_submit(session, people, story)
    before = session.exec(select(func.max(col(Change.id)))).one()
    approve_version(session, story_id=story.id, lang="ru", person=people["editor"])
    ids = session.exec(select(Change.id).where(col(Change.id) > before)).all()
    assert len(ids) == len(translations(session, story.id, "ru")) + 1  # and the version's


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(codec="utf-8"), max_size=200), late=st.booleans())
@example(text="\x00 ![x](http://example.com/a.png) :material/home:", late=True)
def test_any_text_a_person_types_is_saved_or_refused_in_words_and_never_lost(text, late):
    engine = open_database("sqlite://")
    with Session(engine) as session:
        person = add_person(session, name="Tanya", role=Role.TRANSLATOR, languages=["ru"])
        story = import_story(session, read_story_file(SEED_BYTES), person=None)
        t = translations(session, story.id, "ru")[1]
        save_translation(
            session, translation_id=t.id, text="Первый текст.", person=person, base_lock_version=0
        )
        try:
            saved = save_translation(
                session, translation_id=t.id, text=text, person=person,
                base_lock_version=0 if late else t.lock_version,
            )  # fmt: skip
        except LockstepError as refusal:
            assert str(refusal) and late
            kept = [(r.text, r.reason) for r in revisions(session, t.id)]
            assert (normalise(text), "conflict") in kept  # nothing typed is lost
        else:
            assert not late or normalise(text) == "Первый текст."
            assert saved.text == normalise(text)
    engine.dispose()


def test_a_write_that_reads_first_waits_for_a_colleagues_write_instead_of_failing(
    tmp_path, monkeypatch
):
    """SQLite: a write that reads what it replaces (a new token's name not taken yet), and a
    colleague's save committed between that read and its own write. Both land; before, the
    token was refused at once, "database is locked", as the README's CMS block met in CI."""
    import threading

    from workflow import integrations

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    engine, colleague = open_database(url), open_database(url)
    read_name = integrations._live

    def colleague_saves() -> None:
        with Session(colleague) as other:
            other.add(Setting(name="colleague", value="saved"))
            other.commit()

    saving = threading.Thread(target=colleague_saves)

    def read_while_a_colleague_saves(session, name):
        found = read_name(session, name)
        saving.start()
        saving.join(0.5)  # done, unless this write holds the write lock: then it waits for it
        return found

    monkeypatch.setattr(integrations, "_live", read_while_a_colleague_saves)
    with Session(engine) as session:
        assert integrations.create_token(session, "CMS", "write", person=None)
    monkeypatch.setattr(integrations, "_live", read_name)
    with Session(engine) as session:
        assert [t.name for t in integrations.list_tokens(session)] == ["CMS"]
        saving.join(15)  # the colleague's save lands once the token's write committed
        assert not saving.is_alive()
        assert session.get(Setting, "colleague") is not None
    engine.dispose()
    colleague.dispose()
