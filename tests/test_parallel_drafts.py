"""Drafting off the page: several engine requests at once against a loopback engine, rate limits
that slow the run down, memory that still fills paragraphs when the engine is down, the job
that runs it all, and the memory index behind the suggestions."""

import time
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.conftest import SEED_BYTES, stand_in_for, translations
from tests.libre_server import down_url, libre_traffic
from workflow.database import open_database
from workflow.desk import desk_rows
from workflow.draft_jobs import draft_handlers, enqueue_draft, latest_draft
from workflow.drafts import draft_version
from workflow.errors import PermissionDenied
from workflow.formats import read_story_file
from workflow.machinery.libre import LibreEngine
from workflow.machinery.pool import EnginePool
from workflow.memory import SIMILAR_MEMORY, MemoryIndex
from workflow.models import JobState, MemoryUnit, Suggestion, Translation
from workflow.presence import beat, focus
from workflow.sources import current_paragraphs
from workflow.states import TranslationState as T
from workflow.stories import import_story
from workflow.translations import approve_translation, save_translation
from workflow.unsaved import keep_unsaved
from workflow.vocabulary import Origin
from workflow.worker import Worker

SEED = read_story_file(SEED_BYTES)


def test_paragraphs_are_drafted_several_at_once_each_into_its_own_paragraph(session, story):
    with libre_traffic(latency=0.2) as (url, traffic):
        report = draft_version(
            session, story_id=story.id, lang="ru", engine=LibreEngine(url=url), person=None,
            workers=4,
        )  # fmt: skip

    assert report.fault is None and report.drafted == 13 and report.sent == 13
    assert traffic.most_in_flight > 1 and 1 < report.most_in_flight <= 4
    for row in desk_rows(session, story.id):
        assert row.translations["ru"].text == f"[ru] {row.english}"  # its own, not a neighbour's


def test_a_draft_never_lands_in_a_box_someone_is_typing_in(session, people, story):
    """Olena types in one empty paragraph (not saved yet, focus in the box) and left unsaved
    text in another while her drafts run: both get the draft beside her box, not under it."""
    typing, left, free = translations(session, story.id, "ru")[1:4]
    tanya = people["translator"]
    beat(session, desk="tab-1", person=tanya, story_id=story.id, view="ru")
    assert focus(
        session, desk="tab-1", person=tanya, translation_id=typing.id, focused=True, typed=True
    )
    keep_unsaved(
        session, person_id=tanya.id, translation_id=left.id, text="Кирби",
        base_text="", base_lock_version=left.lock_version,
    )  # fmt: skip
    with libre_traffic() as (url, _):
        report = draft_version(
            session, story_id=story.id, lang="ru", engine=LibreEngine(url=url), person=tanya
        )
    session.expire_all()
    for kept in (typing, left):
        assert session.get(Translation, kept.id).text == ""
        (beside,) = session.exec(select(Suggestion).where(Suggestion.translation_id == kept.id))
        assert beside.text.startswith("[ru] ")
    assert session.get(Translation, free.id).text.startswith("[ru] ")
    assert report.drafted == 11 and report.suggested == 2


def test_unsaved_text_of_someone_long_gone_keeps_no_draft_out(session, people, story):
    left = translations(session, story.id, "ru")[1]
    keep_unsaved(
        session, person_id=people["translator"].id, translation_id=left.id, text="Кирби",
        base_text="", base_lock_version=left.lock_version,
    )  # fmt: skip  # and she closed the desk a week ago: no presence
    with libre_traffic() as (url, _):
        draft_version(
            session, story_id=story.id, lang="ru", engine=LibreEngine(url=url), person=None
        )
    session.expire_all()
    assert session.get(Translation, left.id).text.startswith("[ru] ")


def test_a_rate_limit_slows_drafting_down_instead_of_failing_it(session, story, monkeypatch):
    monkeypatch.setattr(EnginePool, "first_pause", 0.05)
    with libre_traffic(latency=0.05, most_at_once=2) as (url, traffic):
        report = draft_version(
            session, story_id=story.id, lang="uk", engine=LibreEngine(url=url), person=None,
            workers=8,
        )  # fmt: skip

    assert traffic.refused > 0 and report.rate_limited > 0
    assert report.fault is None and report.drafted == 13 and report.left == 0
    assert "asked to slow down" in report.summary()


def approve_all(session, people, story, lang: str = "ru") -> None:
    """Every paragraph of the story's version translated and approved: memory for the next."""
    for t in translations(session, story.id, lang):
        saved = save_translation(
            session, translation_id=t.id, text=stand_in_for(session, t),
            person=people["translator"], base_lock_version=t.lock_version,
        )  # fmt: skip
        approve_translation(session, translation_id=saved.id, person=people["editor"])


def test_with_the_engine_down_every_memory_match_is_still_offered(session, people, story):
    approve_all(session, people, story)
    english = [p.text for p in current_paragraphs(session, story.id)]
    # A second story: the first four paragraphs the same English (memory has them), then a
    # corrected figure (memory has something similar), then what memory has never seen.
    assert "2,000" in english[4]
    changed = [*english[:4], english[4].replace("2,000", "2,500")] + [
        f"New paragraph {n} the memory has never seen." for n in range(4)
    ]
    second = import_story(
        session, read_story_file("\n\n".join(changed).encode()), person=people["editor"]
    )

    report = draft_version(
        session, story_id=second.id, lang="ru", engine=LibreEngine(url=down_url()), person=None
    )

    rows = desk_rows(session, second.id)
    assert report.from_memory == 4 and report.drafted == 4
    assert [row.translations["ru"].origin for row in rows[:4]] == [Origin.MEMORY] * 4
    similar = session.exec(
        select(Suggestion).where(Suggestion.translation_id == rows[4].translations["ru"].id)
    ).all()
    assert [(s.origin, s.source_text) for s in similar] == [(Origin.MEMORY, english[4])]
    assert report.left == 5 and "LibreTranslate: cannot be reached" in report.summary()
    assert "could not draft 5 paragraphs" in report.summary()


def test_a_draft_job_drafts_the_version_and_notes_its_progress(session, people, story, monkeypatch):
    monkeypatch.setenv("LOCKSTEP_MT_ENGINE", "fake")
    job = enqueue_draft(session, story_id=story.id, lang="uk", person=people["translator_uk"])
    worker = Worker(session.get_bind(), draft_handlers())

    assert worker.run_until_idle() == 1

    done = latest_draft(session, story.id, "uk")
    assert done is not None and done.id == job.id
    assert (done.state, done.done, done.total, done.error) == (JobState.DONE, 13, 13, "")
    assert "13 drafted" in done.result
    states = {row.translations["uk"].state for row in desk_rows(session, story.id)}
    assert states == {T.MACHINE_DRAFT}


def test_a_draft_job_is_refused_at_once_to_someone_who_may_not_draft(session, people, story):
    with pytest.raises(PermissionDenied):
        enqueue_draft(session, story_id=story.id, lang="ru", person=people["manager"])
    assert latest_draft(session, story.id, "ru") is None


def test_a_suggestion_from_a_translation_no_longer_approved_is_never_offered(
    session, people, story
):
    approve_all(session, people, story)
    english = current_paragraphs(session, story.id)[4].text
    index = MemoryIndex.for_database(session, "ru")
    assert index.similar(session, english.replace("2,000", "2,500"), exclude=0)

    t = translations(session, story.id, "ru")[4]
    save_translation(
        session,
        translation_id=t.id,
        text=stand_in_for(session, t, "Правка"),
        person=people["editor"],
        base_lock_version=t.lock_version,
    )  # fmt: skip  (an edit: the paragraph is no longer approved)

    again = MemoryIndex.for_database(session, "ru")
    assert again is index  # built once, brought up to date
    assert index.similar(session, english.replace("2,000", "2,500"), exclude=0) == []


def remember(session: Session, lang: str, english: list[str], words: str) -> None:
    """Memory units for `english`, their translations `words` and the unit's number."""
    session.add_all(
        MemoryUnit(
            lang=lang,
            source_text=text,
            source_fingerprint=str(n),
            target=f"{words} {n}",
            target_fingerprint=str(n),
        )
        for n, text in enumerate(english)
    )
    session.commit()


def test_a_large_memory_finds_an_edited_paragraph_through_its_words(session):
    units = [
        f"Update {n}: officials in region {n % 97} said {n} residents left their homes overnight."
        for n in range(MemoryIndex.SCORE_WHOLE_UP_TO + 500)
    ]
    remember(session, "uk", units, "Переклад")
    found = MemoryIndex.for_database(session, "uk").similar(
        session, "Update 1234: officials in region 70 said 1,234 residents left homes overnight.", 0
    )
    assert found and found[0][0] == "Переклад 1234"
    assert all(SIMILAR_MEMORY <= match < 100 for _, _, match in found)


@cache
def _memory() -> Session:
    """A small memory shared by the property's examples (Hypothesis reruns the test body)."""
    engine = open_database("sqlite://")
    session = Session(engine)
    remember(session, "ru", SEED.all_paragraphs, "Перевод")
    return session


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300) | st.sampled_from(SEED.all_paragraphs).map(lambda p: p + " Indeed."))
def test_similar_memory_never_fails_on_any_english(english):
    session = _memory()
    for text, source, match in MemoryIndex.for_database(session, "ru").similar(session, english, 0):
        assert SIMILAR_MEMORY <= match < 100 and text.startswith("Перевод")
        assert source in SEED.all_paragraphs


def test_a_run_that_stops_sends_nothing_more():
    from workflow.machinery.fake import FakeEngine

    class Slow(FakeEngine):
        def translate_piece(self, text: str, target: str) -> str:
            time.sleep(0.1)
            return super().translate_piece(text, target)

    engine = Slow()
    pool = EnginePool(engine, size=2)
    for n in range(20):
        pool.submit(n, f"Paragraph {n}.", "ru")
    pool.close()  # as when the job is taken over by another worker
    assert len(engine.sent) <= 4  # those already in flight, no more
