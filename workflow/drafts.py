"""Drafts that are paid for once: translation memory first, then a machine engine.

For every paragraph of a language version that is empty or stale:

1. an approved translation of the identical English in any story is reused (100% memory match),
   without calling any engine; approved translations of similar English (75% or more) are
   offered as suggestions with their match and the English difference;
2. otherwise the engine is asked (several paragraphs at once, `machinery.pool`), unless the
   story is embargoed and the engine is outside; its answers are cached by (engine, language,
   normalised English), so nothing is paid for twice; when a stale paragraph changed by one
   edited or added sentence, only that sentence is sent and the rest of the existing
   translation is kept;
3. text a person wrote is never overwritten: a draft for it becomes a suggestion beside it;
   so does a draft for a box someone is typing in (`soft_lock.typed_in`), read once a second.

Every paragraph is looked up in the memory, whatever the engine does. An engine fault stops
the requests not yet sent (a rate limit only slows them down): drafts made are kept (each is
committed on its own), and the paragraphs the engine could not do can be drafted again later.
Drafting a version from the desk or the command line runs as a job (`draft_jobs`).
"""

import difflib
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.desk import DeskRow, TranslationView, desk_rows
from workflow.errors import EditConflict, InvalidTransition, NotFound
from workflow.machinery import Engine, MachineryError
from workflow.machinery.base import sentences
from workflow.machinery.pool import Answer, EnginePool
from workflow.memory import SIMILAR_MEMORY, MemoryIndex
from workflow.models import (
    MachineDraft,
    MemoryUnit,
    Person,
    SourceParagraph,
    Story,
    Suggestion,
    Translation,
    insert_for,
    utcnow,
)
from workflow.progress import version_progress
from workflow.queries import in_step, with_paragraphs
from workflow.records import Line, Record, RecordKind
from workflow.segmentation import comparison_key, fingerprint
from workflow.soft_lock import typed_in
from workflow.states import Action, TranslationState, authorize
from workflow.translations import store_draft
from workflow.vocabulary import Origin
from workflow.writes import apply

__all__ = ["SIMILAR_MEMORY", "DraftReport", "draft_version", "exact_memory", "similar_memory"]


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
    left: int = 0  # paragraphs the engine could not do because of the fault
    most_in_flight: int = 0  # engine requests in flight at once, at most
    rate_limited: int = 0  # requests the engine refused for now (asked again later)

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
        if self.rate_limited:
            text += (
                f" The engine asked to slow down {self.rate_limited} times: drafting went on"
                " more slowly."
            )
        if self.fault is not None:
            text += (
                f" The engine could not draft {self.left} paragraphs: {self.fault} Every draft"
                f" made is kept; those {self.left} paragraphs can be drafted again later."
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
    workers: int | None = None,
) -> DraftReport:
    """Draft every empty or stale paragraph of one language version (see the module's rules).

    Memory is looked up paragraph by paragraph on this thread while the engine's answers come
    in from `workers` requests in flight (`EnginePool`); every write happens here, on the
    caller's session, as each answer arrives.
    """
    story = session.get(Story, story_id)
    if story is None:
        raise NotFound(f"Story {story_id} does not exist.")
    if person is not None:
        authorize(person, Action.DRAFT, lang, version_progress(session, story_id, lang).state)
    todo = [row for row in desk_rows(session, story_id) if _needs_draft(row.translations[lang])]
    report = DraftReport(lang, paragraphs=len(todo))
    run = _Run(session, report, engine, story_id, lang, person, len(todo), progress)
    if not todo:
        return report
    index = MemoryIndex.for_database(session, lang)
    keep_in = story.embargoed and engine.outside
    with EnginePool(engine, workers) as pool:
        for row in todo:
            translation = row.translations[lang]
            memory = exact_memory(session, lang, row.english, translation.id)
            if memory is not None:
                report.from_memory += 1
                run.offer(translation, row, memory, "memory")
            else:
                for text, source, match in index.similar(session, row.english, translation.id):
                    if add_suggestion(session, translation.id, text, "memory", match, source):
                        report.suggested += 1
                if keep_in:
                    report.embargoed += 1
                    run.advance(1)
                else:
                    run.ask(pool, translation, row)
            for answer in pool.ready():
                run.land(answer)
        for answer in pool.answers():
            run.land(answer)
        report.most_in_flight, report.rate_limited = pool.gate.most_in_flight, pool.refusals
    return report


Assemble = Callable[[str], str]
TYPING_READ_EVERY = 1.0  # seconds: how fresh a run's knowledge of who types where is


class _Run:
    """One drafting run's bookkeeping: what waits for which engine answer, and how far it got."""

    def __init__(
        self,
        session: Session,
        report: DraftReport,
        engine: Engine,
        story_id: int,
        lang: str,
        person: Person | None,
        total: int,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.session, self.report, self.engine = session, report, engine
        self.story_id, self.lang, self.person = story_id, lang, person
        self.total, self.progress = total, progress
        self.done = 0
        self.typed: set[int] = set()
        self.typed_at = -math.inf
        # The English sent, and the paragraphs waiting for it: the same English is sent once.
        self.waiting: dict[str, list[tuple[TranslationView, DeskRow, Assemble]]] = {}
        self.advance(0)

    def advance(self, paragraphs: int) -> None:
        self.done += paragraphs
        if self.progress:
            self.progress(self.done, self.total)

    def offer(self, t: TranslationView, row: DeskRow, text: str, origin: str) -> None:
        typing = t.id in self.typed_in()
        _offer(self.session, self.report, t, row, text, origin, self.person, typing=typing)
        self.advance(1)

    def typed_in(self) -> set[int]:
        """The paragraphs someone is typing in, read again at most once a second: a draft
        must not land in a box while its person types (their save would then be refused)."""
        now = time.monotonic()
        if now - self.typed_at >= TYPING_READ_EVERY:
            self.typed, self.typed_at = typed_in(self.session, self.story_id, self.lang), now
        return self.typed

    def ask(self, pool: EnginePool, t: TranslationView, row: DeskRow) -> None:
        """From the cache of the engine's drafts, or ask the pool (once per English)."""
        send, assemble = _what_to_send(t, row.english)
        cached = _cached(self.session, self.engine, send, self.lang)
        if cached is not None:
            self.report.from_cache += 1
            self.offer(t, row, assemble(cached), f"machine:{self.engine.name}")
            return
        if send not in self.waiting:
            pool.submit(send, send, self.lang)
        self.waiting.setdefault(send, []).append((t, row, assemble))

    def land(self, answer: Answer) -> None:
        """Write what the engine answered into every paragraph waiting for it."""
        assert isinstance(answer.key, str)
        waiting = self.waiting.pop(answer.key)
        if answer.text is None:
            self.report.fault = self.report.fault or answer.fault
            self.report.left += len(waiting)
            self.advance(len(waiting))
            return
        self.report.sent += 1
        self.report.characters_sent += len(answer.key)
        _cache(self.session, self.engine, answer.key, self.lang, answer.text)
        for t, row, assemble in waiting:
            self.offer(t, row, assemble(answer.text), f"machine:{self.engine.name}")


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
    as TMX: (translation, its English, match %). A run over many paragraphs loads one
    `MemoryIndex` and asks it for each."""
    return MemoryIndex.for_database(session, lang).similar(session, english, exclude, limit)


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


def _cached(session: Session, engine: Engine, english: str, lang: str) -> str | None:
    """The engine's draft of `english`, if it was paid for before."""
    return session.exec(
        select(MachineDraft.text).where(
            MachineDraft.engine == engine.cache_name,
            MachineDraft.lang == lang,
            MachineDraft.source_hash == source_hash(english),
        )
    ).first()


def _cache(session: Session, engine: Engine, english: str, lang: str, text: str) -> None:
    """Keep the engine's draft; another run may have kept the same a moment ago."""
    row = {
        "engine": engine.cache_name,
        "lang": lang,
        "source_hash": source_hash(english),
        "text": text,
        "created_at": utcnow(),
    }
    insert = insert_for(session)
    session.exec(insert(MachineDraft).values(row).on_conflict_do_nothing())  # type: ignore[call-overload]
    session.commit()


def _offer(
    session: Session,
    report: DraftReport,
    t: TranslationView,
    row: DeskRow,
    text: str,
    origin: str,
    person: Person | None,
    *,
    typing: bool = False,
) -> None:
    """Put a draft in an empty or machine paragraph; beside a person's text, suggest it (also
    beside a box someone is `typing` in: their save must not meet a draft that landed under it).

    Suggestions made for English that has changed since are dropped first: they would offer
    an old figure as if it were current. A person who saved the paragraph while the run went
    on keeps their text; the draft becomes a suggestion beside it.
    """
    _drop_outdated_suggestions(session, t.id, row.english)
    if not typing and t.state in (TranslationState.EMPTY, TranslationState.MACHINE_DRAFT):
        try:
            store_draft(session, translation_id=t.id, text=text, origin=origin, person=person)
        except (InvalidTransition, EditConflict):
            # apply undid its own part; everything before it in this run is committed, so
            # ending the transaction lets go of SQLite's write lock before the engine is
            # waited on again (and before this run's heartbeat, from a session of its own).
            session.rollback()
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
