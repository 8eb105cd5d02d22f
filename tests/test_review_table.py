"""Every (action, state, role): the domain allows exactly what the review rules say.

The expectations are written out here by hand, independently of `workflow.states`, so a change
to the transition table that breaks the newsroom's rules fails this test.
"""

import pytest

from tests.conftest import force_state, stand_in_for, translations
from workflow.assignments import assign
from workflow.comments import threads
from workflow.drafts import set_embargo
from workflow.errors import InvalidTransition, PermissionDenied
from workflow.models import LanguageVersion, PersonLanguage
from workflow.settings import allow_self_review
from workflow.states import TranslationState as T
from workflow.states import VersionState as V
from workflow.stories import import_story
from workflow.translations import (
    approve_translation,
    confirm_translation,
    mark_translated,
    save_translation,
    send_back,
)
from workflow.versions import (
    approve_version,
    get_version,
    publish_version,
    request_changes,
    submit_version,
)

ROLES = ["translator", "editor", "manager", "admin"]
STORED = [s for s in V if s is not V.OUTDATED]  # outdated is derived, never stored
WRITERS = {"translator", "editor", "admin"}
REVIEWERS = {"editor", "admin"}

PARAGRAPH_RULES = {
    # action: (states it applies to, roles that may, resulting state)
    "save": (set(T), WRITERS, T.TRANSLATED),
    "mark translated": ({T.MACHINE_DRAFT, T.NEEDS_EDITING}, WRITERS, T.TRANSLATED),
    "approve": ({T.TRANSLATED}, REVIEWERS, T.APPROVED),
    "send back": ({T.TRANSLATED, T.APPROVED}, REVIEWERS, T.NEEDS_EDITING),
}

VERSION_RULES = {
    "submit": ({V.IN_TRANSLATION}, WRITERS, V.IN_REVIEW),
    "approve version": ({V.IN_REVIEW}, REVIEWERS, V.APPROVED),
    "request changes": ({V.IN_REVIEW, V.APPROVED}, REVIEWERS, V.IN_TRANSLATION),
    "publish": ({V.APPROVED}, REVIEWERS, V.PUBLISHED),
}


def _paragraph_call(action, session, translation, person):
    calls = {
        "save": lambda: save_translation(
            session,
            translation_id=translation.id,
            text=f"Новый текст {translation.state}",
            person=person,
            base_lock_version=translation.lock_version,
        ),
        "mark translated": lambda: mark_translated(
            session, translation_id=translation.id, person=person
        ),
        "approve": lambda: approve_translation(
            session, translation_id=translation.id, person=person
        ),
        "send back": lambda: send_back(
            session, translation_id=translation.id, person=person, comment="Check the figure."
        ),
    }
    return calls[action]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(T), ids=lambda s: s.slug)
@pytest.mark.parametrize("action", list(PARAGRAPH_RULES))
def test_paragraph_action_by_role_and_state(session, people, story, action, state, role):
    translation = translations(session, story.id, "ru")[3]
    force_state(session, translation, state)
    states, roles, target = PARAGRAPH_RULES[action]
    before = (translation.state, translation.text)

    if role not in roles:
        with pytest.raises(PermissionDenied):
            _paragraph_call(action, session, translation, people[role])
    elif state not in states:
        with pytest.raises(InvalidTransition):
            _paragraph_call(action, session, translation, people[role])
    else:
        result = _paragraph_call(action, session, translation, people[role])
        assert result.state is target
        return
    session.refresh(translation)
    assert (translation.state, translation.text) == before, "a refusal must change nothing"


def _version_call(action, session, story_id, person):
    calls = {
        "submit": submit_version,
        "approve version": approve_version,
        "request changes": lambda s, **kw: request_changes(s, comment="Redo paragraph 3.", **kw),
        "publish": publish_version,
    }
    return calls[action](session, story_id=story_id, lang="ru", person=person)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STORED, ids=lambda s: s.slug)
@pytest.mark.parametrize("action", list(VERSION_RULES))
def test_version_action_by_role_and_state(session, people, story, action, state, role):
    # Every paragraph approved, so only the role and the version's state decide.
    for translation in translations(session, story.id, "ru"):
        force_state(session, translation, T.APPROVED)
    version: LanguageVersion = get_version(session, story.id, "ru")
    version.state = state
    session.add(version)
    session.commit()
    states, roles, target = VERSION_RULES[action]

    if role not in roles:
        with pytest.raises(PermissionDenied):
            _version_call(action, session, story.id, people[role])
    elif state not in states:
        with pytest.raises(InvalidTransition):
            _version_call(action, session, story.id, people[role])
    else:
        assert _version_call(action, session, story.id, people[role]).state is target
        return
    assert get_version(session, story.id, "ru").state is state


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("version_state", STORED, ids=lambda s: s.slug)
def test_who_may_edit_text_in_each_version_state(session, people, story, version_state, role):
    version = get_version(session, story.id, "ru")
    version.state = version_state
    session.add(version)
    session.commit()
    translation = translations(session, story.id, "ru")[0]
    may_edit = role in REVIEWERS or (role == "translator" and version_state is V.IN_TRANSLATION)
    call = lambda: _paragraph_call("save", session, translation, people[role])  # noqa: E731
    if may_edit:
        assert call().text.startswith("Новый текст")
    else:
        with pytest.raises(PermissionDenied):
            call()


STORY_RULES = {
    # action: roles that may; every other role is refused and nothing changes
    "import story": REVIEWERS,
    "edit the English": REVIEWERS,
    "set the embargo": REVIEWERS,
    "configure the desk": {"admin"},
    "assign": REVIEWERS,
    "answer a comment": WRITERS,
}


def _story_call(action, session, story, people, person):
    from tests.conftest import SEED_BYTES
    from workflow.comments import answer
    from workflow.formats import read_story_file
    from workflow.sources import update_source

    def english():
        paragraphs = [p.text for p in _source(session, story.id)]
        paragraphs[1] = paragraphs[1].replace("3,000", "3,500")
        return update_source(session, story_id=story.id, paragraphs=paragraphs, person=person)

    def comment():
        (thread,) = threads(session, story.id, "ru")  # the test's send-back started it
        return answer(session, comment_id=thread.comment.id, person=person, text="Fixed.")

    def assignment():
        return assign(
            session, story_id=story.id, lang="ru", person=person,
            translator_id=people["translator"].id, reviewer_id=people["editor"].id, due_at=None,
        )  # fmt: skip

    calls = {
        "import story": lambda: import_story(session, read_story_file(SEED_BYTES), person=person),
        "edit the English": english,
        "set the embargo": lambda: set_embargo(
            session, story_id=story.id, embargoed=True, person=person
        ),
        "configure the desk": lambda: allow_self_review(session, allowed=True, person=person),
        "assign": assignment,
        "answer a comment": comment,
    }
    return calls[action]()


def _source(session, story_id):
    from sqlmodel import select

    from workflow.models import SourceParagraph

    return session.exec(
        select(SourceParagraph)
        .where(SourceParagraph.story_id == story_id)
        .order_by(SourceParagraph.position)
    ).all()


def _snapshot(session, story_id):
    """Everything a refused action must leave as it was."""
    from sqlmodel import func, select

    from workflow.models import Change, Comment, Setting, Story

    def count(model):
        return session.exec(select(func.count()).select_from(model)).one()

    version = get_version(session, story_id, "ru")
    return (
        count(Story), count(Change), count(Comment), count(Setting),
        [p.text for p in _source(session, story_id)],
        session.get(Story, story_id).embargoed, version.translator_id, version.reviewer_id,
    )  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(STORY_RULES))
def test_story_and_desk_actions_by_role(session, people, story, action, role):
    first = translations(session, story.id, "ru")[0]
    force_state(session, first, T.TRANSLATED)
    send_back(session, translation_id=first.id, person=people["editor"], comment="A verb?")
    before = _snapshot(session, story.id)
    if role in STORY_RULES[action]:
        _story_call(action, session, story, people, people[role])
        assert _snapshot(session, story.id) != before
    else:
        with pytest.raises(PermissionDenied):
            _story_call(action, session, story, people, people[role])
        session.rollback()
        assert _snapshot(session, story.id) == before, "a refusal must change nothing"


@pytest.mark.parametrize(
    "action", [*PARAGRAPH_RULES, "submit", "assign", "answer a comment", "confirm"]
)
def test_a_ukrainian_translator_cannot_touch_russian(session, people, story, action):
    """Taras works in Ukrainian only: every action on the Russian version is refused."""
    taras = people["translator_uk"]
    ru = translations(session, story.id, "ru")
    force_state(session, ru[0], T.TRANSLATED)
    send_back(session, translation_id=ru[0].id, person=people["editor"], comment="A verb?")
    force_state(session, ru[1], T.MACHINE_DRAFT)
    before = _snapshot(session, story.id)
    reviewers_only = action in ("approve", "send back")
    reason = "only admins or editors" if reviewers_only else "does not work in Russian"
    with pytest.raises(PermissionDenied, match=reason):
        if action in PARAGRAPH_RULES:
            _paragraph_call(action, session, ru[1], taras)
        elif action == "submit":
            submit_version(session, story_id=story.id, lang="ru", person=taras)
        elif action == "confirm":
            confirm_translation(session, translation_id=ru[1].id, person=taras)
        elif action == "assign":
            # Taras is no editor either; an editor without Russian is refused for the language.
            people["editor"].language_rows = [PersonLanguage(lang="uk")]
            _story_call(action, session, story, people, people["editor"])
        else:
            _story_call(action, session, story, people, taras)
    session.rollback()
    assert _snapshot(session, story.id) == before


def translate_all(session, story, person) -> None:
    """Every Russian paragraph translated by `person` (a stand-in keeping the figures)."""
    for t in translations(session, story.id, "ru"):
        save_translation(
            session, translation_id=t.id, text=stand_in_for(session, t), person=person,
            base_lock_version=t.lock_version,
        )  # fmt: skip


def test_nobody_approves_their_own_translation_unless_self_review_is_allowed(
    session, people, story
):
    eva = people["editor"]  # an editor who translated this paragraph herself
    paragraph = translations(session, story.id, "ru")[2]
    save_translation(
        session, translation_id=paragraph.id, text="Об этом сообщает CNN.", person=eva,
        base_lock_version=paragraph.lock_version,
    )  # fmt: skip
    with pytest.raises(PermissionDenied, match="Eva translated this paragraph"):
        approve_translation(session, translation_id=paragraph.id, person=eva)
    assert translations(session, story.id, "ru")[2].state is T.TRANSLATED

    with pytest.raises(PermissionDenied):
        allow_self_review(session, allowed=True, person=eva)  # only an administrator may
    allow_self_review(session, allowed=True, person=people["admin"])
    assert approve_translation(session, translation_id=paragraph.id, person=eva).state is (
        T.APPROVED
    )


def test_an_editors_fix_during_review_does_not_make_the_translation_hers(session, people, story):
    translate_all(session, story, people["translator"])
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    fixed = translations(session, story.id, "ru")[1]
    save_translation(
        session, translation_id=fixed.id, text=stand_in_for(session, fixed) + " Уточнено.",
        person=people["editor"], base_lock_version=fixed.lock_version,
    )  # fmt: skip
    approved = approve_version(session, story_id=story.id, lang="ru", person=people["editor"])
    assert approved.state is V.APPROVED


def test_a_translator_turned_editor_cannot_approve_the_version_she_translated(
    session, people, story
):
    tanya = people["translator"]
    translate_all(session, story, tanya)
    submit_version(session, story_id=story.id, lang="ru", person=tanya)
    tanya.role = "editor"
    with pytest.raises(PermissionDenied, match="Tanya translated 13 of these paragraphs"):
        approve_version(session, story_id=story.id, lang="ru", person=tanya)
    assert get_version(session, story.id, "ru").state is V.IN_REVIEW


def test_an_approval_records_who_when_and_the_english_it_approved(session, people, story):
    from sqlmodel import select

    from workflow.models import Change, SourceParagraph
    from workflow.versions import english_fingerprint

    ru = translations(session, story.id, "ru")
    translate_all(session, story, people["translator"])
    approve_translation(session, translation_id=ru[0].id, person=people["editor"])
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    approve_version(session, story_id=story.id, lang="ru", person=people["editor"])

    approvals = session.exec(
        select(Change).where(Change.action.in_(["approve", "approve version"]))
    ).all()
    assert {a.person_id for a in approvals} == {people["editor"].id}
    assert all(a.created_at is not None and a.source_fingerprint for a in approvals)
    headline = session.get(SourceParagraph, ru[0].paragraph_id)
    assert approvals[0].source_fingerprint == headline.fingerprint
    assert approvals[-1].action == "approve version"
    assert approvals[-1].source_fingerprint == english_fingerprint(session, story.id)


def test_an_editor_who_rewrites_a_paragraph_in_review_cannot_approve_it(session, people, story):
    translate_all(session, story, people["translator"])
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    rewritten = translations(session, story.id, "ru")[2]
    save_translation(
        session, translation_id=rewritten.id, text="Об этом сообщает телеканал CNN.",
        person=people["editor"], base_lock_version=rewritten.lock_version,
    )  # fmt: skip
    with pytest.raises(PermissionDenied, match="Eva translated 1 of these paragraphs"):
        approve_version(session, story_id=story.id, lang="ru", person=people["editor"])


def test_states_are_shown_and_written_in_the_words_people_use():
    assert [(s.value, s.label, s.slug) for s in T] == [
        (0, "Empty", "empty"),
        (10, "Machine draft", "machine_draft"),
        (15, "Needs editing", "needs_editing"),
        (20, "Translated", "translated"),
        (30, "Approved", "approved"),
    ]
    assert [(s.value, s.label) for s in V] == [
        (10, "In translation"),
        (20, "In review"),
        (30, "Approved"),
        (40, "Published"),
        (35, "Outdated"),
    ]
