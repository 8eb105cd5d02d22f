"""What people type: passwords that attackers would not guess first, and no control characters
in sign-in, names, e-mails, comments or the glossary, refused in words on every database."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflow.accounts import SignInFailed, set_password, sign_in
from workflow.comments import clean_comment
from workflow.errors import InputError, LockstepError
from workflow.glossary import save_term
from workflow.passwords import DEMO_PASSWORD, check_password
from workflow.people import add_person, set_role
from workflow.states import Role
from workflow.typed_text import refuse_control_characters


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "at least 10 characters"),
        ("password123", "one of the most common ones"),
        ("Qwertyuiop", "one of the most common ones"),
        ("1234567890", "one of the most common ones"),
        ("aaaaaaaaaaaa", "too easy to guess"),
        ("Olena Shevchuk 1", "too easy to guess"),  # her own name
        (DEMO_PASSWORD, "the demo's published password"),
        ("river\x00bridge morning", "control character"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(password, why):
    with pytest.raises(InputError, match=why):
        check_password(password, name="Olena Shevchuk", email="olena@desk.example")


@pytest.mark.parametrize(
    "password", ["quiet river under the bridge", "Kyiv-2026-spring-desk", "тихая река под мостом"]
)
def test_a_good_password_is_accepted(password):
    check_password(password, name="Olena Shevchuk", email="olena@desk.example")


def test_only_the_demos_people_may_keep_the_demo_password(session):
    demo = add_person(
        session, name="Olena Shevchuk", role=Role.TRANSLATOR, email="olena@desk.example"
    )
    set_password(session, name=demo.name, password=DEMO_PASSWORD)
    add_person(session, name="Chief", role=Role.ADMIN, email="chief@newsroom.example")
    with pytest.raises(InputError, match="demo's published password"):
        set_password(session, name="Chief", password=DEMO_PASSWORD)
    with pytest.raises(InputError, match="demo's published password"):
        add_person(session, name="Nina", role=Role.EDITOR, password=DEMO_PASSWORD)


@given(st.text(max_size=120))
def test_checking_any_password_accepts_it_or_says_why(password):
    try:
        check_password(password, name="Olena", email="olena@desk.example")
    except InputError as refusal:
        assert str(refusal)


@given(st.text(max_size=200), st.booleans())
def test_refusing_control_characters_returns_the_text_or_says_why(text, multiline):
    try:
        assert refuse_control_characters(text, "The name", multiline=multiline) == text
    except InputError as refusal:
        assert "control character" in str(refusal)
    else:
        allowed = "\n\r\t" if multiline else ""
        assert not any(ord(c) < 32 and c not in allowed for c in text)


NUL = "olena\x00@desk.example"


def test_a_nul_in_the_email_at_sign_in_is_refused_in_words(session):
    """On PostgreSQL a NUL reaching a query was a stack trace naming the SQL."""
    with pytest.raises(InputError, match="control character \\(U\\+0000\\)"):
        sign_in(session, NUL, "anything at all")
    with pytest.raises(SignInFailed):  # the desk still answers the next try
        sign_in(session, "olena@desk.example", "anything at all")


ON_A_DATABASE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@ON_A_DATABASE
@given(login=st.text(max_size=400), password=st.text(max_size=60))
def test_signing_in_with_anything_typed_refuses_in_words(session, quick_hashing, login, password):
    try:
        sign_in(session, login, password, client="192.0.2.1")
    except LockstepError as refusal:
        assert str(refusal)
    session.rollback()


@ON_A_DATABASE
@given(name=st.text(max_size=250), email=st.text(max_size=80))
def test_adding_anyone_typed_adds_them_or_says_why(session, people, name, email):
    try:
        add_person(session, name=name, role=Role.EDITOR, email=email or None, by=people["admin"])
    except LockstepError as refusal:
        assert str(refusal)
    session.rollback()


@ON_A_DATABASE
@given(english=st.text(max_size=210), ru=st.text(max_size=30), note=st.text(max_size=30))
def test_a_glossary_term_typed_any_way_is_saved_or_refused_in_words(
    session, people, english, ru, note
):
    try:
        save_term(
            session, person=people["editor"], english=english, translations={"ru": ru}, note=note
        )
    except LockstepError as refusal:
        assert str(refusal)
    session.rollback()


@pytest.mark.parametrize(
    "write",
    [
        lambda s, p: add_person(s, name="Ol\x00ena", role=Role.EDITOR),
        lambda s, p: add_person(s, name="Olena", role=Role.EDITOR, email=NUL),
        lambda s, p: set_role(s, name="Ta\x00nya", role=Role.EDITOR),
        lambda s, p: set_password(s, name="Ta\x00nya", password="quiet river bridge"),
        lambda s, p: save_term(
            s, person=p["editor"], english="Ky\x00iv", translations={"ru": "Киев"}
        ),
        lambda s, p: save_term(
            s, person=p["editor"], english="Kyiv", translations={"uk": "Ки\x1bїв"}
        ),
        lambda s, p: clean_comment("Please check\x00 the figure."),
    ],
    ids=["name", "e-mail", "role change", "password reset", "term", "rendering", "comment"],
)
def test_control_characters_are_refused_wherever_people_type(session, people, write):
    with pytest.raises(InputError, match="control character"):
        write(session, people)


def test_a_comment_keeps_its_line_breaks():
    assert clean_comment("First line.\nSecond\tline.") == "First line.\nSecond\tline."
