"""Desk-wide rules an administrator chooses (engine settings live in `machinery`)."""

from functools import partial

from sqlmodel import Session, select

from workflow.errors import PermissionDenied
from workflow.models import Person, Setting, Translation
from workflow.records import Line, Record, RecordKind, changed_meanwhile
from workflow.vocabulary import Event

SELF_REVIEW = "self_review"


def self_review_allowed(session: Session) -> bool:
    """Whether people may approve translations they wrote themselves (off unless an
    administrator allows it, for a desk too small to have a second reader)."""
    stored = session.get(Setting, SELF_REVIEW)
    return stored is not None and stored.value == "1"


def allow_self_review(
    session: Session, *, allowed: bool, person: Person, seen: bool | None = None
) -> bool:
    """An administrator allows self-review or not; refused, nothing written, if the stored
    rule is not the one their page drew (`seen`; None: as read here)."""
    from workflow.writes import apply

    drawn = self_review_allowed(session) if seen is None else seen

    def write() -> Line:
        stored = session.get(Setting, SELF_REVIEW) or Setting(name=SELF_REVIEW)
        stored.value = "1" if allowed else "0"
        session.add(stored)
        return Line("self-review allowed" if allowed else "self-review not allowed")

    def stored() -> bool:
        return stored_setting(session, SELF_REVIEW, lock=True) == "1"

    refusal = partial(changed_meanwhile, session, "the self-review rule", [Event.SELF_REVIEW])
    record = Record(RecordKind.SETTING, write, stored, refusal=refusal)
    apply(session, Event.SELF_REVIEW, record, person=person, expect=drawn)
    return allowed


def stored_setting(session: Session, name: str, *, lock: bool = False) -> str | None:
    """A setting's value as stored (None: never set); `lock`: held until the write commits,
    for a compare-and-set (where the database locks rows: PostgreSQL)."""
    query = select(Setting.value).where(Setting.name == name)
    return session.exec(query.with_for_update() if lock else query).first()


def refuse_self_review(session: Session, person: Person, translations: list[Translation]) -> None:
    """Nobody approves their own translation, unless an administrator allows self-review."""
    own = sum(t.translated_by_id == person.id for t in translations)
    if own and not self_review_allowed(session):
        what = "this paragraph" if len(translations) == 1 else f"{own} of these paragraphs"
        raise PermissionDenied(
            f"{person.name} translated {what}; another editor must approve it "
            "(an administrator can allow self-review)."
        )
