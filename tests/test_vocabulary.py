"""The stored vocabulary: the audit log's actions, revision reasons, origins and severities as
the words of their enums."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from workflow.audit import audit_log
from workflow.history import record_change
from workflow.states import Action
from workflow.vocabulary import Event, Origin


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
