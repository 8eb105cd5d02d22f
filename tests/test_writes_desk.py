"""Writes other than a translation's (people, settings, the glossary, who holds a version,
flag overrides, the English) go through the one write path: a write made on what someone
changed since it was read is refused in words, changes nothing, records nothing and leaves the
caller's own unsaved work in the session."""

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from tests.conftest import SEED_BYTES, translations
from tests.test_sources import english
from workflow import writes
from workflow.assignments import assignment, take
from workflow.comments import add_comment, answer
from workflow.database import make_db_engine
from workflow.drafts import set_embargo
from workflow.errors import InputError, InvalidTransition, NotFound, SourceConflict
from workflow.flags import override_flag
from workflow.formats import read_story_file
from workflow.glossary import delete_term, list_terms, save_term, term_as_drawn
from workflow.models import Change, Flag, GlossaryTerm, Person, Setting, Story
from workflow.people import add_person, as_drawn, set_role
from workflow.settings import allow_self_review, self_review_allowed
from workflow.sources import update_source
from workflow.states import Action, Role
from workflow.stories import import_story
from workflow.vocabulary import Severity


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

    with pytest.raises(InvalidTransition, match=r"Desk Admin changed Tanya.s role or languages at"):
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

    with pytest.raises(InvalidTransition, match=r"Irina changed this term at \d\d:\d\d UTC"):
        delete_term(mine, person=irina, term_id=term.id)

    mine.expire_all()
    assert [t.english for t in list_terms(mine)] == ["the ministry"]
    assert mine.exec(select(func.count()).select_from(GlossaryTerm)).one() == 1


@pytest.fixture
def clicks(db_url):
    """A fresh session per click, as the app opens one for each run of a page."""
    engine = make_db_engine(db_url)
    with Session(engine) as session:
        admin = add_person(session, name="Desk Admin", role=Role.ADMIN)
        add_person(session, name="Irina", role=Role.ADMIN, by=admin)
        add_person(session, name="Tanya", role=Role.TRANSLATOR, languages=["ru"], by=admin)
        save_term(session, person=admin, english="Kyiv", translations={"ru": "Киев", "uk": "Київ"})

    def click():
        return Session(engine)

    yield click
    engine.dispose()


def _kyiv(session):
    return next(t for t in list_terms(session) if t.english == "Kyiv")


def test_a_term_form_drawn_before_another_admins_fix_is_refused_and_their_fix_stays(clicks):
    with clicks() as page:  # the admin's page draws the term
        drawn, term_id = term_as_drawn(_kyiv(page)), _kyiv(page).id
    with clicks() as theirs:  # Irina fixes the Russian meanwhile
        save_term(
            theirs, person=_named(theirs, "Irina"), english="Kyiv",
            translations={"ru": "Киев (Kyiv)", "uk": "Київ"}, term_id=term_id,
            seen=term_as_drawn(_kyiv(theirs)),
        )  # fmt: skip
    with clicks() as mine, pytest.raises(InvalidTransition, match=r"Irina changed this term"):
        save_term(
            mine, person=_named(mine, "Desk Admin"), english="Kyiv",
            translations={"ru": "Киев", "uk": "Київ"}, note="A's note", term_id=term_id,
            seen=drawn,
        )  # fmt: skip
    with clicks() as mine, pytest.raises(InvalidTransition, match=r"Irina changed this term"):
        delete_term(mine, person=_named(mine, "Desk Admin"), term_id=term_id, seen=drawn)
    with clicks() as after:
        assert term_as_drawn(_kyiv(after)) == ("Kyiv", {"ru": "Киев (Kyiv)", "uk": "Київ"}, "")


def test_a_term_saved_from_the_form_as_drawn_is_saved(clicks):
    with clicks() as page:
        drawn, term_id = term_as_drawn(_kyiv(page)), _kyiv(page).id
    with clicks() as mine:
        save_term(
            mine, person=_named(mine, "Desk Admin"), english="Kyiv",
            translations={"ru": "Киев", "uk": "Київ"}, note="city", term_id=term_id, seen=drawn,
        )  # fmt: skip
    with clicks() as after:
        assert _kyiv(after).note == "city"


@pytest.mark.parametrize("role", [Role.TRANSLATOR, Role.EDITOR])
def test_a_person_form_drawn_before_another_admin_added_a_language_is_refused(clicks, role):
    with clicks() as page:
        drawn = as_drawn(_named(page, "Tanya"))
    with clicks() as theirs:
        set_role(
            theirs, name="Tanya", role=Role.TRANSLATOR, languages=["ru", "uk"],
            by=_named(theirs, "Irina"), seen=as_drawn(_named(theirs, "Tanya")),
        )  # fmt: skip
    with clicks() as mine, pytest.raises(InvalidTransition, match="Irina changed Tanya's"):
        set_role(
            mine, name="Tanya", role=role, languages=["ru"], by=_named(mine, "Desk Admin"),
            seen=drawn,
        )  # fmt: skip
    with clicks() as after:
        assert as_drawn(_named(after, "Tanya")) == (Role.TRANSLATOR, ["ru", "uk"])


def test_the_self_review_rule_switched_by_another_admin_is_not_switched_back(clicks):
    with clicks() as page:
        drawn = self_review_allowed(page)
    with clicks() as theirs:
        allow_self_review(theirs, allowed=True, person=_named(theirs, "Irina"), seen=drawn)
    with clicks() as mine, pytest.raises(InvalidTransition, match="Irina changed the self-rev"):
        allow_self_review(mine, allowed=False, person=_named(mine, "Desk Admin"), seen=drawn)
    with clicks() as after:
        assert self_review_allowed(after)


def _caller_adds_their_own(session: Session) -> None:
    session.add(Setting(name="unrelated", value="kept"))  # not the write's: never undone by it


def _still_has_their_own(session: Session) -> None:
    assert session.get(Setting, "unrelated").value == "kept"
    session.commit()
    session.expire_all()
    assert session.get(Setting, "unrelated").value == "kept"


def test_taking_a_version_someone_took_first_leaves_the_callers_work(session, people, story):
    take(session, story_id=story.id, lang="ru", person=people["translator"])
    _caller_adds_their_own(session)
    with pytest.raises(InputError, match="Someone took this version"):
        take(session, story_id=story.id, lang="ru", person=people["editor"])
    assert assignment(session, story.id, "ru").translator == "Tanya"
    _still_has_their_own(session)


def test_an_english_edit_refused_as_stale_leaves_the_callers_work(session, people, story):
    theirs = english(session, story.id)
    theirs[1] = theirs[1].replace("3,000", "3,500")
    update_source(session, story_id=story.id, paragraphs=theirs, person=people["admin"], based_on=1)
    _caller_adds_their_own(session)
    with pytest.raises(SourceConflict):
        update_source(
            session, story_id=story.id, paragraphs=theirs[:2], person=people["editor"], based_on=1
        )
    _still_has_their_own(session)


def test_an_english_edit_of_a_missing_story_leaves_the_callers_work(session, people):
    _caller_adds_their_own(session)
    with pytest.raises(NotFound):
        update_source(session, story_id=999, paragraphs=["A headline"], person=people["admin"])
    _still_has_their_own(session)


def test_overriding_a_flag_another_editor_overrode_meanwhile_is_refused(session, people, story):
    (t, *_) = translations(session, story.id, "ru")
    flag = Flag(translation_id=t.id, code="numbers", severity=Severity.ERROR, message="3,000")
    session.add(flag)
    session.commit()
    assert flag.override_reason is None  # as the editor read it
    # Another editor's override, which this session has not read.
    theirs = update(Flag).where(col(Flag.id) == flag.id).values(override_reason="Theirs.")
    session.exec(theirs.execution_options(synchronize_session=False))
    _caller_adds_their_own(session)

    with pytest.raises(InvalidTransition, match="Someone changed this flag"):
        override_flag(session, flag_id=flag.id, person=people["editor"], reason="Mine.")

    _still_has_their_own(session)
    assert session.get(Flag, flag.id).override_reason == "Theirs."


def test_a_story_imported_embargoed_and_answered_goes_through_the_write_path_once_each(
    session, people, monkeypatch
):
    through = []  # each write the one write path took
    one_path = writes._apply_record
    monkeypatch.setattr(
        writes, "_apply_record", lambda *a, **k: through.append(a[1]) or one_path(*a, **k)
    )
    before = _lines(session)

    story = import_story(session, read_story_file(SEED_BYTES), person=people["editor"])
    set_embargo(session, story_id=story.id, embargoed=True, person=people["editor"])
    remark = add_comment(
        session, story_id=story.id, lang="ru", person=people["editor"], text="Даты?"
    )
    session.commit()
    answer(session, comment_id=remark.id, person=people["translator"], text="Исправлено.")

    assert through == [Action.IMPORT_STORY, Action.EMBARGO, Action.COMMENT]
    assert _lines(session) - before == 3
    assert session.get(Story, story.id).embargoed
