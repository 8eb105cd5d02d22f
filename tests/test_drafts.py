"""Drafting: memory first, then the engine, each English text paid for once."""

import re

import pytest
from sqlmodel import select

from tests.conftest import SEED_BYTES, stand_in, translations
from workflow.desk import desk_rows
from workflow.drafts import draft_version, set_embargo
from workflow.errors import PermissionDenied
from workflow.formats import read_story_file
from workflow.history import story_changes
from workflow.machinery.fake import FakeEngine
from workflow.models import Suggestion
from workflow.sources import current_paragraphs, update_source
from workflow.states import TranslationState as T
from workflow.stories import import_story
from workflow.translations import approve_translation, save_translation
from workflow.vocabulary import Origin

SEED = read_story_file(SEED_BYTES)
ENGLISH_CHARS = sum(len(p) for p in SEED.all_paragraphs)


@pytest.fixture
def engine():
    return FakeEngine()


def draft(session, story, engine, person=None, lang="ru"):
    return draft_version(session, story_id=story.id, lang=lang, engine=engine, person=person)


def english(session, story):
    return [p.text for p in current_paragraphs(session, story.id)]


def suggestions_of(session, translation_id: int) -> list[Suggestion]:
    return list(session.exec(select(Suggestion).where(Suggestion.translation_id == translation_id)))


def approve_cnn_line(session, people, story) -> None:
    """The story's Russian "This is reported by CNN." translated and approved: in memory."""
    t = translations(session, story.id, "ru")[2]
    save_translation(
        session, translation_id=t.id, text="Об этом сообщает CNN.",
        person=people["translator"], base_lock_version=0,
    )  # fmt: skip
    approve_translation(session, translation_id=t.id, person=people["editor"])


def test_first_draft_fills_every_empty_paragraph(session, people, story, engine):
    report = draft(session, story, engine, people["translator"])
    assert (report.paragraphs, report.sent, report.drafted) == (13, 13, 13)
    assert report.characters_sent == ENGLISH_CHARS
    rows = desk_rows(session, story.id)
    assert all(row.translations["ru"].state is T.MACHINE_DRAFT for row in rows)
    assert rows[2].translations["ru"].text == "[ru] This is reported by CNN."
    assert rows[2].translations["ru"].origin is Origin.MACHINE
    # The paragraph keeps the kind of its origin; the audit log says which engine it was.
    assert {change.comment for change, _ in story_changes(session, story.id)} >= {"machine:fake"}
    assert draft(session, story, engine).paragraphs == 0  # nothing left to draft


def test_the_same_english_is_never_paid_for_twice(session, people, story, engine):
    draft(session, story, engine)
    second = import_story(session, SEED, person=people["editor"])
    report = draft(session, second, engine)
    assert (report.sent, report.from_cache, report.characters_sent) == (0, 13, 0)
    assert len(engine.sent) == 13


def test_an_approved_translation_is_reused_from_memory(session, people, story, engine):
    approve_cnn_line(session, people, story)
    second = import_story(session, SEED, person=people["editor"])

    report = draft(session, second, engine)

    assert report.from_memory == 1 and report.sent == 12
    reused = desk_rows(session, second.id)[2].translations["ru"]
    assert (reused.text, reused.origin) == ("Об этом сообщает CNN.", "memory")
    assert ("ru", "This is reported by CNN.") not in engine.sent


def test_similar_approved_english_is_offered_with_its_match(session, people, story, engine):
    approve_cnn_line(session, people, story)
    other = read_story_file(b"Another story\n\nThis was reported by CNN.")
    second = import_story(session, other, person=people["editor"])

    draft(session, second, engine)

    target = desk_rows(session, second.id)[1].translations["ru"]
    (suggestion,) = suggestions_of(session, target.id)
    assert suggestion.origin == "memory" and 75 <= suggestion.match < 100
    assert suggestion.text == "Об этом сообщает CNN."
    assert suggestion.source_text == "This is reported by CNN."


def test_after_a_corrected_figure_only_that_sentence_is_sent(session, people, story, engine):
    draft(session, story, engine)
    paragraphs = english(session, story)
    paragraphs[4] = paragraphs[4].replace("roughly 2,000 troops", "roughly 2,500 troops")
    update_source(session, story_id=story.id, paragraphs=paragraphs, person=None)
    engine.sent.clear()

    report = draft(session, story, engine)

    assert report.paragraphs == 1 and report.sent == 1
    ((_, sent),) = engine.sent
    assert sent.startswith("The Pentagon press secretary") and "2,500" in sent
    assert "In addition" not in sent  # the paragraph's other sentence is kept, not re-sent
    redrafted = desk_rows(session, story.id)[4].translations["ru"]
    assert redrafted.text.startswith("[ru] The Pentagon") and "2,500" in redrafted.text
    assert redrafted.text.endswith("Germany were moving to Romania.")
    assert not redrafted.stale


def test_after_an_appended_sentence_only_it_is_sent(session, people, story, engine):
    draft(session, story, engine)
    paragraphs = english(session, story)
    paragraphs[2] += " The network cited two officials."
    update_source(session, story_id=story.id, paragraphs=paragraphs, person=None)
    engine.sent.clear()

    draft(session, story, engine)

    assert engine.sent == [("ru", "The network cited two officials.")]
    text = desk_rows(session, story.id)[2].translations["ru"].text
    assert text == "[ru] This is reported by CNN. [ru] The network cited two officials."


def test_a_persons_text_is_never_overwritten_only_suggested(session, people, story, engine):
    t = translations(session, story.id, "ru")[2]
    save_translation(
        session,
        translation_id=t.id,
        text="Об этом сообщает CNN.",
        person=people["translator"],
        base_lock_version=0,
    )
    paragraphs = english(session, story)
    paragraphs[2] = "This is reported by CNN and the BBC."
    update_source(session, story_id=story.id, paragraphs=paragraphs, person=None)

    report = draft(session, story, engine)

    kept = desk_rows(session, story.id)[2].translations["ru"]
    assert kept.text == "Об этом сообщает CNN." and kept.state is T.TRANSLATED
    assert report.suggested == 1
    (suggestion,) = suggestions_of(session, t.id)
    assert suggestion.text == "[ru] This is reported by CNN and the BBC."


def test_an_embargoed_story_never_reaches_an_outside_engine(session, people, story, engine):
    set_embargo(session, story_id=story.id, embargoed=True, person=people["editor"])
    report = draft(session, story, engine)
    assert engine.sent == []
    assert report.embargoed == 13 and report.drafted == 0
    assert "under embargo" in report.summary()


def test_only_editors_set_an_embargo(session, people, story):
    with pytest.raises(PermissionDenied):
        set_embargo(session, story_id=story.id, embargoed=True, person=people["translator"])


def test_a_fault_keeps_the_drafts_made_before_it(session, people, story, engine):
    calls = 0
    real = engine.translate_piece

    def flaky(text, target):
        nonlocal calls
        calls += 1
        if calls > 5:
            engine.down = True
        return real(text, target)

    engine.translate_piece = flaky
    report = draft(session, story, engine)

    assert report.drafted == 5 and report.left == 8
    assert "Test engine: cannot be reached" in report.summary()
    assert (
        "5 drafted" in report.summary() and "8 paragraphs can be drafted again" in report.summary()
    )
    states = [row.translations["ru"].state for row in desk_rows(session, story.id)]
    assert states.count(T.MACHINE_DRAFT) == 5 and states.count(T.EMPTY) == 8

    engine.down = False
    engine.translate_piece = real
    assert draft(session, story, engine).drafted == 8  # the rest, on a retry


def test_a_manager_cannot_draft(session, people, story, engine):
    with pytest.raises(PermissionDenied):
        draft(session, story, engine, people["manager"])
    assert engine.sent == []


def test_only_an_admin_chooses_the_engine(session, people):
    from workflow.machinery import EngineSettings, save_engine_choice

    with pytest.raises(PermissionDenied):
        save_engine_choice(session, engine="libre", url="http://x", person=people["editor"])
    saved = save_engine_choice(
        session, engine="libre", url="http://127.0.0.1:5000", person=people["admin"]
    )
    assert saved == EngineSettings.load(session)
    assert (saved.engine, saved.url) == ("libre", "http://127.0.0.1:5000")


def test_approving_mostly_unedited_machine_text_asks_first(session, people, story, engine):
    from workflow.errors import UneditedMachineText
    from workflow.translations import mark_translated
    from workflow.versions import approve_version, submit_version

    class RussianLooking(FakeEngine):
        """Drafts that pass the checks (the fake's own are English with a prefix)."""

        def translate_piece(self, text: str, target: str) -> str:
            return stand_in(super().translate_piece(text, target), "Машинный перевод")

    draft(session, story, RussianLooking())
    for t in translations(session, story.id, "ru"):
        mark_translated(session, translation_id=t.id, person=people["translator"])
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    with pytest.raises(UneditedMachineText, match="13 of 13 paragraphs are machine text"):
        approve_version(session, story_id=story.id, lang="ru", person=people["editor"])
    approved = approve_version(
        session, story_id=story.id, lang="ru", person=people["editor"], accept_unedited=True
    )
    assert approved.state.slug == "approved"


def test_post_editing_is_measured_against_the_draft(session, people, story, engine):
    draft(session, story, engine)
    t = translations(session, story.id, "ru")[2]
    save_translation(
        session,
        translation_id=t.id,
        text="[ru] This was reported by CNN.",
        person=people["translator"],
        base_lock_version=t.lock_version,
    )
    view = desk_rows(session, story.id)[2].translations["ru"]
    assert view.draft_origin is Origin.MACHINE and 0 < view.draft_change < 20
    assert desk_rows(session, story.id)[3].translations["ru"].unedited_machine_text


def test_suggestions_for_english_that_changed_again_are_dropped(session, people, story, engine):
    t = translations(session, story.id, "ru")[4]
    save_translation(
        session, translation_id=t.id, text="Пентагон: 2000 военных. Ещё 1000 в Румынию.",
        person=people["translator"], base_lock_version=0,
    )  # fmt: skip
    for figure in ("2,500", "2,700"):
        paragraphs = english(session, story)
        paragraphs[4] = re.sub(r"roughly [\d,]+ troops", f"roughly {figure} troops", paragraphs[4])
        update_source(session, story_id=story.id, paragraphs=paragraphs, person=None)
        draft(session, story, engine)
    offered = suggestions_of(session, t.id)
    assert [("2,700" in s.text, "2,500" in s.text) for s in offered] == [(True, False)]


def test_a_persons_text_keeps_its_other_sentences_in_the_suggestion(session, people, story, engine):
    t = translations(session, story.id, "ru")[4]
    save_translation(
        session, translation_id=t.id, text="Первое предложение. Второе предложение.",
        person=people["translator"], base_lock_version=0,
    )  # fmt: skip
    paragraphs = english(session, story)
    paragraphs[4] = paragraphs[4].replace("roughly 2,000 troops", "roughly 2,500 troops")
    update_source(session, story_id=story.id, paragraphs=paragraphs, person=None)

    draft(session, story, engine)

    (suggestion,) = suggestions_of(session, t.id)
    assert suggestion.text.startswith("[ru] The Pentagon press secretary")
    assert suggestion.text.endswith(" Второе предложение.")


def test_near_identical_english_in_memory_is_offered(session, people, story, engine):
    long_line = (
        "The troops will operate on a bilateral basis with their host countries, since NATO "
        "has not yet activated the multinational response force."
    )
    t = translations(session, story.id, "ru")[12]
    save_translation(
        session, translation_id=t.id, text="Войска будут действовать на двусторонней основе.",
        person=people["translator"], base_lock_version=0,
    )  # fmt: skip
    approve_translation(session, translation_id=t.id, person=people["editor"])
    other = read_story_file(f"Other\n\n{long_line.replace('NATO', 'NATO,')}".encode())
    second = import_story(session, other, person=people["editor"])

    draft(session, second, engine)

    target = desk_rows(session, second.id)[1].translations["ru"]
    (suggestion,) = suggestions_of(session, target.id)
    assert suggestion.origin == "memory" and suggestion.match == 99


def test_english_under_75_percent_alike_is_not_offered(session, people, story, engine):
    approve_cnn_line(session, people, story)
    other = read_story_file(b"Other\n\nThis was said by the BBC today.")
    second = import_story(session, other, person=people["editor"])
    draft(session, second, engine)
    target = desk_rows(session, second.id)[1].translations["ru"]
    assert suggestions_of(session, target.id) == []


def test_a_person_saving_during_a_run_keeps_their_text(session, people, story, engine):
    t = translations(session, story.id, "ru")[3]
    saved = False

    def translator_saves_meanwhile(done, total):
        # After the run read the version, before it wrote anything: as a save at the desk
        # while the engine is being asked.
        nonlocal saved
        if not saved:
            saved = True
            save_translation(
                session, translation_id=t.id, text="По данным агентства...",
                person=people["translator"], base_lock_version=0,
            )  # fmt: skip

    report = draft_version(
        session, story_id=story.id, lang="ru", engine=engine, person=None,
        progress=translator_saves_meanwhile,
    )  # fmt: skip

    assert report.fault is None and report.drafted == 12 and report.suggested == 1
    assert desk_rows(session, story.id)[3].translations["ru"].text == "По данным агентства..."


def test_progress_is_reported_paragraph_by_paragraph(session, people, story, engine):
    seen = []
    draft_version(
        session, story_id=story.id, lang="uk", engine=engine, person=None,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert seen == [(n, 13) for n in range(14)]


def test_a_refused_draft_moves_on_and_undoes_nothing_else(
    session, people, story, engine, monkeypatch
):
    from workflow import drafts
    from workflow.errors import InvalidTransition
    from workflow.models import MachineDraft, Story

    refused = translations(session, story.id, "ru")[3]
    # the engine's answer for that paragraph is cached, so nothing commits before the refusal
    english_of = english(session, story)[3]
    session.add(
        MachineDraft(
            engine=engine.cache_name,
            lang="ru",
            source_hash=drafts.source_hash(english_of),
            text="x",
        )
    )
    session.commit()
    real = drafts.store_draft

    def refuse_one(session, *, translation_id, **kw):
        if translation_id == refused.id:
            raise InvalidTransition("Someone saved this paragraph first.")
        return real(session, translation_id=translation_id, **kw)

    def caller_changes_the_headline(done, total):
        if done == 3:  # a change the caller holds, not yet committed, when the refusal comes
            session.get(Story, story.id).headline = "Kept headline"

    monkeypatch.setattr(drafts, "store_draft", refuse_one)
    report = draft_version(
        session, story_id=story.id, lang="ru", engine=engine, person=None,
        progress=caller_changes_the_headline,
    )  # fmt: skip

    assert report.drafted == 12 and report.fault is None
    rows = desk_rows(session, story.id)
    assert rows[3].translations["ru"].state is T.EMPTY
    assert rows[4].translations["ru"].state is T.MACHINE_DRAFT
    session.expire_all()
    assert session.get(Story, story.id).headline == "Kept headline"
