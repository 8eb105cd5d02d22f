"""Drafts that are paid for once: translation memory first, then a machine engine.

For every paragraph of a language version that is empty or stale:

1. an approved translation of the identical English in any story is reused (100% memory match),
   without calling any engine; approved translations of similar English (75% or more) are
   offered as suggestions with their match and the English difference;
2. otherwise the engine is asked, unless the story is embargoed and the engine is outside; its
   answers are cached by (engine, language, normalised English), so nothing is paid for twice;
   when a stale paragraph changed by one edited or added sentence, only that sentence is sent
   and the rest of the existing translation is kept;
3. text a person wrote is never overwritten: a draft for it becomes a suggestion beside it.

A fault stops the run: drafts made before it are kept (each is committed on its own) and the
rest can be drafted again later.
"""

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, func, select

from workflow import LANGUAGES
from workflow.desk import DeskRow, TranslationView, desk_rows
from workflow.errors import EditConflict, InvalidTransition, NotFound
from workflow.machinery import Engine, MachineryError
from workflow.machinery.base import sentences
from workflow.models import (
    MachineDraft,
    MemoryUnit,
    Person,
    SourceParagraph,
    Story,
    Suggestion,
    Translation,
)
from workflow.progress import version_progress
from workflow.queries import in_step, with_paragraphs
from workflow.records import Line, Record, RecordKind
from workflow.segmentation import comparison_key, fingerprint
from workflow.states import Action, TranslationState, authorize
from workflow.translations import store_draft
from workflow.vocabulary import Origin
from workflow.writes import apply

SIMILAR_MEMORY = 75  # % similarity of the English for a memory suggestion
MEMORY_CANDIDATES = 5_000  # most recent approved paragraphs searched for similar English


@dataclass
class DraftReport:
    """What one drafting run did for one language."""

    lang: str
    paragraphs: int = 0  # paragraphs that needed a draft
    sent: int = 0  # paragraphs (or sentences) sent to the engine
    characters_sent: int = 0
    from_memory: int = 0
    from_cache: int = 0
    drafted: int = 0  # drafts put into empty or machine paragraphs
    suggested: int = 0  # suggestions offered beside a person's text
    embargoed: int = 0  # paragraphs the embargo kept from the engine
    fault: MachineryError | None = None
    left: int = 0  # paragraphs not drafted because of the fault

    def summary(self) -> str:
        name = LANGUAGES[self.lang]
        if not self.paragraphs:
            return f"{name}: nothing to draft: no paragraph is empty or stale."
        text = (
            f"{name}: {self.paragraphs} paragraphs needed a draft; {self.sent} sent to the engine "
            f"({self.characters_sent:,} characters), {self.from_memory} from translation memory, "
            f"{self.from_cache} from earlier drafts; {self.drafted} drafted, "
            f"{self.suggested} offered as suggestions beside a person's text."
        )
        if self.embargoed:
            text += (
                f" {self.embargoed} got no machine draft: the story is under embargo and is never"
                " sent to an outside engine."
            )
        if self.fault is not None:
            text += (
                f" Stopped: {self.fault} The drafts made before are kept; {self.left} paragraphs"
                " can be drafted again later."
            )
        return text


def source_hash(english: str) -> str:
    return hashlib.sha256(comparison_key(english).encode()).hexdigest()


def draft_version(
    session: Session,
    *,
    story_id: int,
    lang: str,
    engine: Engine,
    person: Person | None,
    progress: Callable[[int, int], None] | None = None,
) -> DraftReport:
    """Draft every empty or stale paragraph of one language version (see the module's rules)."""
    story = session.get(Story, story_id)
    if story is None:
        raise NotFound(f"Story {story_id} does not exist.")
    if person is not None:
        authorize(person, Action.DRAFT, lang, version_progress(session, story_id, lang).state)
    todo = [row for row in desk_rows(session, story_id) if _needs_draft(row.translations[lang])]
    report = DraftReport(lang, paragraphs=len(todo))
    keep_in = story.embargoed and engine.outside
    for done, row in enumerate(todo):
        if progress:
            progress(done, len(todo))
        translation = row.translations[lang]
        memory = exact_memory(session, lang, row.english, translation.id)
        if memory is not None:
            report.from_memory += 1
            _offer(session, report, translation, row, memory, "memory", person)
            continue
        _suggest_similar(session, report, translation, row, lang)
        if keep_in:
            report.embargoed += 1
            continue
        send, assemble = _what_to_send(translation, row.english)
        try:
            machine = _machine(session, report, engine, send, lang)
        except MachineryError as fault:
            report.fault, report.left = fault, len(todo) - done
            break
        _offer(
            session, report, translation, row, assemble(machine), f"machine:{engine.name}", person
        )
    if progress:
        progress(len(todo), len(todo))
    return report


def _needs_draft(t: TranslationView) -> bool:
    return t.state is TranslationState.EMPTY or t.stale


def exact_memory(session: Session, lang: str, english: str, exclude: int) -> str | None:
    """An approved translation of the identical English anywhere, made from that English;
    else one from the translation memory brought in as TMX."""
    query = (
        with_paragraphs(select(Translation.text))
        .where(
            SourceParagraph.fingerprint == fingerprint(english),
            Translation.lang == lang,
            Translation.state == TranslationState.APPROVED,
            in_step(),
            Translation.id != exclude,
        )
        .order_by(col(Translation.updated_at).desc())
    )
    found = session.exec(query).first()
    if found is None:  # the newsroom's memory, brought in from TMX
        found = session.exec(
            select(MemoryUnit.target)
            .where(MemoryUnit.lang == lang, MemoryUnit.source_fingerprint == fingerprint(english))
            .order_by(col(MemoryUnit.created_at).desc(), col(MemoryUnit.id).desc())
        ).first()
    return found


def similar_memory(
    session: Session, lang: str, english: str, exclude: int, limit: int = 3
) -> list[tuple[str, str, int]]:
    """Approved translations of similar English, and translations from the memory brought in
    as TMX: (translation, its English, match %)."""
    length = len(english)
    # Removed paragraphs too: an approved translation stays good memory after its story moved on.
    query = (
        with_paragraphs(
            select(SourceParagraph.text, Translation.text).select_from(Translation),
            removed_too=True,
        )
        .where(
            Translation.lang == lang,
            Translation.state == TranslationState.APPROVED,
            in_step(),
            Translation.id != exclude,
            func.length(SourceParagraph.text).between(length * 0.6, length / 0.6),
        )
        .order_by(col(Translation.updated_at).desc())
        .limit(MEMORY_CANDIDATES)
    )
    candidates = list(session.exec(query).all())
    candidates += session.exec(
        select(MemoryUnit.source_text, MemoryUnit.target)
        .where(
            MemoryUnit.lang == lang,
            func.length(MemoryUnit.source_text).between(length * 0.6, length / 0.6),
        )
        .order_by(col(MemoryUnit.created_at).desc())
        .limit(MEMORY_CANDIDATES)
    ).all()
    if not candidates:
        return []
    found = process.extract(
        comparison_key(english),
        [comparison_key(source) for source, _ in candidates],
        scorer=fuzz.ratio,
        score_cutoff=SIMILAR_MEMORY,
        limit=limit,
    )
    key = comparison_key(english)
    return [
        (candidates[i][1], candidates[i][0], int(score))  # floor: 99.6 is not identical
        for _, score, i in found
        if comparison_key(candidates[i][0]) != key
    ]


def _suggest_similar(
    session: Session, report: DraftReport, t: TranslationView, row: DeskRow, lang: str
) -> None:
    for text, source, match in similar_memory(session, lang, row.english, t.id):
        if add_suggestion(session, t.id, text, "memory", match, source):
            report.suggested += 1


def _what_to_send(t: TranslationView, english: str) -> tuple[str, Callable[[str], str]]:
    """The English to send, and how the engine's answer becomes the paragraph's draft.

    When the English changed by one edited or added sentence since the translation was made,
    and the translation has as many sentences as that English had, only the new sentence is
    sent and the translation's other sentences are kept.
    """
    whole = (english, lambda machine: machine)
    if not (t.stale and t.text and t.made_from):
        return whole
    before, after, translated = sentences(t.made_from), sentences(english), sentences(t.text)
    if len(translated) != len(before):
        return whole
    edits = [
        op
        for op in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if len(edits) != 1:
        return whole
    tag, i1, i2, j1, j2 = edits[0]
    if j2 - j1 != 1 or i2 - i1 > 1 or tag == "delete":
        return whole
    return after[j1], lambda machine: " ".join([*translated[:i1], machine, *translated[i2:]])


def _machine(session: Session, report: DraftReport, engine: Engine, english: str, lang: str) -> str:
    """The engine's draft of `english`: from the cache, or sent once and cached."""
    key = source_hash(english)
    cached = session.exec(
        select(MachineDraft.text).where(
            MachineDraft.engine == engine.cache_name,
            MachineDraft.lang == lang,
            MachineDraft.source_hash == key,
        )
    ).first()
    if cached is not None:
        report.from_cache += 1
        return cached
    text = engine.translate(english, lang)
    report.sent += 1
    report.characters_sent += len(english)
    session.add(MachineDraft(engine=engine.cache_name, lang=lang, source_hash=key, text=text))
    session.commit()
    return text


def _offer(
    session: Session,
    report: DraftReport,
    t: TranslationView,
    row: DeskRow,
    text: str,
    origin: str,
    person: Person | None,
) -> None:
    """Put a draft in an empty or machine paragraph; beside a person's text, suggest it.

    Suggestions made for English that has changed since are dropped first: they would offer
    an old figure as if it were current. A person who saved the paragraph while the run went
    on keeps their text; the draft becomes a suggestion beside it.
    """
    _drop_outdated_suggestions(session, t.id, row.english)
    if t.state in (TranslationState.EMPTY, TranslationState.MACHINE_DRAFT):
        try:
            store_draft(session, translation_id=t.id, text=text, origin=origin, person=person)
        except (InvalidTransition, EditConflict):
            pass  # apply undid its own part; the caller's session keeps everything else
        else:
            report.drafted += 1
            return
    if text != t.text and add_suggestion(session, t.id, text, origin, 100, row.english):
        report.suggested += 1


def _drop_outdated_suggestions(session: Session, translation_id: int, english: str) -> None:
    outdated = session.exec(
        select(Suggestion).where(
            Suggestion.translation_id == translation_id,
            Suggestion.match == 100,
            Suggestion.source_text != english,
        )
    ).all()
    for suggestion in outdated:
        session.delete(suggestion)
    if outdated:
        session.commit()


def add_suggestion(
    session: Session, translation_id: int, text: str, origin: str, match: int, source: str
) -> bool:
    """Offer a text beside the paragraph's own (never over it); False if it is offered already."""
    exists = session.exec(
        select(Suggestion.id).where(
            Suggestion.translation_id == translation_id, Suggestion.text == text
        )
    ).first()
    if exists is not None:
        return False
    session.add(
        Suggestion(
            translation_id=translation_id,
            text=text,
            origin=Origin(origin),
            match=match,
            source_text=source,
        )
    )
    session.commit()
    return True


def dismiss_suggestion(session: Session, *, suggestion_id: int, person: Person) -> None:
    """Set a suggestion aside (used or ignored): the person's text stays as it is."""
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None:
        return
    translation = session.get(Translation, suggestion.translation_id)
    assert translation is not None
    authorize(person, Action.SAVE, translation.lang)
    session.delete(suggestion)
    session.commit()


def set_embargo(session: Session, *, story_id: int, embargoed: bool, person: Person) -> Story:
    """Mark a story embargoed (never sent to an outside engine) or lift the embargo."""
    authorize(person, Action.EMBARGO)
    story = session.get(Story, story_id)
    if story is None:
        raise NotFound(f"Story {story_id} does not exist.")
    if story.embargoed != embargoed:

        def write() -> Line:
            assert story is not None
            story.embargoed = embargoed
            session.add(story)
            return Line(comment="embargoed" if embargoed else "embargo lifted")

        def stored() -> bool | None:
            query = select(Story.embargoed).where(Story.id == story_id).with_for_update()
            return session.exec(query).first()

        record = Record(RecordKind.STORY, write, stored, story_id=story_id)
        apply(session, Action.EMBARGO, record, person=person, expect=not embargoed)
        session.refresh(story)
    return story
