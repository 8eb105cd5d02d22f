"""Integration tokens: how an outside system (the newsroom's CMS) is let into the HTTP API.

A token is made by an administrator (the Administration page or `python -m workflow token
create NAME --scope read|write`) and shown once; the desk keeps only its SHA-256 (a token is 32
random bytes, so a fast hash is enough: there is nothing to guess). A token reads (`read`) or
also writes (`write`); it is revoked by name, and its last use is kept. Everything an
integration changes is recorded in the audit log as made by "integration <name>".
"""

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from workflow.errors import InputError, NotFound
from workflow.models import Integration, Person, TokenScope, utcnow
from workflow.records import Line, Record, RecordKind
from workflow.vocabulary import Event

PREFIX = "lst_"  # says what a leaked token is, to a person and to a secret scanner
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}")
LONGEST_TOKEN = 100
USE_RECORDED_EVERY = timedelta(minutes=1)  # a busy CMS writes `last_used_at` once a minute


@dataclass(frozen=True)
class Caller:
    """Who is calling the API: the token's name and scope, as read when it was checked."""

    name: str
    scope: TokenScope

    @property
    def actor(self) -> str:
        return integration_actor(self.name)

    def may(self, needed: TokenScope) -> bool:
        return needed is TokenScope.READ or self.scope is TokenScope.WRITE


def integration_actor(name: str) -> str:
    """ "integration CMS": how the audit log names a change an integration made."""
    return f"integration {name}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_name(text: str) -> str:
    """A token's name as typed, checked: letters, digits, spaces, `.`, `_`, `-`; 1-100."""
    name = text.strip()
    if not NAME.fullmatch(name):
        raise InputError(
            "A token's name is 1 to 100 letters, digits, spaces, dots, dashes or underscores, "
            f"starting with a letter or digit; {name[:40]!r} is not."
        )
    return name


def token_scope(text: str) -> TokenScope:
    """`read` or `write`, in any case; anything else refused in words."""
    try:
        return TokenScope(text.strip().lower())
    except ValueError:
        raise InputError(f"A token's scope is read or write, not {text[:20]!r}.") from None


def create_token(session: Session, name: str, scope: str, *, person: Person | None) -> str:
    """A new token for the integration `name` (an administrator's action; the command line's
    operator when `person` is None). Returns the token: the only time anyone sees it."""
    from workflow.writes import apply

    name, wanted = token_name(name), token_scope(scope)
    token = PREFIX + secrets.token_urlsafe(32)

    def write() -> Line:
        session.add(
            Integration(
                name=name,
                scope=wanted,
                token_hash=_hash(token),
                created_by_id=person.id if person else None,
            )
        )
        return Line(f"{name} ({wanted.value})")

    def stored() -> bool:
        return _live(session, name) is not None

    def refusal() -> str:
        return f"There is already a token named {name}; revoke it or choose another name."

    record = Record(RecordKind.INTEGRATION, write, stored, refusal=refusal)
    apply(session, Event.CREATE_TOKEN, record, person=person, expect=False)
    return token


def revoke_token(session: Session, name: str, *, person: Person | None) -> None:
    """Revoke the live token named `name`: every later call with it is refused. (Revoked
    tokens of that name may be many; a name's token once revoked is "revoked already".)"""
    from workflow.writes import apply

    found = _named(session, name.strip())
    if found is None:
        raise NotFound(f"There is no integration token named {name.strip()[:100]!r}.")

    def write() -> Line:
        found.revoked_at = utcnow()
        session.add(found)
        return Line(found.name)

    def stored() -> bool:
        return session.get(Integration, found.id, populate_existing=True).revoked_at is not None  # type: ignore[union-attr]

    def refusal() -> str:
        return f"The token {found.name} is revoked already."

    record = Record(RecordKind.INTEGRATION, write, stored, refusal=refusal)
    apply(session, Event.REVOKE_TOKEN, record, person=person, expect=False)


def _live(session: Session, name: str) -> Integration | None:
    return session.exec(
        select(Integration).where(Integration.name == name, col(Integration.revoked_at).is_(None))
    ).first()


def _named(session: Session, name: str) -> Integration | None:
    """The live token of this name, else the one revoked last (None: there never was one)."""
    return (
        _live(session, name)
        or session.exec(
            select(Integration)
            .where(Integration.name == name)
            .order_by(col(Integration.revoked_at).desc(), col(Integration.id).desc())
        ).first()
    )


def list_tokens(session: Session) -> Sequence[Integration]:
    """Every token ever made, the live ones first, newest first (hashes only; never a token)."""
    return session.exec(
        select(Integration).order_by(
            col(Integration.revoked_at).is_not(None), col(Integration.id).desc()
        )
    ).all()


def authenticate(session: Session, token: str) -> Caller | None:
    """The integration `token` belongs to; None when it is unknown, revoked or not a token.
    Its last use is written at most once a minute (`USE_RECORDED_EVERY`)."""
    if not token.startswith(PREFIX) or len(token) > LONGEST_TOKEN:
        return None
    found = session.exec(
        select(Integration).where(
            Integration.token_hash == _hash(token), col(Integration.revoked_at).is_(None)
        )
    ).first()
    if found is None:
        return None
    caller = Caller(found.name, TokenScope(found.scope))
    now = utcnow()
    if found.last_used_at is None or now - found.last_used_at >= USE_RECORDED_EVERY:
        session.exec(
            update(Integration)  # type: ignore[call-overload]
            .where(col(Integration.id) == found.id)
            .values(last_used_at=now)
        )
        session.commit()
    return caller
