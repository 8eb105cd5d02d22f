"""The realigner: which new English paragraph came from which old one, and what the edit did.

A pure function over two lists of paragraphs, built to stay near-linear when edits are local:

1. exact matches first, through a hash map of comparison keys (whitespace, Unicode and quote
   styles normalised);
2. the longest order-consistent chain of those matches is the backbone; an exact match off the
   backbone is a moved paragraph;
3. between consecutive anchors, the unmatched paragraphs are paired by similarity of their word
   tokens (an order-keeping dynamic programme inside each gap, which is small when edits are
   local);
4. a global pass pairs what is left across the whole text: paragraphs both moved and edited;
5. containment (the longest common subsequence of words) recognises splits (one old paragraph
   became several consecutive new ones) and merges (several became one); a paragraph trimmed or
   extended a lot is recognised the same way.

Every new paragraph is then unchanged, minor or changed (see `edits.is_minor`) or new; every old
paragraph is mapped or removed, exactly once. This module imports nothing heavy: the command line
`python -m workflow realign` must start fast.
"""

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq
from rapidfuzz.process import extract

from workflow.edits import is_minor
from workflow.segmentation import comparison_key

PAIR_IN_GAP = 0.5  # word similarity that pairs two paragraphs between the same anchors
PAIR_ANYWHERE = 0.6  # stricter, for a paragraph that also moved
CONTAINED = 0.8  # share of a paragraph's words found in order inside another
MAX_GAP_CELLS = 250_000  # beyond this a gap is matched within a band around its diagonal
_WORD = re.compile(r"\w+")


class Status(StrEnum):
    UNCHANGED = "unchanged"
    MINOR = "minor"
    CHANGED = "changed"
    NEW = "new"


@dataclass(slots=True)
class Mapping:
    """Where one new paragraph came from."""

    index: int
    sources: tuple[int, ...]
    status: Status
    similarity: int
    moved: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "from": list(self.sources),
            "status": self.status.value,
            "similarity": self.similarity,
            "moved": self.moved,
        }


@dataclass(frozen=True)
class Alignment:
    """One mapping per new paragraph, in order, and the old paragraphs that survive nowhere."""

    paragraphs: list[Mapping]
    removed: list[int]

    def as_json(self) -> dict[str, Any]:
        return {"paragraphs": [m.as_json() for m in self.paragraphs], "removed": self.removed}


class _Texts:
    """One side's paragraphs, with comparison keys and word tokens computed only when needed.

    Most paragraphs of a live blog are identical between two versions and are matched on their
    raw text, so their keys are never computed: that is what keeps the realigner near the cost
    of hashing the texts.
    """

    def __init__(self, paragraphs: Sequence[str], vocabulary: dict[str, str]) -> None:
        self.raw = paragraphs
        self._keys: dict[int, str] = {}
        self._words: dict[int, str] = {}
        self._sets: dict[int, set[str]] = {}
        self._vocabulary = vocabulary  # shared by both sides: word -> one character

    def __len__(self) -> int:
        return len(self.raw)

    def key(self, i: int) -> str:
        if i not in self._keys:
            self._keys[i] = comparison_key(self.raw[i])
        return self._keys[i]

    def words(self, i: int) -> str:
        """The paragraph's words, one character each, so that rapidfuzz compares words."""
        if i not in self._words:
            vocabulary = self._vocabulary
            self._words[i] = "".join(
                vocabulary.get(word) or vocabulary.setdefault(word, _letter(len(vocabulary)))
                for word in _WORD.findall(self.key(i).lower())
            )
        return self._words[i]

    def word_set(self, i: int) -> set[str]:
        if i not in self._sets:
            self._sets[i] = set(self.words(i))
        return self._sets[i]


def _letter(n: int) -> str:
    """The n-th character of the words' private alphabet (past the surrogate range)."""
    code = 0x4E00 + n
    return chr(code + 0x800 if code >= 0xD800 else code)


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return 2 * LCSseq.similarity(a, b) / (len(a) + len(b))


def _contained(part: str, whole: str) -> float:
    """Share of `part`'s words that appear, in order, in `whole`."""
    return LCSseq.similarity(part, whole) / len(part) if part else 0.0


def _chain(pairs: list[tuple[int, int]]) -> set[int]:
    """Indices (into `pairs`, sorted by new index) of a longest chain increasing in old index."""
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(pairs)
    for n, (_, old) in enumerate(pairs):
        if not tails or old > tails[-1]:
            k = len(tails)  # the usual case: paragraphs in order, no search needed
            tails.append(old)
            tail_at.append(n)
        else:
            k = bisect_left(tails, old)
            tails[k], tail_at[k] = old, n
        parent[n] = tail_at[k - 1] if k else -1
    chain: set[int] = set()
    n = tail_at[-1] if tail_at else -1
    while n != -1:
        chain.add(n)
        n = parent[n]
    return chain


class _Aligner:
    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        vocabulary: dict[str, str] = {}
        self.old, self.new = _Texts(old, vocabulary), _Texts(new, vocabulary)
        self.source: dict[int, list[int]] = {}  # new index -> old indices
        self.target: dict[int, int] = {}  # old index -> the new index it went to (first)
        self.exact: set[int] = set()  # new indices identical to their old paragraph
        self.backbone: list[tuple[int, int]] = []
        self.backbone_new: list[int] = []
        self.moved: set[int] = set()

    def pair(self, j: int, i: int) -> None:
        self.source.setdefault(j, []).append(i)
        self.target.setdefault(i, j)

    def free_new(self, js: range | list[int]) -> list[int]:
        return [j for j in js if j not in self.source]

    def free_old(self, is_: range | list[int]) -> list[int]:
        return [i for i in is_ if i not in self.target]

    def run(self) -> Alignment:
        anchors = self.exact_matches()
        self.match_gaps(anchors)
        self.match_anywhere()
        self.match_contained()
        return self.result()

    def exact_matches(self) -> list[tuple[int, int]]:
        """Pair identical paragraphs: raw text first (cheap), then comparison keys of the rest."""
        exact = self._match_identical(
            range(len(self.old)), range(len(self.new)), lambda s, i: s.raw[i]
        )
        exact += self._match_identical(
            self.free_old(range(len(self.old))), self.free_new(range(len(self.new))), _Texts.key
        )
        exact.sort()
        backbone = _chain(exact)
        self.backbone = [pair for n, pair in enumerate(exact) if n in backbone]
        self.backbone_new = [j for j, _ in self.backbone]
        # An identical paragraph off the backbone is out of order: it moved.
        self.moved = {j for n, (j, _) in enumerate(exact) if n not in backbone}
        return self.backbone

    def _match_identical(
        self, olds: Sequence[int], news: Sequence[int], text: Callable[[_Texts, int], str]
    ) -> list[tuple[int, int]]:
        where: dict[str, list[int]] = {}
        for i in reversed(olds):
            where.setdefault(text(self.old, i), []).append(i)  # reversed: pop() gives the first
        pairs = []
        for j in news:
            found = where.get(text(self.new, j))
            if found:
                i = found.pop()
                pairs.append((j, i))
                self.source[j] = [i]
                self.target[i] = j
                self.exact.add(j)
        return pairs

    def match_gaps(self, anchors: list[tuple[int, int]]) -> None:
        bounds = [(-1, -1), *anchors, (len(self.new), len(self.old))]
        for (j0, i0), (j1, i1) in pairwise(bounds):
            if j1 - j0 < 2 or i1 - i0 < 2:
                continue  # nothing on one side of this gap to pair
            new_gap = self.free_new(range(j0 + 1, j1))
            old_gap = self.free_old(range(i0 + 1, i1))
            if new_gap and old_gap:
                self.match_in_order(old_gap, new_gap)

    def match_in_order(self, olds: list[int], news: list[int]) -> None:
        """Pair similar paragraphs keeping their order: a weighted longest common subsequence."""
        band = max(50, abs(len(olds) - len(news)) + 10)
        banded = len(olds) * len(news) > MAX_GAP_CELLS
        rows, cols = len(olds), len(news)
        score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
        for a in range(1, rows + 1):
            lo, hi = (max(1, a - band), min(cols, a + band)) if banded else (1, cols)
            row, above = score[a], score[a - 1]
            for b in range(1, cols + 1):
                best = max(above[b], row[b - 1])
                if lo <= b <= hi:
                    s = _similarity(self.old.words(olds[a - 1]), self.new.words(news[b - 1]))
                    if s >= PAIR_IN_GAP:
                        best = max(best, above[b - 1] + s)
                row[b] = best
        a, b = rows, cols
        while a and b:
            if score[a][b] == score[a - 1][b]:
                a -= 1
            elif score[a][b] == score[a][b - 1]:
                b -= 1
            else:
                self.pair(news[b - 1], olds[a - 1])
                a, b = a - 1, b - 1

    def match_anywhere(self) -> None:
        news = self.free_new(range(len(self.new)))
        olds = self.free_old(range(len(self.old)))
        if not news or not olds:
            return
        # Word similarity (`words` spell one character a word) against every leftover old
        # paragraph in one call per new paragraph, in rapidfuzz's compiled loop.
        old_words = [self.old.words(i) for i in olds]
        candidates = [
            (score, j, olds[b])
            for j in news
            for _, score, b in extract(
                self.new.words(j),
                old_words,
                scorer=fuzz.ratio,
                score_cutoff=100 * PAIR_ANYWHERE,
                limit=None,
            )
        ]
        for _, j, i in sorted(candidates, reverse=True):
            if j not in self.source and i not in self.target:
                self.pair(j, i)
                self.check_order(j, i)

    def match_contained(self) -> None:
        """Splits, merges and paragraphs much shortened or lengthened, by word containment."""
        all_new, all_old = range(len(self.new)), range(len(self.old))
        for j in self.free_new(all_new):
            # A part split off a neighbour's old paragraph.
            for k in (j - 1, j + 1):
                sources = self.source.get(k)
                if sources and len(sources) == 1 and self._part_of_old(j, sources[0]):
                    self.pair(j, sources[0])
                    self.check_order(j, sources[0])
                    break
        for i in self.free_old(all_old):
            # An old paragraph merged into the paragraph its neighbour went to.
            for k in (i - 1, i + 1):
                target = self.target.get(k)
                if target is not None and self._part_of_new(i, target):
                    self.pair(target, i)
                    self.check_order(target, i)
                    break
        # Runs of unmatched paragraphs where the old one stood: split parts, or merged pieces.
        for i in self.free_old(all_old):
            near = self.free_new(_between(self.target, i, len(self.new)))
            parts = [j for j in near if self._part_of_old(j, i)]
            for run in _consecutive(parts):
                if self._covers(self.old.words(i), [self.new.words(j) for j in run]):
                    for j in run:
                        self.pair(j, i)
                        self.check_order(j, i)
                    break
        first_source = {j: sources[0] for j, sources in self.source.items()}
        for j in self.free_new(all_new):
            near = self.free_old(_between(first_source, j, len(self.old)))
            parts = [i for i in near if self._part_of_new(i, j)]
            for run in _consecutive(parts):
                if self._covers(self.new.words(j), [self.old.words(i) for i in run]):
                    for i in run:
                        self.pair(j, i)
                        self.check_order(j, i)
                    break

    def _part_of_old(self, j: int, i: int) -> bool:
        return self._contained(self.new, j, self.old, i)

    def _part_of_new(self, i: int, j: int) -> bool:
        return self._contained(self.old, i, self.new, j)

    @staticmethod
    def _contained(part_side: "_Texts", part: int, whole_side: "_Texts", whole: int) -> bool:
        part_words, whole_set = part_side.word_set(part), whole_side.word_set(whole)
        if len(part_words & whole_set) < 0.7 * len(part_words):
            return False  # cheap test first: most of its distinct words must be there at all
        return _contained(part_side.words(part), whole_side.words(whole)) >= CONTAINED

    @staticmethod
    def _covers(whole: str, parts: list[str]) -> bool:
        return bool(whole) and LCSseq.similarity(whole, "".join(parts)) >= 0.5 * len(whole)

    def result(self) -> Alignment:
        groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
        verdicts: dict[int, tuple[Status, int]] = {}
        for j, sources in self.source.items():
            if j in self.exact and len(sources) == 1 and self.target[sources[0]] == j:
                verdicts[j] = (Status.UNCHANGED, 100)  # most paragraphs: nothing to compare
            else:
                sources.sort()
                groups[tuple(sources)].append(j)
        for group, js in groups.items():
            old_text = " ".join(self.old.key(i) for i in group)
            new_text = " ".join(self.new.key(j) for j in sorted(js))
            whole = len(group) == 1 and len(js) == 1
            if old_text == new_text:
                status = Status.UNCHANGED if whole else Status.MINOR
            else:
                status = Status.MINOR if is_minor(old_text, new_text) else Status.CHANGED
            similarity = (
                100 if old_text == new_text else min(99, round(fuzz.ratio(old_text, new_text)))
            )
            for j in js:
                verdicts[j] = (status, similarity)

        new_paragraph = (Status.NEW, 0)
        paragraphs = [
            Mapping(
                j, tuple(self.source.get(j, ())), *verdicts.get(j, new_paragraph), j in self.moved
            )
            for j in range(len(self.new))
        ]
        removed = [i for i in range(len(self.old)) if i not in self.target]
        return Alignment(paragraphs, removed)

    def check_order(self, j: int, i: int) -> None:
        """Mark new paragraph `j` moved unless old `i` lies between the anchors around `j`."""
        at = bisect_left(self.backbone_new, j)
        before = self.backbone[at - 1][1] if at else -1
        after_at = at + 1 if at < len(self.backbone) and self.backbone_new[at] == j else at
        after = self.backbone[after_at][1] if after_at < len(self.backbone) else len(self.old)
        if not before <= i <= after:
            self.moved.add(j)


def _between(mapped: dict[int, int], at: int, size: int, reach: int = 30) -> range:
    """Positions on the other side between where the nearest mapped neighbours of `at` went."""
    lo = next((mapped[k] for k in range(at - 1, max(-1, at - reach), -1) if k in mapped), -1)
    hi = next((mapped[k] for k in range(at + 1, at + reach) if k in mapped), size)
    if lo >= hi:  # the neighbours moved: look around the nearer one instead
        lo, hi = min(lo, hi) - reach, min(lo, hi) + reach
    return range(max(0, lo + 1), min(size, hi, lo + 1 + 2 * reach))


def _consecutive(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for n in indices:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def realign(old: Sequence[str], new: Sequence[str]) -> Alignment:
    """Map the paragraphs of the new English text to those of the old one."""
    return _Aligner(old, new).run()
