"""Desk-wide rules an administrator chooses (engine settings live in `machinery`)."""

from sqlmodel import Session

from workflow.errors import PermissionDenied
from workflow.history import Event, record_change
from workflow.models import Person, Setting, Translation
from workflow.states import Action, authorize

SELF_REVIEW = "self_review"


def self_review_allowed(session: Session) -> bool:
    """Whether people may approve translations they wrote themselves (off unless an
    administrator allows it, for a desk too small to have a second reader)."""
    stored = session.get(Setting, SELF_REVIEW)
    return stored is not None and stored.value == "1"


def allow_self_review(session: Session, *, allowed: bool, person: Person) -> bool:
    authorize(person, Action.CONFIGURE)
    stored = session.get(Setting, SELF_REVIEW) or Setting(name=SELF_REVIEW)
    stored.value = "1" if allowed else "0"
    session.add(stored)
    record_change(
        session,
        action=Event.SELF_REVIEW,
        person=person,
        detail="self-review allowed" if allowed else "self-review not allowed",
    )
    session.commit()
    return allowed


def refuse_self_review(session: Session, person: Person, translations: list[Translation]) -> None:
    """Nobody approves their own translation, unless an administrator allows self-review."""
    own = sum(t.translated_by_id == person.id for t in translations)
    if own and not self_review_allowed(session):
        what = "this paragraph" if len(translations) == 1 else f"{own} of these paragraphs"
        raise PermissionDenied(
            f"{person.name} translated {what}; another editor must approve it "
            "(an administrator can allow self-review)."
        )
