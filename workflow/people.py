"""The people who work at the desk, with their role and languages; each change is recorded
in the audit log, concerning the person it changed."""

from collections.abc import Iterable, Sequence
from functools import partial

from sqlmodel import Session, col, func, select

from workflow.accounts import hash_password, normalise_email, person_to_change
from workflow.errors import InputError
from workflow.languages import language_codes
from workflow.models import Change, Person, PersonLanguage
from workflow.records import Line, Record, RecordKind, changed_meanwhile
from workflow.states import Role
from workflow.typed_text import refuse_control_characters
from workflow.vocabulary import Event
from workflow.writes import apply


def _language_codes(languages: Iterable[str]) -> list[str]:
    return sorted(language_codes(languages))  # `ua` is Ukrainian, as the newsroom writes it


_PERSON_CHANGES = (Event.ADD_PERSON, Event.CHANGE_ROLE, Event.CHANGE_LANGUAGES)


def as_drawn(person: Person) -> tuple[Role, list[str]]:
    """A person's role and languages as a page shows them, to hand back as `seen`."""
    return Role(person.role), sorted(person.language_codes)


def _in_words(codes: Iterable[str]) -> str:
    """ "ru,uk": languages as the audit log and the command line show them."""
    return ",".join(codes)


def add_person(
    session: Session,
    *,
    name: str,
    role: Role | str,
    languages: Iterable[str] = (),
    email: str | None = None,
    password: str | None = None,
    password_hash: str | None = None,
    by: Person | None = None,
) -> Person:
    """Store a new person; languages are target language codes (`ru`, `uk`).

    Without a password (or a ready hash) the person can sign in only by single sign-on, until
    an operator sets one. `by` is the administrator doing it in the app (None: an operator at
    the command line, who has the server already).
    """
    from workflow.demo import is_demo_person

    name = refuse_control_characters(name, "The name").strip()
    if not name:
        raise InputError("A person needs a name.")
    codes = _language_codes(languages)
    address = normalise_email(email) if email else None
    if session.exec(select(Person.id).where(Person.name == name)).first() is not None:
        raise InputError(f"{name} already works at this desk.")
    if address and session.exec(select(Person.id).where(Person.email == address)).first():
        raise InputError(f"Someone at this desk already signs in as {address}.")
    person = Person(
        name=name,
        role=Role(role),
        language_rows=[PersonLanguage(lang=code) for code in codes],
        email=address,
        password_hash=password_hash
        if password is None
        else hash_password(
            password,
            name=name,
            email=address or "",
            demo_person=is_demo_person(address, Role(role)),
        ),
    )

    def write() -> Line:
        session.add(person)
        return Line(
            f"{person.role.value}, {_in_words(codes) or 'no languages'}, "
            f"{address or 'no e-mail'}, "
            + ("signs in with a password" if person.password_hash else "single sign-on only"),
            subject=person,
        )

    apply(session, Event.ADD_PERSON, Record(RecordKind.PERSON, write), person=by)
    session.refresh(person)
    return person


def set_role(
    session: Session,
    *,
    name: str,
    role: Role | str,
    languages: Iterable[str] | None = None,
    by: Person | None = None,
    seen: tuple[Role, list[str]] | None = None,
) -> Person:
    """Change what a person does at the desk (and, when given, the languages they work in).

    Recorded as one audit-log line saying what changed; a call that changes nothing records
    nothing. `seen` is the role and languages the administrator's page drew (`as_drawn`): the
    change is refused, nothing written, when the stored ones differ (someone changed them
    since). None (the command line): compared with them as read here.
    """
    person = person_to_change(session, name)
    if person.role is Role.ADMIN and Role(role) is not Role.ADMIN:
        admins = session.exec(select(func.count()).where(Person.role == Role.ADMIN)).one()
        if admins == 1:
            raise InputError(
                f"{person.name} is the only administrator; make someone else one first."
            )
    before_role, before_languages = person.role, person.languages
    after_role = Role(role)
    after_languages = before_languages if languages is None else _language_codes(languages)
    changed = [
        f"{before_role.value} -> {after_role.value}" if after_role is not before_role else "",
        f"languages {_in_words(before_languages) or 'none'} -> "
        f"{_in_words(after_languages) or 'none'}"
        if after_languages != before_languages
        else "",
    ]
    if not any(changed):
        return person

    def write() -> Line:
        person.role = after_role
        if after_languages != before_languages:
            # Rows of languages kept stay; the others go (the relationship deletes orphans).
            kept = [row for row in person.language_rows if row.lang in after_languages]
            person.language_rows = kept + [
                PersonLanguage(lang=code)
                for code in after_languages
                if code not in before_languages
            ]
        session.add(person)
        return Line("; ".join(part for part in changed if part), subject=person)

    def stored() -> tuple[Role, list[str]]:
        """The person's role and languages as stored now, locked until the write commits."""
        now = session.exec(select(Person.role).where(Person.id == person.id).with_for_update())
        codes = select(PersonLanguage.lang).where(PersonLanguage.person_id == person.id)
        return Role(now.one()), sorted(session.exec(codes))

    action = Event.CHANGE_ROLE if changed[0] else Event.CHANGE_LANGUAGES
    refusal = partial(
        changed_meanwhile, session, f"{person.name}'s role or languages", _PERSON_CHANGES,
        col(Change.subject_id) == person.id,
    )  # fmt: skip
    record = Record(RecordKind.PERSON, write, stored, refusal=refusal)
    drawn = as_drawn(person) if seen is None else (Role(seen[0]), sorted(seen[1]))
    apply(session, action, record, person=by, expect=drawn)
    session.refresh(person)
    return person


def list_people(session: Session) -> Sequence[Person]:
    return session.exec(select(Person).order_by(col(Person.role), col(Person.name))).all()
