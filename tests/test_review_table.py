"""Every (action, state, role): the domain allows exactly what the review rules say.

The expectations are written out here by hand, independently of `workflow.states`, so a change
to the transition table that breaks the newsroom's rules fails this test.
"""

import pytest

from tests.conftest import force_state, translations
from workflow.errors import InvalidTransition, PermissionDenied
from workflow.models import LanguageVersion
from workflow.states import TranslationState as T
from workflow.states import VersionState as V
from workflow.translations import approve_translation, mark_translated, save_translation, send_back
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
            base_version=translation.version,
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
