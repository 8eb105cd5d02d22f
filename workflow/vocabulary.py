"""The words the desk stores besides states and roles: what the audit log says happened to the
desk (`Event`, beside `states.Action` for stories), why a text was saved (`RevisionReason`),
where a text came from (`Origin`) and how serious a check's finding is (`Severity`).

Each is stored as its value by `EnumValue`, so a column holds one of these words and nothing
else: an unknown word is refused when written and when read. Values never change once
released; a new word is a new member, and needs no migration.
"""

from enum import Enum, StrEnum
from typing import Any

import sqlalchemy as sa

from workflow.states import Action


class Event(StrEnum):
    """What happened to the desk itself, not to a story: the words of those audit-log lines."""

    ADD_PERSON = "add person"
    CHANGE_ROLE = "change role"
    CHANGE_LANGUAGES = "change languages"
    SET_PASSWORD = "set password"
    SIGN_IN = "sign in"
    SIGN_IN_FAILED = "failed sign-in"
    SIGN_IN_THROTTLED = "sign-in throttled"
    SIGN_OUT = "sign out"
    SELF_REVIEW = "set self-review"
    CHOOSE_ENGINE = "choose engine"
    ADD_TERM = "add glossary term"
    CHANGE_TERM = "change glossary term"
    REMOVE_TERM = "remove glossary term"
    IMPORT_MEMORY = Action.IMPORT_MEMORY.value
    UPGRADE_DATABASE = "upgrade database"
    CREATE_TOKEN = "create integration token"
    REVOKE_TOKEN = "revoke integration token"
    ADD_WEBHOOK = "add webhook"
    DEACTIVATE_WEBHOOK = "deactivate webhook"
    REMOVE_WEBHOOK = "remove webhook"
    RESEND_DELIVERY = "resend webhook delivery"
    CHOOSE_NOTIFICATIONS = "choose notifications"
    SET_CHAT_CHANNEL = "set chat channel"


class RevisionReason(StrEnum):
    """Why a revision (a saved text) was kept."""

    EDIT = "edit"
    REVERT = "revert"
    CONFLICT = "conflict"  # a save that lost a race: kept, never applied
    MACHINE_DRAFT = "machine draft"
    IMPORT = "import"  # a translated file (XLIFF) brought back in
    MERGE = "merge"  # English paragraphs merged: their translations joined
    SPLIT = "split"  # an English paragraph split: its translation went with one part
    COPY = "copy"  # an English paragraph split: its translation copied to another part


class Origin(StrEnum):
    """Where a text came from: a person, an engine, the translation memory or an imported file.

    A machine origin may be given with its engine ("machine:google"): the column keeps the
    kind, and the audit line of the draft keeps the engine.
    """

    NONE = ""  # nothing yet: an empty paragraph
    HUMAN = "human"
    MACHINE = "machine"
    MEMORY = "memory"
    IMPORT = "import"

    @property
    def label(self) -> str:
        """How the desk names a draft or suggestion from here: "Memory draft, 12% edited"."""
        return _ORIGIN_LABELS[self]

    @classmethod
    def _missing_(cls, value: object) -> "Origin | None":
        if isinstance(value, str) and value.startswith(cls.MACHINE.value + ":"):
            return cls.MACHINE
        return None


_ORIGIN_LABELS = {
    Origin.NONE: "",
    Origin.HUMAN: "Human",
    Origin.MACHINE: "Machine",
    Origin.MEMORY: "Memory",
    Origin.IMPORT: "Imported",
}


class Severity(StrEnum):
    """Errors block approval and publishing (until an editor overrides them); warnings do not."""

    ERROR = "error"
    WARNING = "warning"


class EnumValue(sa.types.TypeDecorator[Any]):
    """Stores an enum member as its value (an int or a short string) and reads it back.

    Given a tuple of enums (the audit log's `Action` and `Event`), a value is read back as a
    member of the first that has it.
    """

    impl = sa.String
    cache_ok = True

    def __init__(self, enum_cls: type[Enum] | tuple[type[Enum], ...], *, length: int = 32) -> None:
        super().__init__()
        # Kept as given: SQLAlchemy's statement cache keys this type by its arguments.
        self.enum_cls = enum_cls
        self.length = length
        self.enum_classes = enum_cls if isinstance(enum_cls, tuple) else (enum_cls,)
        self.stores_int = all(isinstance(m.value, int) for c in self.enum_classes for m in c)

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        return dialect.type_descriptor(sa.Integer() if self.stores_int else sa.String(self.length))

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        return None if value is None else self._member(value).value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        return None if value is None else self._member(value)

    def _member(self, value: Any) -> Enum:
        for enum_cls in self.enum_classes:
            try:
                return enum_cls(value)
            except ValueError:
                continue
        names = " or ".join(c.__name__ for c in self.enum_classes)
        raise ValueError(f"{value!r} is not a value of {names}")
