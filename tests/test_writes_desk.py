"""The desk's own rows (people, settings, the glossary) go through the one write path: a
write made on what someone changed since it was read is refused in words, changes nothing,
records nothing and leaves the caller's own unsaved work in the session."""

import pytest
from sqlmodel import Session, func, select

from workflow.database import make_db_engine
from workflow.errors import InvalidTransition
from workflow.glossary import delete_term, list_terms, save_term
from workflow.models import Change, GlossaryTerm, Person, Setting
from workflow.people import add_person, set_role
from workflow.states import Role


@pytest.fixture
def two_sessions(db_url):
    """Two people's sessions on one database, as two app processes have them."""
    engine = make_db_engine(db_url)
    with Session(engine) as mine, Session(engine) as theirs:
        admin = add_person(mine, name="Desk Admin", role=Role.ADMIN)
        add_person(mine, name="Irina", role=Role.EDITOR, languages=["ru", "uk"], by=admin)
        add_person(mine, name="Tanya", role=Role.TRANSLATOR, languages=["ru"], by=admin)
        yield mine, theirs
    engine.dispose()


def _named(session: Session, name: str) -> Person:
    return session.exec(select(Person).where(Person.name == name)).one()


def _lines(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Change)).one()


def test_a_role_change_made_on_a_role_someone_changed_meanwhile_is_refused(two_sessions):
    mine, theirs = two_sessions
    tanya = _named(mine, "Tanya")  # read here (and held), before their change
    assert tanya.role is Role.TRANSLATOR
    set_role(theirs, name="Tanya", role=Role.EDITOR, by=_named(theirs, "Desk Admin"))
    lines = _lines(theirs)
    mine.add(Setting(name="unrelated", value="kept"))  # the caller's own, not yet flushed

    with pytest.raises(InvalidTransition, match="Someone changed this person"):
        set_role(mine, name="Tanya", role=Role.ADMIN, by=_named(mine, "Desk Admin"))

    mine.expire_all()
    assert _named(mine, "Tanya").role is Role.EDITOR  # theirs stands, never overwritten
    assert _lines(mine) == lines
    assert mine.get(Setting, "unrelated").value == "kept"


def test_removing_a_term_someone_renamed_meanwhile_is_refused_and_the_term_stays(two_sessions):
    mine, theirs = two_sessions
    irina = _named(mine, "Irina")
    term = save_term(mine, person=irina, english="ministry", translations={"ru": "министерство"})
    save_term(
        theirs, person=_named(theirs, "Irina"), english="the ministry",
        translations={"ru": "министерство"}, term_id=term.id,
    )  # fmt: skip

    with pytest.raises(InvalidTransition, match="Someone changed this glossary term"):
        delete_term(mine, person=irina, term_id=term.id)

    mine.expire_all()
    assert [t.english for t in list_terms(mine)] == ["the ministry"]
    assert mine.exec(select(func.count()).select_from(GlossaryTerm)).one() == 1
