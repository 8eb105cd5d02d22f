"""What a desk run and a paragraph's save cost in SQL statements: a constant number of
set-based queries, the same on the 13-paragraph seed story as on a 200-paragraph one."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.app_helpers import paragraph_boxes, paragraph_button, read_db
from tests.long_story import first_in_state, long_story, open_desk, statements
from workflow.database import open_database
from workflow.desk import desk_rows, read_version_desk, version_head
from workflow.models import Story, Translation
from workflow.states import TranslationState

LONG = 200
MOST_PER_RUN = 30  # the bound for one run of the desk, whatever the view
VIEWS = ("read", "en", "ru", "uk")
# What a database can store: UTF-8 (no lone surrogates), and no NUL (PostgreSQL refuses it).
STORABLE = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))


@pytest.fixture
def stories(demo_db) -> dict[str, int]:
    """The demo's seed story, and a 13-paragraph and a 200-paragraph story made alike, beside
    it in the app's database."""
    engine = open_database(demo_db)
    with Session(engine) as session:
        seed = session.exec(select(Story.id)).one()
        short, long = long_story(session, 13).id, long_story(session, LONG).id
    engine.dispose()
    return {"seed": seed, "short": short, "long": long}


def _run_cost(at, view: str) -> int:
    at.radio(key="desk_view").set_value(view).run()
    with statements() as sent:
        at.run()
    assert not at.exception, at.exception
    return len(sent)


@pytest.mark.parametrize("who", ["Olena Shevchuk", "Irina Sokolova", "Desk Admin"])
def test_a_desk_run_costs_the_same_few_statements_on_a_long_story(stories, who):
    at = open_desk(who, stories["long"], "read")
    long = {view: _run_cost(at, view) for view in VIEWS}
    at.selectbox(key="story_id").set_value(stories["seed"]).run()
    seed = {view: _run_cost(at, view) for view in VIEWS}

    assert max(long.values()) <= MOST_PER_RUN, long
    assert long == seed


def test_a_save_costs_the_same_statements_on_a_long_story(stories):
    def cost_of_a_save(story_id: int) -> int:
        # The same paragraph of two stories made alike: the second one translated.
        tid = read_db(lambda s: first_in_state(s, story_id, "uk", TranslationState.TRANSLATED))
        at = open_desk("Olena Shevchuk", story_id, "uk")
        box = at.text_area(key=f"text-{tid}")
        box.input(box.value + " Оновлено.").run()  # its figures kept: no new flag
        with statements() as sent:
            paragraph_button(at, "Save", tid).click().run()
        assert not at.exception
        assert [b.key for b in paragraph_boxes(at)] == [f"text-{tid}"]  # the paragraph alone
        return len(sent)

    assert cost_of_a_save(stories["long"]) == cost_of_a_save(stories["short"])


def test_reading_one_paragraph_costs_what_it_costs_on_a_short_story(session):
    from workflow.demo import load_demo

    load_demo(session, week=False)
    short, long = long_story(session, 13), long_story(session, LONG)
    costs = []
    for story in (short, long):
        last = desk_rows(session, story.id)[-1]
        with statements() as sent:
            (row,) = desk_rows(session, story.id, paragraph_id=last.paragraph_id)
        assert row == last  # the same view of it as the whole story's read gives
        costs.append(len(sent))
    assert costs[0] == costs[1] <= 5


def test_the_head_counted_from_the_rows_agrees_with_the_database(session):
    from workflow.demo import load_demo

    seed = load_demo(session, week=False)
    assert seed is not None and seed.id is not None
    for lang in ("ru", "uk"):
        desk = read_version_desk(session, seed.id, lang)
        assert desk.head == version_head(session, seed.id, lang)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=STORABLE, draft=st.one_of(st.none(), STORABLE))
@example(text="\x01\u202e", draft="")
def test_reading_any_stored_text_never_raises_and_one_paragraph_reads_as_the_story_does(
    session, text, draft
):
    from workflow.demo import load_demo

    seed = load_demo(session, week=False) or session.exec(select(Story)).first()
    assert seed is not None and seed.id is not None
    stored = session.exec(
        select(Translation).where(Translation.story_id == seed.id, Translation.lang == "uk")
    ).first()
    assert stored is not None
    stored.text, stored.draft_text = text, draft
    session.add(stored)
    session.commit()

    rows = desk_rows(session, seed.id)
    (one,) = desk_rows(session, seed.id, paragraph_id=stored.paragraph_id)
    assert one in rows and one.translations["uk"].text == text
    desk = read_version_desk(session, seed.id, "uk")
    assert desk.head.progress == version_head(session, seed.id, "uk").progress
