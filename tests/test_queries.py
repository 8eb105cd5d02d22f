"""The query layer: staleness said in Python and in SQL gives the same answer on every row, and
a removed paragraph leaves every page."""

from sqlalchemy import case
from sqlmodel import select

from tests.conftest import translations
from workflow.demo import load_demo
from workflow.desk import desk_rows
from workflow.models import SourceParagraph, Translation
from workflow.progress import version_progress
from workflow.queries import current_paragraphs, is_stale, stale_condition, with_paragraphs
from workflow.sources import update_source
from workflow.states import TranslationState
from workflow.translations import save_translation


def _both_answers(session) -> list[tuple[int, bool, bool]]:
    """(translation id, Python's answer, SQL's answer) for every translation, removed too."""
    query = with_paragraphs(
        select(Translation, SourceParagraph, case((stale_condition(), True), else_=False)),
        removed_too=True,
    )
    return [(t.id, is_stale(t, p), bool(sql)) for t, p, sql in session.exec(query)]


def _disagreements(session) -> list[tuple[int, bool, bool]]:
    return [row for row in _both_answers(session) if row[1] != row[2]]


def test_python_and_sql_agree_on_every_row_of_the_demo(session):
    load_demo(session, week=False)
    rows = _both_answers(session)
    assert rows and any(python for _, python, _ in rows), "the demo has a stale paragraph"
    assert _disagreements(session) == []


def test_python_and_sql_agree_on_an_edited_story(session, people, story):
    ru = translations(session, story.id, "ru")
    for t in ru[:6]:
        save_translation(
            session, translation_id=t.id, text="Перевод.", person=people["translator"],
            base_lock_version=0,
        )  # fmt: skip
    # Rows the desk does not make itself but a migrated desk may hold: a text vouching for no
    # English, and an empty paragraph still naming the English it was once made from.
    ru[6].state, ru[6].text, ru[6].source_fingerprint = TranslationState.TRANSLATED, "Т.", None
    ru[7].source_fingerprint = "an older English"
    session.add_all([ru[6], ru[7]])
    session.commit()
    english = [p.text for p in current_paragraphs(session, story.id)]
    english[1] = english[1].replace("3,000", "3,500")  # changed: stale
    english[2] = english[2].replace(".", " .", 1)  # minor: carried
    del english[4]  # removed: its translations stay in the database
    update_source(session, story_id=story.id, paragraphs=english, person=people["editor"])

    rows = _both_answers(session)
    assert sum(python for _, python, _ in rows) >= 1
    assert _disagreements(session) == []


def test_a_removed_paragraph_leaves_the_desk_and_the_counts(session, people, story):
    english = [p.text for p in current_paragraphs(session, story.id)]
    gone = english.pop(3)
    update_source(session, story_id=story.id, paragraphs=english, person=people["editor"])

    assert gone not in [row.english for row in desk_rows(session, story.id)]
    assert version_progress(session, story.id, "ru").paragraphs == len(english)
    assert len(translations(session, story.id, "ru")) == len(english) + 1  # kept for history
