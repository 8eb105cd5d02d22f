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

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import sha256

from rapidfuzz import fuzz, process
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
_WORD = re.compile(r"\w+")


def _words(key: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(key)}


@dataclass
class MemoryIndex:
    """Every approved translation and memory unit in one language, indexed by the words of its
    English, for finding similar English quickly (`similar`).

    Scoring every unit with rapidfuzz costs in proportion to the memory: 50,000 units cost ten
    times 5,000. A paragraph 75% alike shares most of its words with ours, so the units scored
    are the `CANDIDATES` that share the most words with it, counted over the words that are not
    common (in at most one unit in `COMMON_SHARE`): a figure or a name that changed still
    leaves the paragraph's other words to find it by. A small memory is scored whole.
    """

    lang: str
    sources: list[str] = field(default_factory=list)  # the English, as written
    keys: list[str] = field(default_factory=list)  # the English, as compared
    targets: list[str] = field(default_factory=list)
    translation_ids: list[int | None] = field(default_factory=list)  # None: a TMX unit
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    CANDIDATES = 200
    COMMON_SHARE = 20
    SCORE_WHOLE_UP_TO = 2_000

    @classmethod
    def load(cls, session: Session, lang: str) -> "MemoryIndex":
        """The desk's approved translations in step with their English (most recent first,
        removed paragraphs too: they stay good memory), then the units brought in as TMX."""
        index = cls(lang)
        approved = with_paragraphs(
            select(SourceParagraph.text, Translation.text, Translation.id).select_from(Translation),
            removed_too=True,
        ).where(Translation.lang == lang, Translation.state == TranslationState.APPROVED, in_step())
        for source, target, translation_id in session.exec(
            approved.order_by(col(Translation.updated_at).desc())
        ):
            index.add(source, target, translation_id)
        units = select(MemoryUnit.source_text, MemoryUnit.target).where(MemoryUnit.lang == lang)
        for source, target in session.exec(units.order_by(col(MemoryUnit.created_at).desc())):
            index.add(source, target, None)
        return index

    def add(self, source: str, target: str, translation_id: int | None) -> None:
        position = len(self.keys)
        key = comparison_key(source)
        self.sources.append(source)
        self.keys.append(key)
        self.targets.append(target)
        self.translation_ids.append(translation_id)
        for word in _words(key):
            self.postings[word].append(position)

    def similar(self, english: str, exclude: int, limit: int = 3) -> list[tuple[str, str, int]]:
        """(translation, its English, match %) of the most similar English, 75% alike or more
        and not identical, best first; never the translation `exclude` itself."""
        key = comparison_key(english)
        low, high = len(key) * 0.6, len(key) / 0.6
        found = [
            i
            for i in self._candidates(key)
            if low <= len(self.keys[i]) <= high
            and self.translation_ids[i] != exclude
            and self.keys[i] != key
        ]
        if not found:
            return []
        scored = process.extract(
            key,
            [self.keys[i] for i in found],
            scorer=fuzz.ratio,
            score_cutoff=SIMILAR_MEMORY,
            limit=limit,
        )
        return [
            (self.targets[found[at]], self.sources[found[at]], int(score))  # 99.6 is not 100
            for _, score, at in scored
        ]

    def _candidates(self, key: str) -> list[int]:
        """Positions of the units worth scoring, in the index's order (most recent first)."""
        if len(self.keys) <= self.SCORE_WHOLE_UP_TO:
            return list(range(len(self.keys)))
        common = max(1, len(self.keys) // self.COMMON_SHARE)
        shared: Counter[int] = Counter()
        for word in _words(key):
            posting = self.postings.get(word, ())
            if len(posting) <= common:
                shared.update(posting)
        return sorted(i for i, _ in shared.most_common(self.CANDIDATES))
