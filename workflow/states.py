"""The review lifecycle: states of translations and language versions, and who may move them.

A translation (one paragraph in one language) starts empty, may receive a machine draft, is
translated by a person and approved by an editor:

    empty -> machine draft -> translated -> approved
                   \\-> needs editing (sent back by an editor) -> translated

Editing an approved paragraph returns it to translated. A language version (all translations
of a story in one language) is in translation until submitted, then in review until an editor
approves it (or requests changes, which sends it back to translation), and finally published.
Two moves nobody takes by hand, the desk makes them (system transitions): work on a paragraph
of an approved or published version reopens it for review, and a paragraph sent back returns
its version to translation.

Stored values are spaced (0, 10, 20, ...) so a state can be added between two others later;
they never change once released. The tables below are the single source of truth for which
role may make which transition; `writes.apply` and `writes.move_version`, the one write path,
consult them through `authorize` before changing anything.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import ParamSpec, Protocol

from workflow import LANGUAGES
from workflow.errors import PermissionDenied


class Role(StrEnum):
    """What a person does at the desk."""

    TRANSLATOR = "translator"
    EDITOR = "editor"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def with_article(self) -> str:
        """ "an editor", "a translator": for sentences."""
        return ("an " if self.value[0] in "aeiou" else "a ") + self.value


class StoredState(IntEnum):
    """A state as the database stores it: a spaced number that never changes, and a name that
    says it in the words people see (NEEDS_EDITING is "Needs editing", slug "needs_editing")."""

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def slug(self) -> str:
        """The name used in JSON and on the command line."""
        return self.name.lower()


class TranslationState(StoredState):
    """The state of one paragraph's translation into one language."""

    EMPTY = 0
    MACHINE_DRAFT = 10
    NEEDS_EDITING = 15
    TRANSLATED = 20
    APPROVED = 30


class VersionState(StoredState):
    """The state of a story's whole version in one language: the unit an editor approves and a
    newsroom publishes."""

    IN_TRANSLATION = 10
    IN_REVIEW = 20
    APPROVED = 30
    PUBLISHED = 40
    # Never stored: an approved or published version whose English changed under it is shown
    # and treated as outdated until every stale paragraph is resolved (`effective_state`).
    OUTDATED = 35


def effective_state(stored: VersionState, stale: int) -> VersionState:
    """The state people see: approved or published with stale paragraphs is outdated."""
    if stored in (VersionState.APPROVED, VersionState.PUBLISHED) and stale:
        return VersionState.OUTDATED
    return stored


class Action(StrEnum):
    """Everything a person can do that changes a story; the words of the audit log."""

    IMPORT_STORY = "import story"
    SAVE = "save"
    DRAFT = "draft"
    MARK_TRANSLATED = "mark translated"
    APPROVE = "approve"
    SEND_BACK = "send back"
    SUBMIT = "submit"
    APPROVE_VERSION = "approve version"
    REQUEST_CHANGES = "request changes"
    PUBLISH = "publish"
    EDIT_SOURCE = "edit the English"
    EMBARGO = "set the embargo"
    CONFIGURE = "configure the desk"
    CONFIRM = "confirm still valid"
    COMMENT = "comment"
    ASSIGN = "assign"
    TAKE = "take unheld work"
    OVERRIDE = "override a flag"
    EDIT_GLOSSARY = "edit the glossary"
    IMPORT_MEMORY = "import a translation memory"
    # Moves the desk makes itself, as the consequence of a person's action (`SYSTEM_TRANSITIONS`).
    REOPEN = "reopen"
    RETURN_TO_TRANSLATION = "return to translation"


@dataclass(frozen=True)
class Transition:
    """From which states an action applies, where it leads, and which roles may take it."""

    sources: frozenset[int]
    target: int
    roles: frozenset[Role]


_ALL = frozenset(TranslationState)
_WRITERS = frozenset({Role.TRANSLATOR, Role.EDITOR, Role.ADMIN})
_REVIEWERS = frozenset({Role.EDITOR, Role.ADMIN})
T = TranslationState
V = VersionState

TRANSLATION_TRANSITIONS: dict[Action, Transition] = {
    # Saving an empty text empties the paragraph; `translations.save_translation` decides.
    Action.SAVE: Transition(_ALL, T.TRANSLATED, _WRITERS),
    Action.DRAFT: Transition(frozenset({T.EMPTY, T.MACHINE_DRAFT}), T.MACHINE_DRAFT, _WRITERS),
    Action.MARK_TRANSLATED: Transition(
        frozenset({T.MACHINE_DRAFT, T.NEEDS_EDITING}), T.TRANSLATED, _WRITERS
    ),
    Action.APPROVE: Transition(frozenset({T.TRANSLATED}), T.APPROVED, _REVIEWERS),
    Action.SEND_BACK: Transition(
        frozenset({T.TRANSLATED, T.APPROVED}), T.NEEDS_EDITING, _REVIEWERS
    ),
}

VERSION_TRANSITIONS: dict[Action, Transition] = {
    Action.SUBMIT: Transition(frozenset({V.IN_TRANSLATION}), V.IN_REVIEW, _WRITERS),
    Action.APPROVE_VERSION: Transition(frozenset({V.IN_REVIEW}), V.APPROVED, _REVIEWERS),
    Action.REQUEST_CHANGES: Transition(
        frozenset({V.IN_REVIEW, V.APPROVED, V.OUTDATED}), V.IN_TRANSLATION, _REVIEWERS
    ),
    Action.PUBLISH: Transition(frozenset({V.APPROVED}), V.PUBLISHED, _REVIEWERS),
}

# Nobody takes these: the desk makes them when a person's action means a version's state no
# longer holds (`writes.apply`). An edit after approval reopens the version for review; a
# paragraph sent back returns the version to translation, so the translator can answer.
SYSTEM_TRANSITIONS: dict[Action, Transition] = {
    Action.REOPEN: Transition(frozenset({V.APPROVED, V.PUBLISHED}), V.IN_REVIEW, frozenset()),
    Action.RETURN_TO_TRANSLATION: Transition(
        frozenset({V.IN_REVIEW, V.APPROVED, V.PUBLISHED}), V.IN_TRANSLATION, frozenset()
    ),
}

STORY_ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.IMPORT_STORY: _REVIEWERS,
    Action.EDIT_SOURCE: _REVIEWERS,
    Action.EMBARGO: _REVIEWERS,
    Action.CONFIGURE: frozenset({Role.ADMIN}),
    Action.ASSIGN: _REVIEWERS,
    Action.EDIT_GLOSSARY: _REVIEWERS,
    Action.IMPORT_MEMORY: _REVIEWERS,
}

# Confirming that a translation still says what the changed English says moves no state (a
# translator's confirmation of an approved paragraph returns it to translated; see
# `translations.confirm_translation`).
PARAGRAPH_ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.CONFIRM: _WRITERS,
}

# Answering a comment is talk, not text: allowed in any version state to those who work in
# the language.
LANGUAGE_ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.COMMENT: _WRITERS,
    Action.TAKE: _WRITERS,
    Action.OVERRIDE: _REVIEWERS,
}

PARAGRAPH_WORK_BY_VERSION_STATE: dict[VersionState, frozenset[Role]] = {
    # A submitted version belongs to its reviewers until they approve it or send it back;
    # an editor's fix to an approved or published version reopens it for review.
    V.IN_TRANSLATION: _WRITERS,
    V.IN_REVIEW: _REVIEWERS,
    V.APPROVED: _REVIEWERS,
    V.PUBLISHED: _REVIEWERS,
    # The English changed under an approved version: translators bring it back in step.
    V.OUTDATED: _WRITERS,
}


class Actor(Protocol):
    """What `authorize` needs to know of a person; `models.Person` satisfies it."""

    @property
    def name(self) -> str: ...
    @property
    def role(self) -> Role: ...
    @property
    def language_codes(self) -> frozenset[str]: ...


def roles_for(action: Action) -> frozenset[Role]:
    if action in TRANSLATION_TRANSITIONS:
        return TRANSLATION_TRANSITIONS[action].roles
    if action in VERSION_TRANSITIONS:
        return VERSION_TRANSITIONS[action].roles
    if action in PARAGRAPH_ACTION_ROLES:
        return PARAGRAPH_ACTION_ROLES[action]
    if action in LANGUAGE_ACTION_ROLES:
        return LANGUAGE_ACTION_ROLES[action]
    if action in SYSTEM_TRANSITIONS:
        return SYSTEM_TRANSITIONS[action].roles
    return STORY_ACTION_ROLES[action]


def authorize(
    person: Actor,
    action: Action,
    lang: str | None = None,
    version_state: VersionState | None = None,
) -> None:
    """Refuse with `PermissionDenied` unless the person's role and languages allow the action."""
    role = Role(person.role)
    if action in SYSTEM_TRANSITIONS:
        raise PermissionDenied(f"Nobody may {action} a version: the desk does it when needed.")
    if role not in roles_for(action):
        allowed = " or ".join(sorted(r.value + "s" for r in roles_for(action)))
        raise PermissionDenied(
            f"{person.name} is {role.with_article}; only {allowed} may {action}."
        )
    if lang is not None and role is not Role.ADMIN and lang not in person.language_codes:
        raise PermissionDenied(f"{person.name} does not work in {LANGUAGES.get(lang, lang)}.")
    if (
        version_state is not None
        and (action in TRANSLATION_TRANSITIONS or action in PARAGRAPH_ACTION_ROLES)
        and role not in PARAGRAPH_WORK_BY_VERSION_STATE[version_state]
    ):
        raise PermissionDenied(
            f"This version is {version_state.label.lower()}; only editors may change it now."
        )


def works_in(person: Actor, lang: str) -> bool:
    """Whether the person changes text in the language: a translator or editor of it, or an
    administrator."""
    role = Role(person.role)
    return role is Role.ADMIN or (role in _WRITERS and lang in person.language_codes)


def edit_refusal(person: Actor, lang: str, version_state: VersionState) -> str | None:
    """Why the person may not change the version's text now, in words to show them ("You do
    not translate Russian."); None when they may (`authorize` of a save agrees)."""
    name = LANGUAGES.get(lang, lang)
    role = Role(person.role)
    if role not in _WRITERS:
        return f"As {role.with_article} you read the {name} version; translators change it."
    if not works_in(person, lang):
        verb = "translate" if role is Role.TRANSLATOR else "work in"
        return f"You do not {verb} {name}: you read this version, its text is not yours to change."
    if role in PARAGRAPH_WORK_BY_VERSION_STATE[version_state]:
        return None
    if version_state is VersionState.IN_REVIEW:
        return "Submitted for review: the editors have this version now."
    return f"The {name} version is {version_state.label.lower()}: only editors change it now."


Asked = ParamSpec("Asked")


def _as_question(refuse: Callable[Asked, None]) -> Callable[Asked, bool]:
    """A function that refuses with `PermissionDenied`, asked instead: whether it would allow."""

    def allows(*args: Asked.args, **kwargs: Asked.kwargs) -> bool:
        try:
            refuse(*args, **kwargs)
        except PermissionDenied:
            return False
        return True

    return allows


# Whether `authorize` lets the person take the action (the pages show or hide a button by it).
permitted = _as_question(authorize)


def translation_actions(
    person: Actor, lang: str, version_state: VersionState, state: TranslationState
) -> list[Action]:
    """The state changes (besides saving text) this person may make to a paragraph now."""
    return [
        action
        for action in (Action.MARK_TRANSLATED, Action.APPROVE, Action.SEND_BACK)
        if state in TRANSLATION_TRANSITIONS[action].sources
        and permitted(person, action, lang, version_state)
    ]


def version_actions(person: Actor, lang: str, version_state: VersionState) -> list[Action]:
    """The moves this person may make with a language version in its current state."""
    return [
        action
        for action, transition in VERSION_TRANSITIONS.items()
        if version_state in transition.sources and permitted(person, action, lang)
    ]
