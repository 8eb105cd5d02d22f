"""The figures behind the manager's charts, on small desks whose answers are counted by hand."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from sqlmodel import text as sql

from tests.conftest import translations
from workflow.demo import load_demo
from workflow.formats import ParsedStory
from workflow.models import Change, LanguageVersion, StalePeriod, Story
from workflow.sources import current_paragraphs, update_source
from workflow.states import Action, TranslationState, VersionState
from workflow.stories import import_story
from workflow.translations import confirm_translation, save_translation
from workflow.trends import (
    DayCount,
    approved_per_day,
    median_hours_to_approval,
    stale_backlog,
    track_stale,
    unedited_machine_share,
    work_per_person,
)
from workflow.ui.charts import backlog_chart

MONTH_AGO = datetime.now(UTC) - timedelta(days=30)
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def small_story(session, person, headline="Floods in the south") -> Story:
    parsed = ParsedStory(headline, ["Water rose by 2 metres.", "Roads are closed."])
    return import_story(session, parsed, person=person)


def periods(session, translation_id):
    return session.exec(
        select(StalePeriod).where(StalePeriod.translation_id == translation_id)
    ).all()


def translated_first_paragraph(session, people):
    """A small story whose first body paragraph Tanya translated into Russian."""
    story = small_story(session, people["editor"])
    first = translations(session, story.id, "ru")[1]
    save_translation(
        session, translation_id=first.id, text="Вода поднялась на 2 метра.",
        person=people["translator"], base_lock_version=first.lock_version,
    )  # fmt: skip
    return story, first


def test_a_stale_period_opens_when_the_english_changes_and_closes_when_confirmed(session, people):
    story, first = translated_first_paragraph(session, people)
    assert periods(session, first.id) == []
    english = [p.text for p in current_paragraphs(session, story.id)]
    english[1] = "Water rose by 3 metres."
    update_source(session, story_id=story.id, paragraphs=english, person=people["editor"])
    (opened,) = periods(session, first.id)
    assert opened.lang == "ru" and opened.ended_at is None
    session.refresh(first)
    save_translation(
        session, translation_id=first.id, text="Вода поднялась на 3 метра.",
        person=people["translator"], base_lock_version=first.lock_version,
    )  # fmt: skip
    (closed,) = periods(session, first.id)
    assert closed.ended_at is not None
    # A second change, then a confirmation by the editor: a second period, closed again.
    english[1] = "Water rose by 3 metres overnight."
    update_source(session, story_id=story.id, paragraphs=english, person=people["editor"])
    session.refresh(first)
    assert [p.ended_at is None for p in periods(session, first.id)] == [False, True]
    confirm_translation(session, translation_id=first.id, person=people["editor"])
    assert all(p.ended_at is not None for p in periods(session, first.id))


def test_the_stale_backlog_is_a_running_count_per_day(session, people):
    story = small_story(session, people["editor"])
    ru = translations(session, story.id, "ru")
    uk = translations(session, story.id, "uk")
    day = NOON - timedelta(days=5)
    # ru: two went stale before the window, one of them fixed on day 2; a third on day 3.
    # uk: one went stale on day 1 and was fixed the same day.
    session.add_all(
        [
            StalePeriod(translation_id=ru[0].id, story_id=story.id, lang="ru",
                        started_at=day - timedelta(days=3), ended_at=day + timedelta(days=2)),
            StalePeriod(translation_id=ru[1].id, story_id=story.id, lang="ru",
                        started_at=day - timedelta(days=1)),
            StalePeriod(translation_id=ru[2].id, story_id=story.id, lang="ru",
                        started_at=day + timedelta(days=3)),
            StalePeriod(translation_id=uk[0].id, story_id=story.id, lang="uk",
                        started_at=day + timedelta(days=1),
                        ended_at=day + timedelta(days=1, hours=3)),
        ]
    )  # fmt: skip
    session.commit()
    points = stale_backlog(session, day)
    d = day.date()
    assert points == [
        DayCount(d, "ru", 2),  # at the start of the window
        DayCount(d + timedelta(days=2), "ru", 1),
        DayCount(d + timedelta(days=3), "ru", 2),
        DayCount(d, "uk", 0),
        DayCount(d + timedelta(days=1), "uk", 0),  # one up and one down the same day
    ]


def test_approvals_are_counted_per_day_and_language(session):
    load_demo(session, week=False)
    today = datetime.now(UTC).date()
    assert approved_per_day(session, MONTH_AGO) == [
        DayCount(today, "ru", 11),
        DayCount(today, "uk", 2),
    ]
    # Three of the Russian approvals were made two days ago.
    old = session.exec(
        select(Change).where(Change.action == Action.APPROVE, Change.lang == "ru").limit(3)
    ).all()
    for change in old:
        change.created_at = datetime.now(UTC) - timedelta(days=2)
        session.add(change)
    session.commit()
    assert approved_per_day(session, MONTH_AGO) == [
        DayCount(today - timedelta(days=2), "ru", 3),
        DayCount(today, "ru", 8),
        DayCount(today, "uk", 2),
    ]
    assert approved_per_day(session, datetime.now(UTC) - timedelta(days=1)) == [
        DayCount(today, "ru", 8),
        DayCount(today, "uk", 2),
    ]


def approved_after(session, person, hours: float, lang: str, again_after: float = 0) -> None:
    story = small_story(session, person, f"Story approved after {hours} hours")
    story.created_at = NOON
    session.add(story)
    for after in [hours, again_after] if again_after else [hours]:
        session.add(
            Change(story_id=story.id, lang=lang, action=Action.APPROVE_VERSION,
                   person_id=person.id, created_at=NOON + timedelta(hours=after))
        )  # fmt: skip
    session.commit()


def test_the_median_time_from_import_to_approval(session, people):
    editor = people["editor"]
    for hours in (2, 10, 4):
        approved_after(session, editor, hours, "ru")
    approved_after(session, editor, 1, "uk", again_after=50)  # the first approval counts
    approved_after(session, editor, 3, "uk")
    (ru, uk) = median_hours_to_approval(session, NOON - timedelta(days=1))
    assert (ru.lang, ru.median_hours, ru.versions) == ("ru", pytest.approx(4), 3)
    assert (uk.lang, uk.median_hours, uk.versions) == ("uk", pytest.approx(2), 2)
    assert median_hours_to_approval(session, NOON + timedelta(days=5)) == []


def test_work_per_person_counts_each_paragraph_once_per_kind(session):
    load_demo(session, week=False)
    work = {(w.person, w.kind): w.paragraphs for w in work_per_person(session, MONTH_AGO)}
    assert work == {
        ("Dmitri Volkov", "translated"): 13,
        ("Olena Shevchuk", "translated"): 6,
        ("Irina Sokolova", "approved"): 13,
        ("Irina Sokolova", "sent back"): 1,
    }
    assert work_per_person(session, datetime.now(UTC) + timedelta(days=1)) == []


def test_the_share_of_machine_text_published_unedited(session, people):
    story = small_story(session, people["editor"])
    draft = "Вода поднялась на 2 метра."
    texts = [  # (text, draft, origin)
        (draft, draft, "machine:google"),  # published as the engine wrote it
        ("Вода поднялась на два метра.", draft, "machine:google"),  # edited
        ("Дороги закрыты.", None, ""),  # written by a person
    ]
    for translation, (text, drafted, origin) in zip(
        translations(session, story.id, "ru"), texts, strict=True
    ):
        translation.text, translation.draft_text, translation.draft_origin = text, drafted, origin
        translation.state = TranslationState.APPROVED
        session.add(translation)
    version = session.exec(
        select(LanguageVersion).where(
            LanguageVersion.story_id == story.id, LanguageVersion.lang == "ru"
        )
    ).one()
    version.state = VersionState.PUBLISHED
    session.add(version)
    session.commit()
    (ru,) = unedited_machine_share(session, MONTH_AGO)
    assert (ru.lang, ru.machine, ru.unedited) == ("ru", 2, 1) and ru.share == 0.5
    assert unedited_machine_share(session, datetime.now(UTC) + timedelta(days=1)) == []


def test_two_processes_cannot_both_open_a_period_for_one_translation(session, people):
    story, first = translated_first_paragraph(session, people)
    english = [p.text for p in current_paragraphs(session, story.id)]
    english[1] = "Water rose by 3 metres."
    update_source(session, story_id=story.id, paragraphs=english, person=people["editor"])
    session.refresh(first)
    paragraph = current_paragraphs(session, story.id)[1]
    # A second process that read "no open period" before the first committed:
    track_stale(session, first, paragraph, open_ids=set())
    session.commit()
    assert [p.ended_at for p in periods(session, first.id)] == [None]


def test_a_day_is_a_utc_day_whatever_the_database_session_zone(session, people):
    if session.get_bind().dialect.name == "postgresql":
        session.exec(sql("SET TIME ZONE 'Asia/Tokyo'"))  # UTC+9: 20:30 UTC is tomorrow there
    story = small_story(session, people["editor"])
    late = datetime(2026, 3, 10, 20, 30, tzinfo=UTC)
    headline = translations(session, story.id, "ru")[0]
    session.add(
        Change(story_id=story.id, lang="ru", translation_id=headline.id, action=Action.APPROVE,
               person_id=people["editor"].id, created_at=late)
    )  # fmt: skip
    session.commit()
    assert approved_per_day(session, late - timedelta(days=1)) == [DayCount(late.date(), "ru", 1)]


def test_each_language_of_the_backlog_is_carried_on_to_today():
    today = datetime(2026, 3, 30, tzinfo=UTC).date()
    first = today - timedelta(days=29)
    points = [
        DayCount(first, "ru", 0),
        DayCount(today, "ru", 2),  # Russian changed today
        DayCount(first, "uk", 3),
        DayCount(first + timedelta(days=4), "uk", 4),  # Ukrainian last changed weeks ago
    ]
    data = backlog_chart(points, first, today).to_dict()["data"]["values"]
    ukrainian = [row for row in data if row["language"] == "Ukrainian"]
    assert ukrainian[-1] == {"day": today.isoformat(), "language": "Ukrainian", "stale": 4}
    assert sum(1 for row in data if row["language"] == "Russian") == 2  # no repeat of today
