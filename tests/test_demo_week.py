"""The demo's generated week: every state a desk sees, My work for each demo person, a week of
points in the manager's charts, the seed story still first, and the same week every time."""

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from tests.app_helpers import open_app
from workflow.assignments import my_work
from workflow.checks.base import Pair, run_checks
from workflow.database import open_database
from workflow.demo import load_demo
from workflow.demo.phrases import PLACES, TOPICS
from workflow.demo.week import SEED, WEEK, write_story
from workflow.models import (
    Change,
    Job,
    LanguageVersion,
    Notification,
    Person,
    Story,
    clock_at,
    utcnow,
)
from workflow.notify.news import NOTIFY
from workflow.progress import status_report, version_totals
from workflow.states import Action, TranslationState, VersionState
from workflow.stories import list_stories
from workflow.trends import desk_trends

V = VersionState


@pytest.fixture(scope="module")
def week_url(tmp_path_factory) -> str:
    """The whole demo, as the app loads it on first start, in one database for the module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('week') / 'demo.db'}"
    engine = open_database(url)
    with Session(engine) as session:
        load_demo(session)
    engine.dispose()
    return url


@pytest.fixture
def week(week_url):
    engine = open_database(week_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_the_demo_holds_the_seed_story_and_a_week_of_twenty_more(week):
    stories = week.exec(select(Story).order_by(col(Story.id))).all()
    assert len(stories) == 1 + len(WEEK) == 21
    assert stories[0].headline.startswith("The US has approved")
    oldest = min(s.created_at for s in stories[1:]).replace(tzinfo=UTC)
    assert timedelta(days=6) < utcnow() - oldest <= timedelta(days=7)


def test_loading_the_demo_tells_nobody_of_a_week_that_already_happened(week):
    """The first start of a desk with a mail server must not e-mail its people a hundred
    assignments, approvals and urgent corrections from the invented week."""
    assert week.exec(select(Notification)).all() == []
    assert week.exec(select(Job).where(Job.kind == NOTIFY)).all() == []


def test_every_version_state_is_in_the_demo_in_the_counts_it_was_written_for(week):
    totals = version_totals(week)
    assert totals["ru"] == {
        V.IN_TRANSLATION: 7, V.IN_REVIEW: 5, V.APPROVED: 1, V.PUBLISHED: 6, V.OUTDATED: 2
    }  # fmt: skip
    assert totals["uk"] == {
        V.IN_TRANSLATION: 9, V.IN_REVIEW: 3, V.APPROVED: 2, V.PUBLISHED: 5, V.OUTDATED: 2
    }  # fmt: skip


def test_the_demo_has_late_sent_back_and_stale_work(week):
    now = utcnow()
    versions = week.exec(select(LanguageVersion)).all()
    late = [
        v
        for v in versions
        if v.due_at and v.due_at.replace(tzinfo=UTC) < now and v.state is V.IN_TRANSLATION
    ]
    assert len(late) == 4  # three generated and the seed story's Ukrainian
    report = {
        (row["id"], lang): figures
        for row in status_report(week)
        for lang, figures in row["languages"].items()
    }
    sent_back = [key for key, f in report.items() if f["counts"]["needs_editing"]]
    assert len(sent_back) == 3  # two paragraphs an editor sent back, and the seed's
    stale_in_work = [key for key, f in report.items() if f["stale"] and f["state"] != "outdated"]
    assert len(stale_in_work) == 6  # two corrected stories in work, and the seed story
    requested = week.exec(select(Change).where(Change.action == str(Action.REQUEST_CHANGES))).all()
    assert len(requested) == 1


@pytest.mark.parametrize("name", ["Dmitri Volkov", "Olena Shevchuk", "Irina Sokolova"])
def test_my_work_is_full_for_every_demo_person_who_does_the_work(week, name):
    person = week.exec(select(Person).where(Person.name == name)).one()
    items = my_work(week, person)
    assert len(items) >= 5
    assert len({item.story_id for item in items}) >= 5


def test_the_managers_charts_have_points_on_most_days_of_the_week(week):
    trends = desk_trends(week, since=utcnow() - timedelta(days=7))
    assert len({row.day for row in trends.approved}) >= 4
    assert len({row.day for row in trends.backlog}) >= 4
    assert {row.person for row in trends.work} >= {"Dmitri Volkov", "Olena Shevchuk"}
    assert trends.turnaround and trends.machine


def test_the_audit_log_spreads_over_the_week(week):
    days = {
        c.created_at.date() for c in week.exec(select(Change).where(col(Change.story_id) > 1)).all()
    }
    assert len(days) >= 6


def test_the_seed_story_is_the_one_the_desk_opens_first(week):
    first = list_stories(week)[0]
    assert first.id == 1 and first.headline.startswith("The US has approved")


def test_the_progress_page_shows_the_whole_week(week_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", week_url)
    at = open_app("Tom Reyes", page="workflow/ui/progress.py")
    assert any("42 story versions" in c.value for c in at.caption)
    (frame,) = at.dataframe
    assert Counter(frame.value["State"])["Published"] == 11


def test_the_week_is_the_same_on_every_desk():
    day = datetime(2026, 1, 5, tzinfo=UTC)
    first = write_story(Random(SEED), TOPICS[0], PLACES[0], day)
    again = write_story(Random(SEED), TOPICS[0], PLACES[0], day)
    assert first == again


@settings(deadline=None, max_examples=30)  # each example runs every check on ten paragraphs
@given(
    seed=st.integers(min_value=0),
    topic=st.sampled_from(TOPICS),
    place=st.sampled_from(PLACES),
)
def test_generated_translations_carry_every_figure_and_a_slip_is_caught(seed, topic, place):
    text = write_story(Random(seed), topic, place, datetime(2026, 1, 5, tzinfo=UTC))
    english = text.story.all_paragraphs
    for lang in ("ru", "uk"):
        for source, target in zip(english, text.translations[lang], strict=True):
            findings = run_checks(Pair(source, target, lang))
            assert not [f for f in findings if f.severity == "error"], (target, findings)
        slip = run_checks(Pair(english[1], text.mistyped[lang][1], lang))
        assert any(f.code == "numbers" for f in slip)
    assert text.corrected != english


def test_a_held_clock_is_seen_only_inside_its_block_and_its_thread():
    moment = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    seen_elsewhere: list[datetime] = []
    with clock_at(moment):
        assert utcnow() == moment
        worker = threading.Thread(target=lambda: seen_elsewhere.append(utcnow()))
        worker.start()
        worker.join()
    assert seen_elsewhere[0] > moment + timedelta(days=300)
    assert utcnow() > moment + timedelta(days=300)


def test_the_week_holds_paragraphs_in_every_state(week):
    counts: Counter[str] = Counter()
    for row in status_report(week):
        for figures in row["languages"].values():
            counts.update(figures["counts"])
    assert all(counts[state.slug] > 0 for state in TranslationState)
