"""A translation file long enough to be saved in batches, with the desk writing in between:
what each text vouches for, who may still save, and what a failure part way says."""

import re

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

import workflow.exchange
from workflow import import_policy
from workflow.desk import desk_rows
from workflow.exchange import PartialImport, export_xliff, import_paragraphs, import_xliff
from workflow.formats import ParsedStory
from workflow.models import Person, Story
from workflow.people import add_person
from workflow.progress import version_progress
from workflow.sources import update_source
from workflow.states import Role, VersionState
from workflow.stories import import_story
from workflow.versions import submit_version

ENGLISH = [f"Paragraph {i}: the minister met the press." for i in range(6)]
RUSSIAN = ["Длинная история"] + [f"Абзац {i}: министр встретился с прессой." for i in range(6)]


@pytest.fixture
def desk(session: Session) -> tuple[Story, Person, Person, Person]:
    tanya = add_person(session, name="Tanya", role=Role.TRANSLATOR, languages=["ru"])
    olga = add_person(session, name="Olga", role=Role.TRANSLATOR, languages=["ru"])
    irina = add_person(session, name="Irina", role=Role.EDITOR, languages=["ru"])
    story = import_story(session, ParsedStory("A long story", ENGLISH), person=None)
    return story, tanya, olga, irina


@pytest.fixture
def between_batches(monkeypatch):
    """Runs what is registered once, after the import's first batch committed; every import
    is saved in batches (the first of one paragraph), however short."""
    monkeypatch.setattr(workflow.exchange, "ALL_OR_NOTHING_UP_TO", 0)
    monkeypatch.setattr(import_policy, "SQLITE_GAP_S", 0)
    hooks = []
    resize = import_policy.Batches._resize

    def after_a_batch(self, held):
        while hooks:
            hooks.pop()()
        resize(self, held)

    monkeypatch.setattr(import_policy.Batches, "_resize", after_a_batch)
    return hooks


def ru(session: Session, story: Story, position: int):
    session.expire_all()
    return next(r for r in desk_rows(session, story.id) if r.position == position).translations[
        "ru"
    ]


def test_an_english_correction_during_a_long_import_leaves_the_file_text_stale(
    session, desk, between_batches
):
    story, tanya, _olga, irina = desk
    corrected = ["A long story", *ENGLISH]
    corrected[5] = "Paragraph 4: the minister refused to meet the press."
    between_batches.append(
        lambda: update_source(session, story_id=story.id, paragraphs=corrected, person=irina)
    )
    report = import_paragraphs(
        session, story_id=story.id, lang="ru", paragraphs=RUSSIAN, person=tanya
    )
    assert len(report.saved) == 7
    translated = ru(session, story, 5)
    assert translated.text == RUSSIAN[5]
    assert translated.stale  # translated from the English before the correction
    assert not ru(session, story, 4).stale


def test_a_version_submitted_during_a_long_import_stops_the_rest(session, desk, between_batches):
    story, tanya, olga, _irina = desk
    import_paragraphs(session, story_id=story.id, lang="ru", paragraphs=RUSSIAN, person=olga)
    between_batches.append(
        lambda: submit_version(session, story_id=story.id, lang="ru", person=olga)
    )
    fixed = [f"{text}, исправлено" for text in RUSSIAN]
    with pytest.raises(PartialImport, match=r"^1 of 7 paragraphs saved; the rest were not: "):
        import_paragraphs(session, story_id=story.id, lang="ru", paragraphs=fixed, person=tanya)
    assert version_progress(session, story.id, "ru").state is VersionState.IN_REVIEW
    assert [ru(session, story, p).text for p in range(7)] == [fixed[0], *RUSSIAN[1:]]


def test_a_database_failure_part_way_says_what_was_saved(session, desk, between_batches):
    story, tanya, _olga, _irina = desk

    def busy():
        raise OperationalError("UPDATE story", {}, Exception("database is locked"))

    between_batches.append(busy)
    with pytest.raises(PartialImport) as stopped:
        import_paragraphs(session, story_id=story.id, lang="ru", paragraphs=RUSSIAN, person=tanya)
    assert str(stopped.value) == (
        "1 of 7 paragraphs saved; the rest were not: the database was busy. "
        "Import the same file again to save the rest."
    )
    report = import_paragraphs(
        session, story_id=story.id, lang="ru", paragraphs=RUSSIAN, person=tanya
    )
    assert (len(report.saved), report.unchanged) == (6, 1)


def test_the_same_xliff_imported_twice_saves_once_and_reports_no_conflict(session, desk):
    story, tanya, _olga, _irina = desk
    filled = iter(RUSSIAN)
    data = re.sub(
        r"<target[^>]*/>|<target[^>]*>\s*</target>",
        lambda _: f"<target>{next(filled)}</target>",
        export_xliff(session, story.id, "ru").decode(),
    ).encode()
    _, first = import_xliff(session, data, person=tanya)
    _, again = import_xliff(session, data, person=tanya)
    assert len(first.saved) == 7
    assert (again.saved, again.conflicts, again.unchanged) == ([], [], 7)
