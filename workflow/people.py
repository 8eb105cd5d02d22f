"""The people who work at the desk, with their role and languages."""

from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.errors import InputError, NotFound
from workflow.models import Person
from workflow.states import Role


def add_person(
    session: Session, *, name: str, role: Role | str, languages: Iterable[str] = ()
) -> Person:
    """Store a new person; languages are target language codes (`ru`, `uk`)."""
    name = name.strip()
    if not name:
        raise InputError("A person needs a name.")
    codes = sorted(set(languages))
    unknown = [code for code in codes if code not in LANGUAGES]
    if unknown:
        raise InputError(f"Unknown language {', '.join(unknown)}: use {', '.join(LANGUAGES)}.")
    if session.exec(select(Person.id).where(Person.name == name)).first() is not None:
        raise InputError(f"{name} already works at this desk.")
    person = Person(name=name, role=Role(role), languages=",".join(codes))
    session.add(person)
    session.commit()
    session.refresh(person)
    return person


def set_role(
    session: Session, *, name: str, role: Role | str, languages: Iterable[str] | None = None
) -> Person:
    """Change what a person does at the desk (and, when given, the languages they work in)."""
    person = session.exec(select(Person).where(Person.name == name.strip())).first()
    if person is None:
        raise NotFound(f"Nobody called {name.strip()!r} works at this desk.")
    person.role = Role(role)
    if languages is not None:
        codes = sorted(set(languages))
        unknown = [code for code in codes if code not in LANGUAGES]
        if unknown:
            raise InputError(f"Unknown language {', '.join(unknown)}: use {', '.join(LANGUAGES)}.")
        person.languages = ",".join(codes)
    session.add(person)
    session.commit()
    session.refresh(person)
    return person


def list_people(session: Session) -> Sequence[Person]:
    return session.exec(select(Person).order_by(col(Person.role), col(Person.name))).all()
