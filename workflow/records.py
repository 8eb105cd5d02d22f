"""Writes to rows other than a translation's text and state: a person, a setting, a glossary
term, the memory, a story made, its embargo, comments, assignments and flag overrides.
`writes.apply` takes each as a `Record` and runs it through the same steps as a translation's
write: authorise (the permission its audit word needs, `PERMISSION`), compare-and-set (the
value the caller read against the value stored now), the change itself, one `Change`, commit,
all or nothing inside a savepoint."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from workflow.models import Change, Person
from workflow.states import Action
from workflow.vocabulary import Event


class RecordKind(StrEnum):
    """Which of the desk's tables a record writes: the words a refusal uses."""

    PERSON = "person"
    SETTING = "setting"
    GLOSSARY = "glossary term"
    MEMORY = "translation memory"
    STORY = "story"  # a story made, or its embargo
    COMMENT = "comment"
    VERSION = "version"  # who holds a language version
    FLAG = "flag"  # an editor's override of a check's finding
    INTEGRATION = "integration token"
    WEBHOOK = "webhook"
    NOTIFICATIONS = "notification choice"


# What a person at the desk must be allowed to do for each recorded write (the command line's
# operator, person None, has the server already). Absent: a person acting on their own account.
PERMISSION: dict[Event, Action] = {
    Event.ADD_PERSON: Action.CONFIGURE,
    Event.CHANGE_ROLE: Action.CONFIGURE,
    Event.CHANGE_LANGUAGES: Action.CONFIGURE,
    Event.SET_PASSWORD: Action.CONFIGURE,
    Event.SELF_REVIEW: Action.CONFIGURE,
    Event.CHOOSE_ENGINE: Action.CONFIGURE,
    Event.CREATE_TOKEN: Action.CONFIGURE,
    Event.REVOKE_TOKEN: Action.CONFIGURE,
    Event.ADD_TERM: Action.EDIT_GLOSSARY,
    Event.CHANGE_TERM: Action.EDIT_GLOSSARY,
    Event.REMOVE_TERM: Action.EDIT_GLOSSARY,
    Event.IMPORT_MEMORY: Action.IMPORT_MEMORY,
    Event.ADD_WEBHOOK: Action.CONFIGURE,
    Event.DEACTIVATE_WEBHOOK: Action.CONFIGURE,
    Event.REMOVE_WEBHOOK: Action.CONFIGURE,
    Event.RESEND_DELIVERY: Action.CONFIGURE,
    Event.SET_CHAT_CHANNEL: Action.CONFIGURE,
}


@dataclass(frozen=True)
class Line:
    """What the audit line of a recorded write says: what changed in words, and the person it
    concerns (a line about a person is scoped to them)."""

    detail: str = ""
    subject: Person | None = None
    actor: str | None = None  # how it was made when no signed-in person made it
    comment: str = ""  # what a person said of a story's write
    story_id: int | None = None  # a story the write made (its id is known only once written)


@dataclass(frozen=True)
class Record:
    """One write to a desk row. `write` makes the change and says it (None: nothing changed,
    so nothing is recorded); `stored` reads the value the write would replace, as stored now,
    for the compare-and-set against what the caller read (`expect` of `apply`)."""

    kind: RecordKind
    write: Callable[[], Line | None]
    stored: Callable[[], object] | None = None
    # What a story's write concerns, for the permission (by language) and the audit line.
    story_id: int | None = None
    lang: str | None = None
    translation_id: int | None = None
    permission: Action | None = None  # when it is not the audit word's own
    # The words a refused compare-and-set says (who changed the row, when); None: the default.
    refusal: Callable[[], str] | None = None


def changed_meanwhile(
    session: Session,
    what: str,
    actions: Collection[Event],
    about: ColumnElement[bool] | None = None,
) -> str:
    """ "Irina changed this term at 10:31 UTC; reload to see it": the refusal of a write that
    lost a race, naming the latest audit line of `actions` (narrowed by `about`) when there is
    one, so an administrator knows whose change their stale form would have overwritten."""
    query = (
        select(Change, Person.name)
        .join(Person, col(Person.id) == col(Change.person_id), isouter=True)
        .where(col(Change.action).in_([a.value for a in actions]))
    )
    if about is not None:
        query = query.where(about)
    line = session.exec(query.order_by(col(Change.id).desc()).limit(1)).first()
    if line is None:
        return f"Someone changed {what} a moment ago; reload to see it. Nothing was saved."
    change, name = line
    return (
        f"{name or change.actor or 'Someone'} changed {what} at {change.created_at:%H:%M} UTC; "
        "reload to see it. Nothing was saved."
    )
