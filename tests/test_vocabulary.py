"""The stored vocabulary: a person's languages and a glossary term's translations as rows; the
audit log's actions, revision reasons, origins and severities as the words of their enums."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import StatementError
from sqlmodel import Session, select

from workflow.audit import audit_log
from workflow.errors import InputError
from workflow.glossary import delete_term, list_terms, save_term
from workflow.history import record_change
from workflow.models import GlossaryTranslation, Person, PersonLanguage
from workflow.people import set_role
from workflow.states import Action, Role, authorize
from workflow.vocabulary import Event, Origin


def test_a_person_read_in_one_session_still_knows_their_languages_after_it_closes(session, people):
    with Session(session.get_bind()) as other:
        eva = other.exec(select(Person).where(Person.name == "Eva")).one()
    assert eva.languages == ["ru", "uk"] and eva.languages_text == "ru,uk"
    authorize(eva, Action.SAVE, "uk")  # what the desk asks of a person, every click


def test_changing_languages_keeps_one_row_per_language(session, people):
    set_role(session, name="Tanya", role=Role.TRANSLATOR, languages=["uk", "ru", "uk"])
    set_role(session, name="Tanya", role=Role.TRANSLATOR, languages=["uk"])
    rows = session.exec(select(PersonLanguage).join(Person).where(Person.name == "Tanya")).all()
    assert [row.lang for row in rows] == ["uk"]
    assert people["translator"].language_codes == {"uk"}


def test_a_term_changed_keeps_a_row_per_language_it_is_rendered_in(session, people):
    eva = people["editor"]
    term = save_term(session, person=eva, english="Kyiv", translations={"ru": "Киев"})
    save_term(
        session, person=eva, english="Kyiv", translations={"ru": "", "uk": "Київ"},
        term_id=term.id,
    )  # fmt: skip
    (kyiv,) = list_terms(session)
    assert kyiv.translations == {"uk": "Київ"}  # an emptied rendering is gone, not blank
    delete_term(session, person=eva, term_id=kyiv.id)
    assert session.exec(select(GlossaryTranslation)).all() == []


def test_a_term_in_a_language_the_desk_does_not_translate_is_refused(session, people):
    with pytest.raises(InputError, match="Unknown language de"):
        save_term(session, person=people["editor"], english="Kyiv", translations={"de": "Kiew"})


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(renderings=st.dictionaries(st.sampled_from(["ru", "uk", "de", ""]), st.text(max_size=20)))
def test_any_renderings_are_saved_or_refused_in_words(session, people, renderings):
    try:
        term = save_term(session, person=people["editor"], english="NATO", translations=renderings)
    except InputError as refusal:
        assert str(refusal)
    else:
        assert term.translations == {k: v.strip() for k, v in renderings.items() if v.strip()}
        delete_term(session, person=people["editor"], term_id=term.id)
    session.rollback()


def test_audit_words_read_back_as_the_enum_they_were_written_from(session, people):
    record_change(session, action=Event.CHANGE_ROLE, person=None, subject=people["editor"])
    record_change(session, action=Action.REOPEN, person=people["editor"])
    session.commit()
    assert [type(line.action) for line in audit_log(session)[:2]] == [Action, Event]


def test_a_word_no_enum_has_is_refused_when_written(session, people):
    record_change(session, action="teleport", person=None)  # type: ignore[arg-type]
    with pytest.raises(StatementError, match="'teleport' is not a value of Action or Event"):
        session.commit()
    session.rollback()


def test_a_word_no_enum_has_is_refused_when_read(session):
    session.connection().execute(
        text(
            "INSERT INTO change (scope, action, actor, comment, detail, created_at)"
            " VALUES ('desk', 'teleport', '', '', '', '2026-01-05 10:00:00+00:00')"
        )
    )
    with pytest.raises(ValueError, match="'teleport' is not a value of Action or Event"):
        audit_log(session)
    session.rollback()


def test_a_machine_origin_may_name_its_engine_and_keeps_its_kind():
    assert Origin("machine:google") is Origin.MACHINE
    assert (Origin.MEMORY.label, Origin.IMPORT.label) == ("Memory", "Imported")
    with pytest.raises(ValueError):
        Origin("robot")
