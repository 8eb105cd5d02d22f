"""A week of desk history for the demo: about twenty generated stories in every state a desk
sees (in translation, late, sent back, in review, approved, published, stale after an English
correction, outdated), made by the demo's people through the same domain functions the desk
and the command line call, so every chart, My work list and audit entry is real.

The text is written from the word lists in `phrases`, with a seeded random generator: the same
week every time. Times are spread over the seven days before the load: each action runs inside
`clock_at`, the domain's clock seam, so the desk records its time as that moment. Due times are
set against the real clock, so what is late is late when the desk opens.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from random import Random

from sqlmodel import Session, col, select

from workflow.assignments import assign
from workflow.demo.phrases import (
    OFFICIALS,
    PLACES,
    REQUEST_CHANGES_COMMENTS,
    SAID,
    SEND_BACK_COMMENTS,
    TOPICS,
    Topic,
    Words,
)
from workflow.formats.base import ParsedStory
from workflow.models import Person, Story, Translation, clock_at
from workflow.sources import update_source
from workflow.stories import import_story
from workflow.translations import mark_translated, save_translation, send_back, store_draft
from workflow.versions import approve_version, publish_version, request_changes, submit_version

SEED = 20260101  # the week is the same on every desk
DAYS = 7
LANGS = ("ru", "uk")
FIRST_SLOT = re.compile(r"\{([a-z])\}")


class Fate(StrEnum):
    """Where one language version of a generated story ends its week."""

    UNASSIGNED = "nobody holds it yet"
    ASSIGNED = "assigned, not started"
    IN_TRANSLATION = "in translation"
    LATE = "in translation, past its due time"
    SENT_BACK = "a paragraph sent back"
    CHANGES_REQUESTED = "sent back with a request for changes"
    IN_REVIEW = "in review"
    APPROVED = "approved"
    PUBLISHED = "published"


F = Fate
# One row a story, oldest first: the Russian and Ukrainian fates, and whether the English is
# corrected after the work (a figure changes): approved and published versions become outdated,
# translated paragraphs stale.
WEEK: tuple[tuple[Fate, Fate, bool], ...] = (
    (F.PUBLISHED, F.PUBLISHED, False),
    (F.PUBLISHED, F.PUBLISHED, False),
    (F.PUBLISHED, F.PUBLISHED, True),
    (F.PUBLISHED, F.PUBLISHED, False),
    (F.PUBLISHED, F.APPROVED, False),
    (F.PUBLISHED, F.PUBLISHED, False),
    (F.APPROVED, F.PUBLISHED, True),
    (F.PUBLISHED, F.PUBLISHED, False),
    (F.APPROVED, F.APPROVED, False),
    (F.IN_REVIEW, F.SENT_BACK, False),
    (F.IN_REVIEW, F.IN_REVIEW, False),
    (F.SENT_BACK, F.IN_REVIEW, False),
    (F.CHANGES_REQUESTED, F.IN_TRANSLATION, False),
    (F.IN_REVIEW, F.IN_TRANSLATION, True),
    (F.IN_TRANSLATION, F.LATE, False),
    (F.LATE, F.LATE, False),
    (F.IN_TRANSLATION, F.IN_TRANSLATION, True),
    (F.IN_REVIEW, F.IN_REVIEW, False),
    (F.IN_TRANSLATION, F.ASSIGNED, False),
    (F.UNASSIGNED, F.UNASSIGNED, False),
)
SUBMITTED = {F.SENT_BACK, F.CHANGES_REQUESTED, F.IN_REVIEW, F.APPROVED, F.PUBLISHED}
UNFINISHED = {F.IN_TRANSLATION, F.LATE}


@dataclass(frozen=True)
class Cast:
    """Who does the week's work."""

    editor: Person
    translators: dict[str, Person]


class Timeline:
    """The moments one version's actions happen at: each a few minutes or hours after the
    last, never past `end`."""

    def __init__(self, start: datetime, end: datetime, rng: Random) -> None:
        self.moment, self.end, self.rng = start, end, rng

    @contextmanager
    def after(self, low: int, high: int) -> Iterator[datetime]:
        """Run the block `low` to `high` minutes after the previous action."""
        step = timedelta(minutes=self.rng.randint(low, high))
        self.moment = min(self.moment + step, self.end)
        with clock_at(self.moment) as moment:
            yield moment


@dataclass(frozen=True)
class StoryText:
    """A generated story: the English as first imported and as corrected, the translations,
    and each translation with one figure mistyped."""

    story: ParsedStory
    corrected: list[str]
    translations: dict[str, list[str]]
    mistyped: dict[str, list[str]]


def _one_step_up(topic: Topic, figures: dict[str, int], slot: str) -> dict[str, int]:
    return {**figures, slot: figures[slot] + topic.figures[slot][2]}


def _figure(value: int, lang: str) -> str:
    # English groups thousands with commas; Russian and Ukrainian with a no-break space.
    return f"{value:,}" if lang == "en" else f"{value:,}".replace(",", "\u00a0")


def write_story(rng: Random, topic: Topic, place: Words, day: datetime) -> StoryText:
    """One story of `topic` in `place`, its speaker and figures drawn from `rng`."""
    official = rng.choice(OFFICIALS)
    figures = {
        slot: rng.randrange(low, high + 1, step)
        for slot, (low, high, step) in topic.figures.items()
    }
    corrected = _one_step_up(topic, figures, topic.corrected)
    # The translator's slip: the first figure of paragraph 1 (every topic's first has one).
    mistyped = _one_step_up(topic, figures, FIRST_SLOT.findall(topic.paragraphs[0].en)[0])

    def fill(lang: str, values: dict[str, int]) -> list[str]:
        words = {
            "place": getattr(place, lang),
            "name": getattr(official.name, lang),
            "role": getattr(topic.role, lang),
            "said": getattr(SAID[official.female], lang),
        } | {slot: _figure(value, lang) for slot, value in values.items()}
        return [getattr(t, lang).format(**words) for t in (topic.headline, *topic.paragraphs)]

    english = fill("en", figures)
    story = ParsedStory(
        english[0], english[1:], section=topic.section, date_line=f"{day.day} {day:%B %Y}"
    )
    return StoryText(
        story=story,
        corrected=fill("en", corrected),
        translations={lang: fill(lang, figures) for lang in LANGS},
        mistyped={lang: fill(lang, mistyped) for lang in LANGS},
    )


def load_week(session: Session, cast: Cast, now: datetime) -> list[Story]:
    """Import and work the week's stories, the oldest first; returns them."""
    rng = Random(SEED)
    start, end = now - timedelta(days=DAYS), now - timedelta(minutes=10)
    spacing = (end - start - timedelta(hours=6)) / len(WEEK)
    stories = []
    for number, (ru, uk, corrected) in enumerate(WEEK):
        imported = start + number * spacing + timedelta(minutes=rng.randint(0, 90))
        # Six topics and seven places: no story repeats another's topic and place.
        topic, place = TOPICS[number % len(TOPICS)], PLACES[number % len(PLACES)]
        text = write_story(rng, topic, place, imported)
        with clock_at(imported):
            story = import_story(session, text.story, person=cast.editor)
        assert story.id is not None
        last = imported
        for lang, fate in zip(LANGS, (ru, uk), strict=True):
            timeline = Timeline(imported, end, rng)
            _work_version(session, story.id, lang, fate, text, cast, timeline, now)
            last = max(last, timeline.moment)
        if corrected:
            _correct(session, story.id, text, cast, Timeline(last, end, rng), now)
        stories.append(story)
    return stories


def _correct(
    session: Session, story_id: int, text: StoryText, cast: Cast, timeline: Timeline, now: datetime
) -> None:
    """The English is corrected; the editor gives each version a new due time for the work."""
    with timeline.after(40, 240):
        update_source(session, story_id=story_id, paragraphs=text.corrected, person=cast.editor)
    for lang in LANGS:
        due = now + timedelta(hours=timeline.rng.randint(2, 8))
        with timeline.after(1, 5):
            assign(
                session, story_id=story_id, lang=lang, person=cast.editor,
                translator_id=cast.translators[lang].id, reviewer_id=cast.editor.id,
                due_at=due.replace(minute=0, second=0, microsecond=0),
            )  # fmt: skip


def _due(fate: Fate, timeline: Timeline, now: datetime) -> datetime:
    rng = timeline.rng
    if fate is F.PUBLISHED:
        return timeline.moment + timedelta(hours=rng.randint(6, 14))
    if fate is F.LATE:
        return now - timedelta(hours=rng.randint(1, 6))
    return now + timedelta(hours=rng.randint(2, 10))


def _work_version(
    session: Session,
    story_id: int,
    lang: str,
    fate: Fate,
    text: StoryText,
    cast: Cast,
    timeline: Timeline,
    now: datetime,
) -> None:
    """Play one version's week up to its fate."""
    if fate is F.UNASSIGNED:
        return
    editor, translator, rng = cast.editor, cast.translators[lang], timeline.rng
    ids = session.exec(
        select(col(Translation.id))
        .where(Translation.story_id == story_id, Translation.lang == lang)
        .order_by(col(Translation.paragraph_id))
    ).all()
    with timeline.after(5, 60):
        due = _due(fate, timeline, now).replace(minute=0, second=0, microsecond=0)
        assign(
            session, story_id=story_id, lang=lang, person=editor, translator_id=translator.id,
            reviewer_id=editor.id, due_at=due,
        )  # fmt: skip
    if fate is F.ASSIGNED:
        return
    done = len(ids) if fate not in UNFINISHED else rng.randint(1, len(ids) - 2)
    # The paragraph a translator mistypes a figure in: the checks flag it, an editor sends it
    # back. Paragraph 1 holds figures in every topic.
    slip = 1 if fate in (F.SENT_BACK, F.LATE) else None
    for position, translation_id in enumerate(ids):
        assert translation_id is not None
        typed = (text.mistyped if position == slip else text.translations)[lang][position]
        if position >= done + 2:
            break
        if position >= done:  # the next paragraphs wait as machine drafts
            with timeline.after(1, 5):
                store_draft(
                    session, translation_id=translation_id, text=typed, origin="machine:google",
                    person=translator,
                )  # fmt: skip
        elif rng.random() < 0.35:  # the translator starts from a machine draft
            # The engine's draft misses a comma; half the time the translator puts it back.
            machine = typed.replace(", ", " ", 1)
            with timeline.after(2, 10):
                drafted = store_draft(
                    session, translation_id=translation_id, text=machine,
                    origin="machine:google", person=translator,
                )  # fmt: skip
            with timeline.after(2, 12):
                if machine != typed and rng.random() < 0.5:
                    save_translation(
                        session, translation_id=translation_id, text=typed, person=translator,
                        base_lock_version=drafted.lock_version,
                        draft=(machine, "machine:google"),
                    )  # fmt: skip
                else:
                    mark_translated(session, translation_id=translation_id, person=translator)
        else:
            with timeline.after(6, 35):
                save_translation(
                    session, translation_id=translation_id, text=typed, person=translator,
                    base_lock_version=0,
                )  # fmt: skip
    if fate not in SUBMITTED:
        return
    with timeline.after(5, 30):
        submit_version(session, story_id=story_id, lang=lang, person=translator)
    if fate is F.SENT_BACK:
        slipped = ids[1]
        assert slipped is not None
        with timeline.after(30, 200):
            send_back(
                session, translation_id=slipped, person=editor,
                comment=rng.choice(SEND_BACK_COMMENTS),
            )  # fmt: skip
    elif fate is F.CHANGES_REQUESTED:
        with timeline.after(30, 200):
            request_changes(
                session, story_id=story_id, lang=lang, person=editor,
                comment=rng.choice(REQUEST_CHANGES_COMMENTS),
            )  # fmt: skip
    elif fate in (F.APPROVED, F.PUBLISHED):
        with timeline.after(30, 240):
            approve_version(
                session, story_id=story_id, lang=lang, person=editor, accept_unedited=True
            )
        if fate is F.PUBLISHED:
            with timeline.after(5, 60):
                publish_version(session, story_id=story_id, lang=lang, person=editor)
