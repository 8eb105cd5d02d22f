"""The administration page: the self-review rule and the people of the desk."""

import pytest
from sqlmodel import select

from tests.app_helpers import open_app, read_db, visible
from workflow.accounts import authenticate
from workflow.errors import InputError, PermissionDenied
from workflow.models import Person
from workflow.people import add_person, set_role
from workflow.settings import allow_self_review, self_review_allowed
from workflow.states import Role

ADMIN_PAGE = "workflow/ui/admin.py"


def _widget(widgets, prefix: str):
    """The one widget whose key starts with `prefix` (keys end with the values drawn)."""
    (found,) = [w for w in widgets if (w.key or "").startswith(prefix)]
    return found


def _as_irina(change):
    """Another administrator, Irina, makes `change(session, irina)` in her own session."""

    def made(session):
        irina = session.exec(select(Person).where(Person.name == "Irina Admin")).first()
        if irina is None:
            admin = session.exec(select(Person).where(Person.name == "Desk Admin")).one()
            irina = add_person(session, name="Irina Admin", role=Role.ADMIN, by=admin)
        return change(session, irina)

    return read_db(made)


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
    assert _widget(at.selectbox, f"change_role_{olena_id}_").value is Role.TRANSLATOR
    assert _widget(at.multiselect, f"change_languages_{olena_id}_").value == ["uk"]
    _widget(at.selectbox, f"change_role_{olena_id}_").set_value(Role.EDITOR)
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
    _widget(at.selectbox, f"change_role_{olena_id}_").set_value(Role.EDITOR)
    at.text_input(key=f"change_password_{olena_id}").input("short")
    at.button(key="change_person").click().run()
    assert "at least 10 characters" in at.error[0].value
    role = read_db(lambda s: s.exec(select(Person.role).where(Person.id == olena_id)).one())
    assert role is Role.TRANSLATOR


def test_a_role_change_on_languages_another_admin_changed_is_refused_and_kept(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    at.selectbox(key="change_who").set_value("Olena Shevchuk").run()
    olena_id = read_db(
        lambda s: s.exec(select(Person.id).where(Person.name == "Olena Shevchuk")).one()
    )
    _as_irina(
        lambda s, irina: set_role(
            s, name="Olena Shevchuk", role=Role.TRANSLATOR, languages=["uk", "ru"], by=irina
        )
    )
    _widget(at.selectbox, f"change_role_{olena_id}_").set_value(Role.EDITOR)
    at.button(key="change_person").click().run()
    refusal = visible(at.error[0].value)
    assert "Irina Admin changed Olena Shevchuk's role or languages at" in refusal
    assert _widget(at.selectbox, f"change_role_{olena_id}_").value is Role.EDITOR  # kept
    olena = read_db(lambda s: s.get(Person, olena_id))
    assert (olena.role, olena.languages) == (Role.TRANSLATOR, ["ru", "uk"])  # hers stands
    at.run()  # read again: the languages she added are drawn, not the old ones
    assert _widget(at.multiselect, f"change_languages_{olena_id}_").value == ["ru", "uk"]


def test_self_review_switched_by_another_admin_is_not_switched_back(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    _as_irina(lambda s, irina: allow_self_review(s, allowed=True, person=irina))
    at.checkbox[0].check()
    at.checkbox[0].uncheck()
    next(b for b in at.button if b.label == "Save" and b.form_id == "review_rules").click().run()
    assert "Irina Admin changed the self-review rule at" in visible(at.error[0].value)
    assert read_db(self_review_allowed)
