"""The administration page: the self-review rule and the people of the desk."""

import pytest
from sqlmodel import select

from tests.app_helpers import open_app, read_db, visible
from workflow.accounts import authenticate
from workflow.errors import InputError, PermissionDenied
from workflow.models import Person
from workflow.people import add_person, set_role
from workflow.settings import self_review_allowed
from workflow.states import Role

ADMIN_PAGE = "workflow/ui/admin.py"


def test_the_admin_allows_self_review(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    at.checkbox[0].check()
    next(b for b in at.button if b.label == "Save" and b.form_id == "review_rules").click().run()
    assert "Self-review is allowed." in [s.value for s in at.success]
    assert read_db(self_review_allowed)


def test_the_admin_adds_a_person_who_can_then_sign_in(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    form = [w for w in at.text_input if w.form_id == "add_person"]
    form[0].input("Mykola Bondar")
    form[1].input("mykola@desk.example")
    form[2].input("his first password")
    at.selectbox[0].set_value(Role.TRANSLATOR)
    at.multiselect[0].set_value(["uk"])
    next(b for b in at.button if b.label == "Add").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "Mykola Bondar works at the desk now." in [s.value for s in at.success]
    assert "Mykola Bondar" in list(at.dataframe[0].value["Name"])  # listed at once
    assert [w.value for w in at.text_input if w.form_id == "add_person"] == ["", "", ""]
    person = read_db(lambda s: authenticate(s, "mykola@desk.example", "his first password"))
    assert (person.role, person.languages) == (Role.TRANSLATOR, ["uk"])


def test_a_refused_new_person_keeps_what_the_admin_typed(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    form = [w for w in at.text_input if w.form_id == "add_person"]
    form[0].input("Mykola Bondar")
    form[1].input("mykola@desk.example")
    form[2].input("password")
    at.multiselect[0].set_value(["uk"])
    next(b for b in at.button if b.label == "Add").click().run()
    assert at.error, "a common password is refused"
    kept = [w.value for w in at.text_input if w.form_id == "add_person"]
    assert kept[:2] == ["Mykola Bondar", "mykola@desk.example"]
    assert at.multiselect[0].value == ["uk"]


def test_the_admin_changes_a_role_and_the_form_starts_from_the_current_one(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    at.selectbox(key="change_who").set_value("Olena Shevchuk").run()
    olena_id = read_db(
        lambda s: s.exec(select(Person.id).where(Person.name == "Olena Shevchuk")).one()
    )
    assert at.selectbox(key=f"change_role_{olena_id}").value is Role.TRANSLATOR
    assert at.multiselect(key=f"change_languages_{olena_id}").value == ["uk"]
    at.selectbox(key=f"change_role_{olena_id}").set_value(Role.EDITOR)
    at.button(key="change_person").click().run()
    assert "Olena Shevchuk is now an editor." in [visible(s.value) for s in at.success]
    role = read_db(lambda s: s.exec(select(Person.role).where(Person.id == olena_id)).one())
    assert role is Role.EDITOR


def test_people_are_managed_only_by_an_administrator(session, people):
    with pytest.raises(PermissionDenied):
        add_person(session, name="X", role=Role.ADMIN, by=people["editor"])
    with pytest.raises(PermissionDenied):
        set_role(session, name="Tanya", role=Role.ADMIN, by=people["manager"])
    assert session.exec(select(Person).where(Person.name == "X")).first() is None


def test_the_only_administrator_cannot_be_demoted(session, people):
    with pytest.raises(InputError, match="Ada is the only administrator"):
        set_role(session, name="Ada", role=Role.EDITOR, by=people["admin"])
    add_person(session, name="Second", role=Role.ADMIN)
    assert set_role(session, name="Ada", role=Role.EDITOR).role is Role.EDITOR


def test_a_short_new_password_changes_nothing_at_all(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    at.selectbox(key="change_who").set_value("Olena Shevchuk").run()
    olena_id = read_db(
        lambda s: s.exec(select(Person.id).where(Person.name == "Olena Shevchuk")).one()
    )
    at.selectbox(key=f"change_role_{olena_id}").set_value(Role.EDITOR)
    at.text_input(key=f"change_password_{olena_id}").input("short")
    at.button(key="change_person").click().run()
    assert "at least 10 characters" in at.error[0].value
    role = read_db(lambda s: s.exec(select(Person.role).where(Person.id == olena_id)).one())
    assert role is Role.TRANSLATOR
