"""Signing in: e-mail addresses, argon2 password hashes, the first administrator, browser
sessions, and the door itself (`sign_in`): throttled and recorded in the audit log.

A password is hashed with argon2id (argon2-cffi's defaults) and never stored, logged or shown;
only the first administrator's generated password is handed back once, for the operator to read.
What a password must be is `passwords`' business; how guessing is slowed down, `throttle`'s.
People whose newsroom signs in through single sign-on are matched by their e-mail address and
may have no password at all.
"""

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workflow import throttle
from workflow.errors import InputError, LockstepError, NotFound
from workflow.models import BrowserSession, Person, as_utc, utcnow
from workflow.passwords import MAX_PASSWORD, MIN_PASSWORD, check_password
from workflow.records import Line, Record, RecordKind
from workflow.states import Role
from workflow.typed_text import refuse_control_characters
from workflow.vocabulary import Event
from workflow.writes import apply

__all__ = ["MIN_PASSWORD", "check_password"]  # kept here for the pages that check first

FIRST_ADMIN_NAME = "Desk Admin"
FIRST_ADMIN_EMAIL = "admin@desk.example"

_hasher = PasswordHasher()


class SignInFailed(LockstepError):
    """Wrong e-mail or password; deliberately does not say which."""


class SignInThrottled(SignInFailed):
    """Too many failed sign-ins for this account or from this client: the next try waits."""


def normalise_email(email: str) -> str:
    """The stored form of an address: checked for shape (never looked up), lower case."""
    refuse_control_characters(email, "The e-mail address")
    try:
        checked = validate_email(email.strip(), check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise InputError(f"{email.strip()!r} is not an e-mail address: {exc}") from None
    return checked.normalized.lower()


def hash_password(
    password: str, *, name: str = "", email: str = "", demo_person: bool = False
) -> str:
    """The argon2 hash of a password that `passwords.check_password` accepts for this person."""
    check_password(password, name=name, email=email, demo_person=demo_person)
    return _hasher.hash(password)


@cache
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def person_by_login(session: Session, login: str) -> Person | None:
    """The person whose e-mail (any case) or exact name is `login`."""
    login = refuse_control_characters(login, "The e-mail").strip()
    if not login:
        return None
    if "@" in login and (found := _by_email(session, login)) is not None:
        return found
    return session.exec(select(Person).where(Person.name == login)).first()


def _by_email(session: Session, email: str) -> Person | None:
    return session.exec(
        select(Person).where(func.lower(col(Person.email)) == email.strip().lower())
    ).first()


def authenticate(session: Session, login: str, password: str) -> Person:
    """The person signing in with this e-mail (or name) and password; `SignInFailed` otherwise.

    Checks only: the sign-in page goes through `sign_in`, which is throttled and recorded.
    An unknown login costs the same hashing work as a wrong password, so timing does not tell
    which addresses exist. A hash made with older parameters is upgraded on success.
    """
    person = person_by_login(session, login)
    stored = person.password_hash if person is not None else None
    try:
        _hasher.verify(stored or _decoy_hash(), password[:MAX_PASSWORD])
        if person is None or stored is None:
            raise VerificationError
    except (VerificationError, InvalidHashError):
        raise SignInFailed("That e-mail and password do not match anyone at this desk.") from None
    assert person is not None and stored is not None
    if _hasher.check_needs_rehash(stored):
        person.password_hash = _hasher.hash(password)
        session.add(person)
        session.commit()
    return person


def person_for_email(session: Session, email: str) -> Person:
    """The person a single sign-on identity (or `--by EMAIL`) belongs to; the role stored here
    applies."""
    found = _by_email(session, refuse_control_characters(email, "The e-mail address"))
    if found is None:
        raise NotFound(
            f"{email} is not registered at this desk. Ask an administrator to add you "
            "(python -m workflow user add NAME --email ADDRESS --role ROLE)."
        )
    return found


def person_to_change(session: Session, name: str) -> Person:
    """The person named for a change to their account or role (whoever makes it is
    authorised by the write itself: `records.PERMISSION`)."""
    name = refuse_control_characters(name, "The name").strip()
    person = session.exec(select(Person).where(Person.name == name)).first()
    if person is None:
        raise NotFound(f"Nobody called {name!r} works at this desk.")
    return person


def set_password(session: Session, *, name: str, password: str, by: Person | None = None) -> Person:
    """An operator's reset of someone's password (from the command line, or by `by`, an
    administrator on the admin page)."""
    from workflow.demo import is_demo_person
    from workflow.writes import apply

    person = person_to_change(session, name)
    password_hash = hash_password(
        password,
        name=person.name,
        email=person.email or "",
        demo_person=is_demo_person(person.email, person.role),
    )

    def write() -> Line:
        person.password_hash = password_hash
        session.add(person)
        # Whoever knew the old password is signed out of every browser.
        session.exec(delete(BrowserSession).where(col(BrowserSession.person_id) == person.id))
        return Line(subject=person)  # the event, never the secret

    # No compare-and-set: a reset replaces whatever password there was, by design.
    apply(session, Event.SET_PASSWORD, Record(RecordKind.PERSON, write), person=by)
    session.refresh(person)
    return person


@dataclass(frozen=True)
class FirstAdmin:
    """The administrator made on first start, and the password to print when one was generated."""

    person: Person
    generated_password: str | None


def ensure_first_admin(session: Session) -> FirstAdmin | None:
    """Make sure someone can sign in to administer the desk.

    When no administrator has a password, the first one (or a new "Desk Admin") gets the
    password in `LOCKSTEP_ADMIN_PASSWORD`, or a generated one returned to be printed once.
    `LOCKSTEP_ADMIN_EMAIL` sets the address. Returns None when an administrator can sign in.
    """
    admins = session.exec(
        select(Person).where(Person.role == Role.ADMIN).order_by(col(Person.id))
    ).all()
    if any(admin.password_hash for admin in admins):
        return None
    from_env = os.environ.get("LOCKSTEP_ADMIN_PASSWORD", "")
    if from_env:
        try:
            check_password(from_env, email=os.environ.get("LOCKSTEP_ADMIN_EMAIL", ""))
        except InputError as exc:
            raise InputError(f"LOCKSTEP_ADMIN_PASSWORD is unusable: {exc}") from None
    password = from_env or secrets.token_urlsafe(12)
    email = normalise_email(os.environ.get("LOCKSTEP_ADMIN_EMAIL", FIRST_ADMIN_EMAIL))
    admin = admins[0] if admins else None
    made = Person(name=FIRST_ADMIN_NAME, role=Role.ADMIN, email=email)

    def write() -> Line:
        if admin is not None:
            # Only if nobody else set it meanwhile: two app processes may start at once.
            claimed = session.exec(
                update(Person)  # type: ignore[call-overload]
                .where(col(Person.id) == admin.id, col(Person.password_hash).is_(None))
                .values(password_hash=hash_password(password), email=admin.email or email)
            ).rowcount
            if claimed != 1:
                raise _Claimed
        else:
            made.password_hash = hash_password(password)
            session.add(made)
            session.flush()
        return Line("the first administrator, on first start", subject=admin or made)

    action = Event.SET_PASSWORD if admin else Event.ADD_PERSON
    try:
        apply(session, action, Record(RecordKind.PERSON, write), person=None)
    except (_Claimed, IntegrityError):
        # Another app process made the first administrator at this very moment.
        return None
    session.refresh(admin or made)
    return FirstAdmin(admin or made, None if from_env else password)


class _Claimed(Exception):
    """Another app process gave the first administrator a password first."""


SESSION_HOURS = 12  # a working shift; then the browser asks to sign in again


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_browser_session(session: Session, person: Person) -> str:
    """A new token for the browser's cookie, so a reload does not sign the person out (part
    of `sign_in`, which records it)."""
    token = _new_browser_session(session, person)
    session.commit()
    return token


def _new_browser_session(session: Session, person: Person) -> str:
    assert person.id is not None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.exec(delete(BrowserSession).where(col(BrowserSession.expires_at) < now))
    session.add(
        BrowserSession(
            token_hash=_token_hash(token),
            person_id=person.id,
            expires_at=now + timedelta(hours=SESSION_HOURS),
        )
    )
    return token


def person_for_token(session: Session, token: str) -> Person | None:
    """Who a browser's cookie signs in, while its session lasts."""
    if not token:
        return None
    found = session.exec(
        select(BrowserSession).where(BrowserSession.token_hash == _token_hash(token))
    ).first()
    if found is None:
        return None
    expires = as_utc(found.expires_at)
    if expires < utcnow():
        return None
    return session.get(Person, found.person_id)


def end_browser_session(session: Session, token: str) -> None:
    """Sign a browser out: its cookie no longer signs anyone in."""
    person = person_for_token(session, token)

    def write() -> Line | None:
        gone = delete(BrowserSession).where(col(BrowserSession.token_hash) == _token_hash(token))
        session.exec(gone)
        return None if person is None else Line(subject=person)

    apply(session, Event.SIGN_OUT, Record(RecordKind.PERSON, write), person=person)


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, and the token for their browser's cookie."""

    person: Person
    token: str


def sign_in(
    session: Session,
    login: str,
    password: str,
    *,
    client: str = "",
    now: datetime | None = None,
) -> SignedIn:
    """The sign-in page's door: check the password, unless too many failures say to wait.

    `client` names where the try comes from (the browser's address), counted apart from the
    account. Every sign-in, failed sign-in and first refusal of a wait is one audit-log line,
    with the login tried and never the password. `SignInThrottled` says how long to wait.
    """
    now = now or utcnow()
    tried = person_by_login(session, login)  # refuses control characters in words
    login = login.strip()[:320]
    counters = throttle.counters(login, client)
    actor = "sign-in page" + (f", from {client}" if client else "")
    waiting = throttle.waiting(session, counters, now)
    if waiting is not None:
        line = Line(
            f"e-mail tried: {login}; {waiting.failures} failed sign-ins "
            f"{waiting.counter.what}; waits {throttle.in_words(waiting.remaining)}",
            subject=tried, actor=actor,
        ) if waiting.first_refusal else None  # fmt: skip
        apply(
            session, Event.SIGN_IN_THROTTLED, Record(RecordKind.PERSON, lambda: line), person=None
        )
        raise SignInThrottled(
            f"Too many failed sign-ins {waiting.counter.what}: wait "
            f"{throttle.in_words(waiting.remaining)}, then try again."
        )
    try:
        person = authenticate(session, login, password)
    except SignInFailed as failed:
        waits: list[timedelta | None] = []

        def count() -> Line:
            waits.append(throttle.count_failure(session, counters, now))
            return Line(f"e-mail tried: {login}", subject=tried, actor=actor)

        apply(session, Event.SIGN_IN_FAILED, Record(RecordKind.PERSON, count), person=None)
        wait = waits[0]
        if wait:
            raise SignInFailed(
                f"{failed} After so many failed sign-ins, wait {throttle.in_words(wait)} "
                "before the next try."
            ) from None
        raise
    tokens: list[str] = []

    def write() -> Line:
        throttle.forget(session, counters[0])
        tokens.append(_new_browser_session(session, person))
        return Line(subject=person, actor=actor)

    apply(session, Event.SIGN_IN, Record(RecordKind.PERSON, write), person=person)
    return SignedIn(person, tokens[0])


def single_sign_on(session: Session, email: str) -> Person:
    """The person the newsroom's identity provider signed in (by e-mail), recorded."""
    person = person_for_email(session, email)
    line = Line(subject=person, actor="single sign-on")
    apply(session, Event.SIGN_IN, Record(RecordKind.PERSON, lambda: line), person=person)
    return person
