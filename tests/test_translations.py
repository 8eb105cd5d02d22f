"""Saving, approving and submitting: history is kept, conflicts refused, stale never approved."""

import pytest

from tests.conftest import force_state, stand_in_for, translations
from workflow.errors import (
    EditConflict,
    InputError,
    InvalidTransition,
    PermissionDenied,
    StaleTranslation,
    VersionNotReady,
)
from workflow.history import revisions, story_changes
from workflow.models import SourceParagraph
from workflow.progress import version_progress
from workflow.segmentation import fingerprint
from workflow.states import Action
from workflow.states import TranslationState as T
from workflow.states import VersionState as V
from workflow.translations import approve_translation, save_translation, send_back, store_draft
from workflow.versions import approve_version, get_version, request_changes, submit_version


def _save(session, translation, person, text, base=None):
    return save_translation(
        session,
        translation_id=translation.id,
        text=text,
        person=person,
        base_lock_version=translation.lock_version if base is None else base,
    )


def test_save_keeps_every_text_as_a_revision_with_author_and_english(session, people, story):
    t = translations(session, story.id, "ru")[2]
    _save(session, t, people["translator"], "Об этом сообщает CNN")
    _save(session, t, people["translator"], "Об этом сообщает CNN.")
    history = revisions(session, t.id)
    assert [r.text for r in history] == ["Об этом сообщает CNN.", "Об этом сообщает CNN"]
    assert {r.author_id for r in history} == {people["translator"].id}
    assert history[0].source_text == "This is reported by CNN."
    assert t.state is T.TRANSLATED and t.origin == "human"


def test_save_based_on_an_old_version_is_refused_and_overwrites_nothing(session, people, story):
    t = translations(session, story.id, "ru")[2]
    loaded_version = t.lock_version
    _save(session, t, people["editor"], "Как сообщает CNN.")
    with pytest.raises(EditConflict) as conflict:
        _save(session, t, people["translator"], "Об этом сообщает CNN.", base=loaded_version)
    assert conflict.value.current_text == "Как сообщает CNN."
    assert conflict.value.changed_by == "Eva"
    session.refresh(t)
    assert t.text == "Как сообщает CNN."
    # Keeping one's own text after seeing theirs: save again on the counter now current.
    _save(
        session,
        t,
        people["translator"],
        "Об этом сообщает CNN.",
        base=conflict.value.current_lock_version,
    )
    history = revisions(session, t.id)
    assert [(r.text, r.reason) for r in history] == [
        ("Об этом сообщает CNN.", "edit"),
        ("Как сообщает CNN.", "edit"),
        ("Об этом сообщает CNN.", "conflict"),  # the refused text was kept all along
    ]


def test_saving_the_same_text_changes_nothing(session, people, story):
    t = translations(session, story.id, "ru")[2]
    _save(session, t, people["translator"], "Об этом сообщает CNN.")
    version = t.lock_version
    _save(session, t, people["translator"], "  Об этом   сообщает CNN. ")
    assert t.lock_version == version
    assert len(revisions(session, t.id)) == 1


def test_clearing_a_text_empties_the_paragraph_and_keeps_the_old_text(session, people, story):
    t = translations(session, story.id, "ru")[2]
    _save(session, t, people["translator"], "Об этом сообщает CNN.")
    _save(session, t, people["translator"], "   ")
    assert t.state is T.EMPTY
    assert [r.text for r in revisions(session, t.id)] == ["", "Об этом сообщает CNN."]


def test_editing_an_approved_paragraph_returns_it_to_translated(session, people, story):
    t = translations(session, story.id, "ru")[0]
    _save(session, t, people["translator"], "США одобрили переброску войск")
    approve_translation(session, translation_id=t.id, person=people["editor"])
    assert t.state is T.APPROVED
    _save(session, t, people["editor"], "США одобрили переброску войск в Европу")
    assert t.state is T.TRANSLATED


def test_editing_an_approved_version_reopens_it_for_review(session, people, story):
    for t in translations(session, story.id, "ru"):
        force_state(session, t, T.APPROVED)
    version = get_version(session, story.id, "ru")
    version.state = V.APPROVED
    session.add(version)
    session.commit()
    t = translations(session, story.id, "ru")[0]
    _save(session, t, people["editor"], "Исправленный заголовок")
    assert get_version(session, story.id, "ru").state is V.IN_REVIEW
    line = story_changes(session, story.id, lang="ru")[0][0]
    assert Action(line.action) is Action.REOPEN  # a system transition of the table
    assert (line.from_state, line.to_state) == (V.APPROVED, V.IN_REVIEW)


def _change_english(session, translation, new_text):
    paragraph = session.get(SourceParagraph, translation.paragraph_id)
    paragraph.text, paragraph.fingerprint = new_text, fingerprint(new_text)
    session.add(paragraph)
    session.commit()


def test_a_translation_whose_english_changed_cannot_be_approved(session, people, story):
    t = translations(session, story.id, "ru")[1]
    _save(session, t, people["translator"], "Байден одобрил отправку 3000 военных.")
    _change_english(session, t, t.source_text.replace("3,000", "3,500"))
    assert version_progress(session, story.id, "ru").stale == 1
    with pytest.raises(StaleTranslation):
        approve_translation(session, translation_id=t.id, person=people["editor"])
    session.refresh(t)
    assert t.state is T.TRANSLATED


def test_submit_is_refused_while_paragraphs_are_unfinished(session, people, story):
    with pytest.raises(VersionNotReady, match="13 paragraphs are not translated yet"):
        submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    assert get_version(session, story.id, "ru").state is V.IN_TRANSLATION


def test_approving_the_version_approves_every_translated_paragraph(session, people, story):
    for t in translations(session, story.id, "uk"):
        _save(session, t, people["translator_uk"], stand_in_for(session, t, "Переклад"))
    submit_version(session, story_id=story.id, lang="uk", person=people["translator_uk"])
    approve_version(session, story_id=story.id, lang="uk", person=people["editor"])
    progress = version_progress(session, story.id, "uk")
    assert progress.state is V.APPROVED
    assert progress.counts == {T.APPROVED: 13}


def test_approving_a_version_with_a_stale_paragraph_is_refused(session, people, story):
    uk = translations(session, story.id, "uk")
    for t in uk:
        _save(session, t, people["translator_uk"], stand_in_for(session, t, "Переклад"))
    submit_version(session, story_id=story.id, lang="uk", person=people["translator_uk"])
    _change_english(session, uk[4], "The Pentagon said 2,500 troops would deploy.")
    with pytest.raises(StaleTranslation, match="1 paragraph changed in English"):
        approve_version(session, story_id=story.id, lang="uk", person=people["editor"])
    assert version_progress(session, story.id, "uk").count(T.APPROVED) == 0


def test_request_changes_needs_a_comment_and_returns_the_version(session, people, story):
    for t in translations(session, story.id, "ru"):
        force_state(session, t, T.TRANSLATED)
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    with pytest.raises(InputError):
        request_changes(session, story_id=story.id, lang="ru", person=people["editor"], comment=" ")
    request_changes(
        session, story_id=story.id, lang="ru", person=people["editor"], comment="Fix the quote."
    )
    assert get_version(session, story.id, "ru").state is V.IN_TRANSLATION
    change, who = story_changes(session, story.id, lang="ru")[0]
    assert (change.action, change.comment, who) == ("request changes", "Fix the quote.", "Eva")


def test_approving_a_text_replaced_since_it_was_read_is_refused(session, people, story):
    t = translations(session, story.id, "ru")[0]
    _save(session, t, people["translator"], "Заголовок")
    seen = t.lock_version
    _save(session, t, people["translator"], "Другой заголовок")
    with pytest.raises(InvalidTransition, match="Tanya saved a new text"):
        approve_translation(
            session, translation_id=t.id, person=people["editor"], seen_lock_version=seen
        )
    assert t.state is T.TRANSLATED


def test_sending_back_in_review_returns_the_version_to_the_translator(session, people, story):
    for t in translations(session, story.id, "ru"):
        _save(session, t, people["translator"], f"Абзац {t.paragraph_id}")
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    t = translations(session, story.id, "ru")[4]
    send_back(session, translation_id=t.id, person=people["editor"], comment="Check the figure.")
    assert get_version(session, story.id, "ru").state is V.IN_TRANSLATION
    _save(session, t, people["translator"], "Исправленный абзац")  # the translator can answer


def test_a_translator_cannot_touch_another_language(session, people, story):
    ru = translations(session, story.id, "ru")[0]
    with pytest.raises(PermissionDenied, match="does not work in Russian"):
        _save(session, ru, people["translator_uk"], "Заголовок")
    assert revisions(session, ru.id) == []


def test_machine_draft_never_replaces_a_persons_text(session, people, story):
    t = translations(session, story.id, "uk")[0]
    _save(session, t, people["translator_uk"], "Людський переклад")
    with pytest.raises(InvalidTransition, match="cannot be given a machine draft"):
        store_draft(
            session,
            translation_id=t.id,
            text="Машинний",
            origin="machine:google",
            person=people["translator_uk"],
        )
    session.refresh(t)
    assert t.text == "Людський переклад"


def test_every_state_change_is_in_the_audit_log(session, people, story):
    t = translations(session, story.id, "ru")[0]
    _save(session, t, people["translator"], "Заголовок")
    approve_translation(session, translation_id=t.id, person=people["editor"])
    log = [(c.action, c.person_id) for c, _ in reversed(story_changes(session, story.id))]
    assert log == [
        ("import story", people["editor"].id),
        ("save", people["translator"].id),
        ("approve", people["editor"].id),
    ]
