"""Signing in: argon2 hashes, e-mail matching, the first administrator, operators' resets."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from workflow.accounts import (
    SignInFailed,
    authenticate,
    end_browser_session,
    ensure_first_admin,
    person_for_email,
    person_for_token,
    set_password,
    start_browser_session,
)
from workflow.errors import InputError, NotFound
from workflow.models import BrowserSession, Person
from workflow.people import add_person
from workflow.states import Role

PASSWORD = "correct horse battery"


@pytest.fixture
def olena(session):
    return add_person(
        session, name="Olena", role=Role.TRANSLATOR, languages=["uk"],
        email="Olena.Shevchuk@Desk.Example", password=PASSWORD,
    )  # fmt: skip


def test_the_password_is_stored_only_as_an_argon2_hash(olena):
    assert olena.password_hash.startswith("$argon2id$")
    assert PASSWORD not in olena.password_hash


def test_sign_in_by_email_in_any_case_or_by_name(session, olena):
    assert authenticate(session, "olena.shevchuk@desk.example", PASSWORD).id == olena.id
    assert authenticate(session, "  OLENA.SHEVCHUK@DESK.EXAMPLE ", PASSWORD).id == olena.id
    assert authenticate(session, "Olena", PASSWORD).id == olena.id


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("olena.shevchuk@desk.example", "correct horse"),  # wrong password
        ("nobody@desk.example", PASSWORD),  # nobody by that address
        ("", ""),
        ("olena.shevchuk@desk.example", ""),
    ],
)
def test_a_wrong_sign_in_says_the_same_whatever_was_wrong(session, olena, login, password):
    with pytest.raises(SignInFailed) as refusal:
        authenticate(session, login, password)
    assert str(refusal.value) == "That e-mail and password do not match anyone at this desk."


def test_someone_without_a_password_cannot_sign_in_with_one(session):
    add_person(session, name="SSO only", role=Role.EDITOR, email="sso@desk.example")
    with pytest.raises(SignInFailed):
        authenticate(session, "sso@desk.example", "")


def test_an_operator_resets_a_password(session, olena):
    set_password(session, name="Olena", password="a brand new passphrase")
    with pytest.raises(SignInFailed):
        authenticate(session, "Olena", PASSWORD)
    assert authenticate(session, "Olena", "a brand new passphrase").id == olena.id
    with pytest.raises(InputError, match="at least 10 characters"):
        set_password(session, name="Olena", password="short")
    with pytest.raises(NotFound):
        set_password(session, name="Nobody", password="a long enough one")


@pytest.mark.parametrize("email", ["not an address", "olena@", "a@b"])
def test_a_malformed_email_is_refused(session, email):
    with pytest.raises(InputError, match="is not an e-mail address"):
        add_person(session, name="X", role=Role.EDITOR, email=email)
    assert session.exec(select(Person)).all() == []


def test_two_people_cannot_share_an_email(session, olena):
    with pytest.raises(InputError, match=r"already signs in as olena\.shevchuk@desk\.example"):
        add_person(session, name="Other", role=Role.EDITOR, email="OLENA.shevchuk@desk.example")


def test_single_sign_on_matches_the_person_by_email_and_keeps_their_role(session, olena):
    assert person_for_email(session, "OLENA.SHEVCHUK@desk.example").role is Role.TRANSLATOR
    with pytest.raises(NotFound, match="not registered at this desk"):
        person_for_email(session, "stranger@elsewhere.example")


def test_the_first_administrator_gets_a_generated_password_once(session, monkeypatch):
    monkeypatch.delenv("LOCKSTEP_ADMIN_PASSWORD", raising=False)
    first = ensure_first_admin(session)
    assert first is not None and first.person.role is Role.ADMIN
    assert len(first.generated_password) >= 16
    assert authenticate(session, first.person.email, first.generated_password).id == (
        first.person.id
    )
    assert ensure_first_admin(session) is None  # never again: an administrator can sign in


def test_the_first_administrators_password_can_come_from_the_environment(session, monkeypatch):
    monkeypatch.setenv("LOCKSTEP_ADMIN_PASSWORD", "chosen by the operator")
    monkeypatch.setenv("LOCKSTEP_ADMIN_EMAIL", "chief@newsroom.example")
    first = ensure_first_admin(session)
    assert first.generated_password is None  # nothing to print
    assert authenticate(session, "chief@newsroom.example", "chosen by the operator")


def test_a_browser_stays_signed_in_until_it_signs_out_or_the_shift_ends(session, olena):
    token = start_browser_session(session, olena)
    assert person_for_token(session, token).id == olena.id
    assert person_for_token(session, token + "x") is None
    assert token not in str(session.exec(select(BrowserSession.token_hash)).all())
    end_browser_session(session, token)
    assert person_for_token(session, token) is None

    token = start_browser_session(session, olena)
    stored = session.exec(select(BrowserSession)).one()
    stored.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    session.add(stored)
    session.commit()
    assert person_for_token(session, token) is None


def test_a_new_password_signs_every_browser_out(session, olena):
    token = start_browser_session(session, olena)
    set_password(session, name="Olena", password="a brand new passphrase")
    assert person_for_token(session, token) is None
