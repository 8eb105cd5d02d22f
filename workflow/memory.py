"""The newsroom's translation memory as TMX: approved pairs out, a TMX file in for drafts.

- `export_tmx`: every approved translation still in step with its English, once each, as
  TMX 1.4.
- `import_tmx`: a TMX brought in feeds the drafts (`drafts.exact_memory`,
  `MemoryIndex`). The file is read whole first (`formats.TmxFormat`: refused in words
  when it cannot be read, before anything is written), then written in short batches
  (`import_policy.Batches`) so the desk keeps saving while a large memory comes in; the audit
  line is written with the last batch.
- `MemoryIndex`: similar English for a drafting run, found through the words paragraphs share.
"""

import string
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha256

from rapidfuzz import fuzz, process
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from workflow import LANGUAGES
from workflow.errors import NotFound
from workflow.formats import MemoryEntry, TmxFormat
from workflow.import_policy import Batches
from workflow.models import (
    MemoryUnit,
    Person,
    SourceParagraph,
    Story,
    Translation,
    insert_for,
    utcnow,
)
from workflow.queries import in_step, with_paragraphs
from workflow.records import Line, Record, RecordKind
from workflow.segmentation import comparison_key, fingerprint
from workflow.states import Action, TranslationState, authorize
from workflow.vocabulary import Event
from workflow.writes import apply

__all__ = [
    "MemoryIndex",
    "MemoryReport",
    "approved_pairs",
    "export_tmx",
    "import_tmx",
    "memory_counts",
]


def approved_pairs(
    session: Session, story_id: int | None = None, lang: str | None = None
) -> list[tuple[str, str, str]]:
    """(English, language, translation) of every approved translation still in step with its
    English, once each."""
    query = (
        with_paragraphs(
            select(SourceParagraph.text, Translation.lang, Translation.text).select_from(
                Translation
            )
        )
        .where(Translation.state == TranslationState.APPROVED, in_step())
        .distinct()
        .order_by(col(Translation.lang), col(SourceParagraph.text))
    )
    if story_id is not None:
        query = query.where(Translation.story_id == story_id)
    if lang is not None:
        query = query.where(Translation.lang == lang)
    return list(session.exec(query))


def export_tmx(session: Session, story_id: int | None = None, lang: str | None = None) -> bytes:
    """Approved pairs of one story or all, as TMX 1.4."""
    if story_id is not None and session.get(Story, story_id) is None:
        raise NotFound(f"Story {story_id} does not exist.")
    pairs = approved_pairs(session, story_id, lang)
    return TmxFormat.write(
        [MemoryEntry({"en": en, language: text}) for en, language, text in pairs]
    )


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


@dataclass
class MemoryReport:
    added: int = 0
    known: int = 0  # pairs the memory already held
    skipped: int = 0  # units without English, or in no language Lockstep translates into
    batches: Batches = field(default_factory=Batches, repr=False)  # how it was written

    def summary(self) -> str:
        return (
            f"{_count(self.added, 'translation')} added to the memory, {self.known} already "
            "in it or approved at this desk, "
            f"{self.skipped} skipped (no English, or not Russian or Ukrainian)."
        )


def memory_counts(session: Session) -> dict[str, int]:
    """How many translations the memory brought in from TMX holds, per language."""
    query = select(MemoryUnit.lang, func.count()).group_by(col(MemoryUnit.lang))
    found = dict(session.exec(query).all())
    return {lang: int(found.get(lang, 0)) for lang in LANGUAGES}


Pair = tuple[str, str, str]  # English, language, translation


def _pairs(entries: list[MemoryEntry], report: MemoryReport) -> list[Pair]:
    """The (English, language, translation) pairs of the units Lockstep can use."""
    pairs = []
    for entry in entries:
        english = entry.texts.get("en", "")
        found = [(english, lang, text) for lang, text in entry.texts.items() if lang in LANGUAGES]
        if not english or not found:
            report.skipped += 1
        pairs.extend(found if english else [])
    return pairs


def _approved_here(session: Session, batch: Sequence[Pair]) -> set[Pair]:
    """The pairs of a batch the desk approved itself (by English fingerprint): drafts use
    them already."""
    prints = {fingerprint(english) for english, _, _ in batch}
    # Removed paragraphs too: what the desk approved once is known to it.
    query = select(SourceParagraph.fingerprint, Translation.lang, Translation.text)
    rows = session.exec(
        with_paragraphs(query.select_from(Translation), removed_too=True).where(
            col(SourceParagraph.fingerprint).in_(prints),
            Translation.state == TranslationState.APPROVED,
        )
    )
    return {(row[0], row[1], row[2]) for row in rows}


def import_tmx(
    session: Session, data: bytes, *, origin: str, person: Person | None
) -> MemoryReport:
    """Bring a TMX into the memory drafts use. `person` None is the command line's operator.
    TMX 1.4 (`xml:lang`) and older (`lang`) variants are read; formatting codes are left out."""
    if person is not None:
        authorize(person, Action.IMPORT_MEMORY)
    report = MemoryReport()
    pairs = _pairs(TmxFormat.read(data), report)
    insert = insert_for(session)

    def write(session: Session, batch: Sequence[Pair], approved: set[Pair]) -> None:
        rows = []
        for english, lang, text in batch:
            source_print = fingerprint(english)
            if (source_print, lang, text) in approved:
                report.known += 1  # the desk's own approved translation
                continue
            rows.append(
                {
                    "lang": lang,
                    "source_text": english,
                    "source_fingerprint": source_print,
                    "target": text,
                    "target_fingerprint": sha256(text.encode()).hexdigest(),
                    "origin": f"tmx:{origin}"[:200],
                    "created_at": utcnow(),
                }
            )
        if not rows:
            return
        added = session.exec(
            insert(MemoryUnit)  # type: ignore[call-overload]
            .values(rows)
            .on_conflict_do_nothing()  # known already, or brought in a moment ago
            .returning(col(MemoryUnit.id))
        ).all()
        report.added += len(added)
        report.known += len(rows) - len(added)

    def audit(session: Session) -> None:
        # The last batch commits with this one line; inserts of units known already are
        # skipped by the database, so no compare-and-set is needed.
        record = Record(RecordKind.MEMORY, lambda: Line(f"{origin}: {report.summary()}"))
        apply(session, Event.IMPORT_MEMORY, record, person=person)

    report.batches.run(session, pairs, prepare=_approved_here, write=write, last=audit)
    return report


SIMILAR_MEMORY = 75  # % similarity of the English for a memory suggestion
# Punctuation to spaces, so "troops," and "troops" are one word.
_SPACES = str.maketrans({c: " " for c in string.punctuation + "«»“”‘’—–…"})
Ref = tuple[str, int]  # ("translation", its id) or ("unit", a TMX unit's id)


def _words(key: str) -> set[str]:
    return set(key.casefold().translate(_SPACES).split())


class MemoryIndex:
    """Every approved translation and memory unit in one language, indexed by the words of its
    English, for finding similar English quickly (`similar`).

    Scoring every unit with rapidfuzz costs in proportion to the memory: 50,000 units cost ten
    times 5,000. A paragraph 75% alike shares most of its words with ours, so the units scored
    are the `CANDIDATES` that share the most words with it, counted over the words that are not
    common (in at most one unit in `COMMON_SHARE`): a figure or a name that changed still
    leaves the paragraph's other words to find it by. A small memory is scored whole.

    Building the index costs in proportion to the memory too, so it is built once per
    database and language in a process (`for_database`) and brought up to date at the start
    of every run with what was added since: memory units are only ever added; an approved
    translation is added again when it changes (its older text is passed over), and every
    match is checked against the database before it is offered, so one that is no longer
    approved, or no longer there, is never suggested.
    """

    CANDIDATES = 200
    COMMON_SHARE = 20
    SCORE_WHOLE_UP_TO = 2_000

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.sources: list[str] = []  # the English, as written
        self.keys: list[str] = []  # the English, as compared
        self.targets: list[str] = []
        self.refs: list[Ref] = []
        self.latest: dict[Ref, int] = {}  # where each translation's current text is
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.last_unit = 0  # the newest memory unit indexed
        self.last_change: datetime | None = None  # the newest approval indexed
        self.lock = threading.Lock()

    @classmethod
    def for_database(cls, session: Session, lang: str) -> "MemoryIndex":
        """This process's index of the session's database in `lang`, brought up to date."""
        engine = session.get_bind().engine
        with _INDEXES_LOCK:
            index = _INDEXES.setdefault(engine, {}).setdefault(lang, cls(lang))
        index.refresh(session)
        return index

    def refresh(self, session: Session) -> None:
        """Add the memory units and approvals made since the index last looked."""
        with self.lock:
            units = select(MemoryUnit.id, MemoryUnit.source_text, MemoryUnit.target).where(
                MemoryUnit.lang == self.lang, col(MemoryUnit.id) > self.last_unit
            )
            for unit_id, source, target in session.exec(units.order_by(col(MemoryUnit.id))):
                assert unit_id is not None
                self.add(source, target, ("unit", unit_id))
                self.last_unit = unit_id
            # Removed paragraphs too: an approved translation stays good memory after its
            # story moved on.
            approved = with_paragraphs(
                select(
                    SourceParagraph.text, Translation.text, Translation.id, Translation.updated_at
                ).select_from(Translation),
                removed_too=True,
            ).where(
                Translation.lang == self.lang,
                Translation.state == TranslationState.APPROVED,
                in_step(),
            )
            if self.last_change is not None:
                approved = approved.where(col(Translation.updated_at) >= self.last_change)
            for source, target, translation_id, when in session.exec(
                approved.order_by(col(Translation.updated_at))
            ):
                assert translation_id is not None
                ref = ("translation", translation_id)
                at = self.latest.get(ref)
                if at is None or (self.sources[at], self.targets[at]) != (source, target):
                    self.add(source, target, ref)
                self.last_change = when

    def add(self, source: str, target: str, ref: Ref) -> None:
        position = len(self.keys)
        key = comparison_key(source)
        self.sources.append(source)
        self.keys.append(key)
        self.targets.append(target)
        self.refs.append(ref)
        self.latest[ref] = position
        for word in _words(key):
            self.postings[word].append(position)

    def similar(
        self, session: Session, english: str, exclude: int, limit: int = 3
    ) -> list[tuple[str, str, int]]:
        """(translation, its English, match %) of the most similar English, 75% alike or more
        and not identical, best first (the most recent first among equals); never the
        translation `exclude` itself, nor one no longer approved."""
        key = comparison_key(english)
        low, high = len(key) * 0.6, len(key) / 0.6
        with self.lock:
            found = [
                i
                for i in self._candidates(key)
                if low <= len(self.keys[i]) <= high
                and self.latest[self.refs[i]] == i
                and self.refs[i] != ("translation", exclude)
                and self.keys[i] != key
            ]
            choices = [self.keys[i] for i in found]
        if not found:
            return []
        scored = process.extract(
            key, choices, scorer=fuzz.ratio, score_cutoff=SIMILAR_MEMORY, limit=limit * 2
        )
        hits = [found[at] for _, _, at in scored]
        good = self._still_there(session, hits)
        return [
            (self.targets[i], self.sources[i], int(score))  # 99.6 is not identical
            for (_, score, _), i in zip(scored, hits, strict=True)
            if i in good
        ][:limit]

    def _candidates(self, key: str) -> list[int]:
        """Positions of the units worth scoring, the most recent first."""
        if len(self.keys) <= self.SCORE_WHOLE_UP_TO:
            return list(range(len(self.keys) - 1, -1, -1))
        common = max(1, len(self.keys) // self.COMMON_SHARE)
        shared: Counter[int] = Counter()
        for word in _words(key):
            posting = self.postings.get(word, ())
            if len(posting) <= common:
                shared.update(posting)
        return sorted((i for i, _ in shared.most_common(self.CANDIDATES)), reverse=True)

    def _still_there(self, session: Session, hits: list[int]) -> set[int]:
        """The hits whose translation is still approved with this text and English (or whose
        memory unit is still there)."""
        ids = {kind: [self.refs[i][1] for i in hits if self.refs[i][0] == kind] for kind in KINDS}
        current: set[tuple[Ref, str, str]] = set()
        if ids["translation"]:
            query = with_paragraphs(
                select(Translation.id, SourceParagraph.text, Translation.text).select_from(
                    Translation
                ),
                removed_too=True,
            ).where(
                col(Translation.id).in_(ids["translation"]),
                Translation.state == TranslationState.APPROVED,
                in_step(),
            )
            current |= {(("translation", i), s, t) for i, s, t in session.exec(query) if i}
        if ids["unit"]:
            query_units = select(MemoryUnit.id, MemoryUnit.source_text, MemoryUnit.target).where(
                col(MemoryUnit.id).in_(ids["unit"])
            )
            current |= {(("unit", i), s, t) for i, s, t in session.exec(query_units) if i}
        return {i for i in hits if (self.refs[i], self.sources[i], self.targets[i]) in current}


KINDS = ("translation", "unit")
# One index per database (engine) and language in this process; an engine that is gone takes
# its indexes with it.
_INDEXES: "weakref.WeakKeyDictionary[Engine, dict[str, MemoryIndex]]" = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()
