"""Assignments and "my work": who holds each version, by when, and what each person sees."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from tests.conftest import force_state, translations
from workflow.assignments import assign, assignment, came_back, my_work, open_to_take
from workflow.comments import answer, threads
from workflow.errors import InputError, PermissionDenied
from workflow.models import SourceParagraph
from workflow.progress import version_totals
from workflow.settings import allow_self_review
from workflow.states import TranslationState as T
from workflow.states import VersionState as V
from workflow.stories import import_story
from workflow.translations import save_translation, send_back
from workflow.versions import (
    approve_version,
    get_version,
    latest_request,
    request_changes,
    submit_version,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _assign(session, people, story, lang="ru", *, translator="translator", due=None, by="editor"):
    return assign(
        session, story_id=story.id, lang=lang, person=people[by],
        translator_id=people[translator].id if translator else None,
        reviewer_id=people["editor"].id, due_at=due,
    )  # fmt: skip


def test_an_editor_assigns_translator_reviewer_and_due_time(session, people, story):
    due = NOW + timedelta(hours=3)
    _assign(session, people, story, due=due)
    held = assignment(session, story.id, "ru")
    assert (held.translator, held.reviewer, held.due_at) == ("Tanya", "Eva", due)


def test_a_due_time_without_a_zone_is_taken_as_utc(session, people, story):
    _assign(session, people, story, due=datetime(2026, 11, 27, 15, 0))
    assert assignment(session, story.id, "ru").due_at == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def test_assigning_someone_outside_the_language_is_refused(session, people, story):
    with pytest.raises(
        InputError, match="Taras is a translator in Ukrainian: they cannot translate"
    ):
        _assign(session, people, story, translator="translator_uk")
    with pytest.raises(InputError, match="Max is a manager"):
        _assign(session, people, story, translator="manager")
    assert assignment(session, story.id, "ru").translator is None


def test_the_reviewer_may_not_be_the_translator_unless_self_review_is_allowed(
    session, people, story
):
    with pytest.raises(InputError, match="cannot review their own translation"):
        _assign(session, people, story, translator="editor")
    allow_self_review(session, allowed=True, person=people["admin"])
    _assign(session, people, story, translator="editor")
    assert assignment(session, story.id, "ru").translator == "Eva"


@pytest.mark.parametrize("role", ["translator", "manager"])
def test_only_editors_and_admins_assign(session, people, story, role):
    with pytest.raises(PermissionDenied):
        _assign(session, people, story, by=role)


def test_my_work_lists_assigned_versions_soonest_due_first(session, people, story):
    second = import_story(session, story_file_variant(), person=people["editor"])
    _assign(session, people, story, due=NOW + timedelta(hours=5))
    _assign(session, people, second, due=NOW - timedelta(hours=1))
    work = my_work(session, people["translator"], now=NOW)
    assert [(w.story_id, w.task, w.overdue) for w in work] == [
        (second.id, "translate", True),
        (story.id, "translate", False),
    ]
    assert work[0].unfinished == work[0].paragraphs == 13
    # Taras translates Ukrainian: none of this is his.
    assert my_work(session, people["translator_uk"], now=NOW) == []


def test_a_submitted_version_moves_to_the_reviewers_list(session, people, story):
    _assign(session, people, story, due=NOW + timedelta(hours=2))
    for t in translations(session, story.id, "ru"):
        force_state(session, t, T.TRANSLATED)
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    (review,) = my_work(session, people["editor"], now=NOW)
    assert (review.task, review.state) == ("review", V.IN_REVIEW)
    (mine,) = my_work(session, people["translator"], now=NOW)
    assert mine.task == "in review"  # shown, with nothing to do until it comes back


def test_what_came_back_and_what_went_stale_is_on_the_translators_list(session, people, story):
    from workflow.sources import update_source

    _assign(session, people, story)
    ru = translations(session, story.id, "ru")
    for t in ru:
        save_translation(
            session, translation_id=t.id, text=f"Абзац {t.id}.", person=people["translator"],
            base_lock_version=t.lock_version,
        )  # fmt: skip
    send_back(session, translation_id=ru[2].id, person=people["editor"], comment="Name the agency.")
    english = story_paragraphs(session, story.id)
    english[1] = english[1].replace("3,000", "3,500")
    update_source(session, story_id=story.id, paragraphs=english, person=people["editor"])

    (item,) = my_work(session, people["translator"], now=NOW)
    assert (item.sent_back, item.stale) == (1, 1)
    (back,) = came_back(session, people["translator"])
    assert (back.position, back.thread.comment.text, back.thread.comment.author) == (
        2, "Name the agency.", "Eva",
    )  # fmt: skip


def test_a_manager_sees_what_is_late_and_the_totals(session, people, story):
    _assign(session, people, story, due=NOW - timedelta(minutes=5))
    (late,) = my_work(session, people["manager"], now=NOW)
    assert (late.lang, late.task, late.overdue) == ("ru", "late", True)
    totals = version_totals(session)
    assert totals["ru"] == {V.IN_TRANSLATION: 1} and totals["uk"] == {V.IN_TRANSLATION: 1}


def test_an_approved_version_with_a_stale_paragraph_counts_as_outdated(session, people, story):
    from workflow.sources import update_source

    for t in translations(session, story.id, "ru"):
        force_state(session, t, T.APPROVED)
        t.source_fingerprint = session.get(SourceParagraph, t.paragraph_id).fingerprint
        session.add(t)
    version = get_version(session, story.id, "ru")
    version.state = V.APPROVED
    session.add(version)
    session.commit()
    assert version_totals(session)["ru"] == {V.APPROVED: 1}
    english = story_paragraphs(session, story.id)
    english[1] = english[1].replace("3,000", "3,500")
    update_source(session, story_id=story.id, paragraphs=english, person=people["editor"])
    assert version_totals(session)["ru"] == {V.APPROVED: 0, V.OUTDATED: 1}


def test_unheld_versions_in_ones_languages_are_open_to_take(session, people, story):
    assert [(w.lang, w.task) for w in open_to_take(session, people["translator"])] == [
        ("ru", "translate")
    ]
    _assign(session, people, story)
    assert open_to_take(session, people["translator"]) == []
    assert open_to_take(session, people["manager"]) == []


def test_a_translator_answers_a_send_back_where_it_was_made(session, people, story):
    ru = translations(session, story.id, "ru")
    force_state(session, ru[0], T.TRANSLATED)
    send_back(session, translation_id=ru[0].id, person=people["editor"], comment="A verb?")
    (thread,) = threads(session, story.id, "ru")
    answer(session, comment_id=thread.comment.id, person=people["translator"], text="Added one.")
    answer(session, comment_id=thread.comment.id, person=people["editor"], text="Thanks.")
    (thread,) = threads(session, story.id, "ru")
    assert thread.translation_id == ru[0].id
    assert [(r.author, r.text) for r in (thread.comment, *thread.answers)] == [
        ("Eva", "A verb?"), ("Tanya", "Added one."), ("Eva", "Thanks."),
    ]  # fmt: skip
    with pytest.raises(PermissionDenied):
        answer(session, comment_id=thread.comment.id, person=people["manager"], text="Hm.")
    with pytest.raises(InputError, match="empty comment"):
        answer(session, comment_id=thread.comment.id, person=people["translator"], text="  ")
    assert len(threads(session, story.id, "ru")[0].answers) == 2


def test_a_request_for_changes_is_a_thread_on_the_version(session, people, story):
    for t in translations(session, story.id, "ru"):
        force_state(session, t, T.TRANSLATED)
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    request_changes(
        session, story_id=story.id, lang="ru", person=people["editor"], comment="Tone it down."
    )
    request = latest_request(session, story.id, "ru")
    assert request is not None and request.comment.text == "Tone it down."
    assert request.translation_id is None
    answer(session, comment_id=request.comment.id, person=people["translator"], text="Done.")
    assert [a.text for a in latest_request(session, story.id, "ru").answers] == ["Done."]
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    # The editor reads the answer while reviewing again; approving closes the thread.
    assert [a.text for a in latest_request(session, story.id, "ru").answers] == ["Done."]
    approve_version(session, story_id=story.id, lang="ru", person=people["editor"])
    assert latest_request(session, story.id, "ru") is None


def test_an_overlong_comment_is_refused_before_anything_changes(session, people, story):
    ru = translations(session, story.id, "ru")
    force_state(session, ru[0], T.TRANSLATED)
    with pytest.raises(InputError, match="at most 5,000 characters"):
        send_back(session, translation_id=ru[0].id, person=people["editor"], comment="x" * 6000)
    assert translations(session, story.id, "ru")[0].state is T.TRANSLATED
    assert threads(session, story.id) == []


def story_file_variant():
    from dataclasses import replace

    from tests.conftest import SEED_BYTES
    from workflow.formats import read_story_file

    parsed = read_story_file(SEED_BYTES)
    return replace(parsed, headline="A second story")


def story_paragraphs(session, story_id):
    return list(
        session.exec(
            select(SourceParagraph.text)
            .where(SourceParagraph.story_id == story_id, col(SourceParagraph.removed).is_(False))
            .order_by(SourceParagraph.position)
        )
    )


def test_an_approval_closes_a_paragraphs_thread_for_good(session, people, story):
    from workflow.comments import paragraph_threads
    from workflow.translations import approve_translation

    ru = translations(session, story.id, "ru")
    force_state(session, ru[2], T.TRANSLATED)
    send_back(session, translation_id=ru[2].id, person=people["editor"], comment="Wrong verb.")
    assert set(paragraph_threads(session, story.id)) == {ru[2].id}
    t = translations(session, story.id, "ru")[2]
    save_translation(
        session, translation_id=t.id, text="Об этом сообщила CNN.",
        person=people["translator"], base_lock_version=t.lock_version,
    )  # fmt: skip
    approve_translation(session, translation_id=t.id, person=people["editor"])
    t = translations(session, story.id, "ru")[2]
    save_translation(
        session, translation_id=t.id, text="Об этом сообщил телеканал CNN.",
        person=people["translator"], base_lock_version=t.lock_version,
    )  # fmt: skip
    assert paragraph_threads(session, story.id) == {}  # the old talk does not come back


def test_what_came_back_reaches_whoever_translated_it_in_an_unassigned_version(
    session, people, story
):
    t = translations(session, story.id, "ru")[3]
    save_translation(
        session, translation_id=t.id, text="По данным агентства, это поддержка союзников.",
        person=people["translator"], base_lock_version=t.lock_version,
    )  # fmt: skip
    send_back(session, translation_id=t.id, person=people["editor"], comment="Name NATO.")
    (back,) = came_back(session, people["translator"])
    assert (back.position, back.thread.comment.text) == (3, "Name NATO.")


def test_a_request_for_changes_is_on_the_translators_list(session, people, story):
    _assign(session, people, story)
    for t in translations(session, story.id, "ru"):
        force_state(session, t, T.TRANSLATED)
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    request_changes(
        session, story_id=story.id, lang="ru", person=people["editor"], comment="Tone it down."
    )
    (back,) = came_back(session, people["translator"])
    assert (back.position, back.thread.comment.text) == (None, "Tone it down.")


def test_a_translator_waiting_on_the_reviewer_is_not_late(session, people, story):
    _assign(session, people, story, due=NOW - timedelta(hours=1))
    for t in translations(session, story.id, "ru"):
        force_state(session, t, T.TRANSLATED)
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    (mine,) = my_work(session, people["translator"], now=NOW)
    (review,) = my_work(session, people["editor"], now=NOW)
    assert (mine.overdue, review.overdue) == (False, True)


def test_unheld_work_is_taken_once(session, people, story):
    from workflow.assignments import take

    take(session, story_id=story.id, lang="ru", person=people["translator"])
    assert assignment(session, story.id, "ru").translator == "Tanya"
    with pytest.raises(InputError, match="Someone took this version"):
        take(session, story_id=story.id, lang="ru", person=people["editor"])
    with pytest.raises(PermissionDenied):
        take(session, story_id=story.id, lang="uk", person=people["translator"])
    with pytest.raises(PermissionDenied):
        take(session, story_id=story.id, lang="ru", person=people["manager"])
