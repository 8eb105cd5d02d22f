"""Steps 2 to 5 of the realigner (see the package's docstring), and each old paragraph's heir."""

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cached_property
from itertools import pairwise

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq
from rapidfuzz.process import extract

from workflow.edits import is_minor
from workflow.realign.alignment import Alignment, Mapping, Status
from workflow.realign.identical import identical_pairs, longest_chain
from workflow.realign.words import Texts, contained, similarity

PAIR_IN_GAP = 0.5  # word similarity that pairs two paragraphs between the same anchors
PAIR_ANYWHERE = 0.6  # stricter, for a paragraph that also moved
CONTAINED = 0.8  # share of a paragraph's words found in order inside another
NEARLY_IDENTICAL = 0.9  # word similarity a pairing needs when the paragraphs are far apart
FAR_AWAY = 50  # paragraphs between where a paragraph's neighbours put it and its partner
MAX_GAP_CELLS = 250_000  # beyond this a gap is matched within a band around its diagonal


class _Aligner:
    """One realignment in progress: the pairs found so far, step by step."""

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        vocabulary: dict[str, str] = {}
        self.old, self.new = Texts(old, vocabulary), Texts(new, vocabulary)
        self.source: dict[int, list[int]] = {}  # new index -> old indices
        self.target: dict[int, int] = {}  # old index -> the new index it went to (first)
        self.exact: set[int] = set()  # new indices identical to their old paragraph
        self.backbone: list[tuple[int, int]] = []
        self.backbone_new: list[int] = []
        self.moved: set[int] = set()
        self._copies: set[str] | None = None  # texts with several copies on a side

    def pair(self, j: int, i: int) -> None:
        self.source.setdefault(j, []).append(i)
        self.target.setdefault(i, j)

    def pair_checking_order(self, j: int, i: int) -> None:
        """Pair new `j` with old `i` found off the anchors; `j` moved if `i` is out of place."""
        self.pair(j, i)
        self.check_order(j, i)

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
            range(len(self.old)), self.old.raw, range(len(self.new)), self.new.raw
        )
        # Then by comparison keys (spacing, quote styles): not leftover copies of a repeated
        # text, which would look unique among the leftovers (see `copy_of_repeated`).
        copies = self.copies()
        olds = [i for i in self.free_old(range(len(self.old))) if self.old.raw[i] not in copies]
        news = [j for j in self.free_new(range(len(self.new))) if self.new.raw[j] not in copies]
        exact += self._match_identical(
            olds, [self.old.key(i) for i in olds], news, [self.new.key(j) for j in news]
        )
        exact.sort()
        backbone = longest_chain(exact)
        self.backbone = [pair for n, pair in enumerate(exact) if n in backbone]
        self.backbone_new = [j for j, _ in self.backbone]
        # An identical paragraph off the backbone is out of order: it moved.
        self.moved = {j for n, (j, _) in enumerate(exact) if n not in backbone}
        return self.backbone

    def _match_identical(
        self,
        olds: Sequence[int],
        old_texts: Sequence[str],
        news: Sequence[int],
        new_texts: Sequence[str],
    ) -> list[tuple[int, int]]:
        pairs = identical_pairs(olds, old_texts, news, new_texts, FAR_AWAY)
        for j, i in pairs:
            self.source[j] = [i]
            self.target[i] = j
        self.exact.update(j for j, _ in pairs)
        return pairs

    def match_gaps(self, anchors: list[tuple[int, int]]) -> None:
        bounds = [(-1, -1), *anchors, (len(self.new), len(self.old))]
        for (j0, i0), (j1, i1) in pairwise(bounds):
            if j1 - j0 < 2 or i1 - i0 < 2:
                continue  # nothing on one side of this gap to pair
            new_gap = self.free_new(range(j0 + 1, j1))
            old_gap = self.free_old(range(i0 + 1, i1))
            if new_gap and old_gap:
                self.match_in_order(old_gap, new_gap, ((j0, i0), (j1, i1)))

    def match_in_order(
        self, olds: list[int], news: list[int], anchors: tuple[tuple[int, int], tuple[int, int]]
    ) -> None:
        """Pair similar paragraphs keeping their order: a weighted longest common subsequence.

        `anchors` are the exact matches around the gap: a pair far from both (a new entry in the
        middle of a long deleted stretch) must be nearly identical.
        """
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
                    s = similarity(self.old.words(olds[a - 1]), self.new.words(news[b - 1]))
                    if s >= PAIR_IN_GAP and (
                        s >= NEARLY_IDENTICAL
                        or _displacement(news[b - 1], olds[a - 1], *anchors) <= FAR_AWAY
                    ):
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
        for score, j, i in sorted(candidates, reverse=True):
            if j not in self.source and i not in self.target:
                if (score < 100 * NEARLY_IDENTICAL or self.copy_of_repeated(j, i)) and self.far(
                    j, i
                ):
                    # Look-alike entries far apart are different entries, and so are copies
                    # of a text the story repeats ("Air-raid alert declared"): posted again.
                    continue
                self.pair_checking_order(j, i)

    def copy_of_repeated(self, j: int, i: int) -> bool:
        """Whether new `j` is a copy of old `i`, a text the story has several copies of on
        either side."""
        return self.new.raw[j] == self.old.raw[i] and self.old.raw[i] in self.copies()

    def copies(self) -> set[str]:
        """The texts the story has several copies of, on either side."""
        if self._copies is None:
            self._copies = {
                text
                for side in (self.old.raw, self.new.raw)
                for text, n in Counter(side).items()
                if n > 1
            }
        return self._copies

    def near_enough(self, j: int, i: int) -> bool:
        """Whether new `j` may come from old `i` as far as distance goes (see `far`)."""
        return not self.far(j, i) or (
            similarity(self.old.words(i), self.new.words(j)) >= NEARLY_IDENTICAL
        )

    def far(self, j: int, i: int) -> bool:
        """Whether old `i` lies more than `FAR_AWAY` paragraphs from where new `j` stands."""
        at = bisect_left(self.backbone_new, j)
        before = self.backbone[at - 1] if at else (-1, -1)
        after = self.backbone[at] if at < len(self.backbone) else (len(self.new), len(self.old))
        return _displacement(j, i, before, after) > FAR_AWAY

    def match_contained(self) -> None:
        """Splits, merges and paragraphs much shortened or lengthened, by word containment."""
        all_new, all_old = range(len(self.new)), range(len(self.old))
        for j in self.free_new(all_new):
            # A part split off a neighbour's old paragraph.
            for k in (j - 1, j + 1):
                sources = self.source.get(k)
                if (
                    sources
                    and len(sources) == 1
                    and self.near_enough(j, sources[0])
                    and self._part_of_old(j, sources[0])
                ):
                    self.pair_checking_order(j, sources[0])
                    break
        for i in self.free_old(all_old):
            # An old paragraph merged into the paragraph its neighbour went to.
            for k in (i - 1, i + 1):
                target = self.target.get(k)
                if (
                    target is not None
                    and self.may_merge_into(target)
                    and self.near_enough(target, i)
                    and self._part_of_new(i, target)
                ):
                    self.pair_checking_order(target, i)
                    break
        # Runs of unmatched paragraphs where the old one stood: split parts, or merged pieces.
        for i in self.free_old(all_old):
            near = self.free_new(_between(self.target, i, len(self.new)))
            parts = [j for j in near if self.near_enough(j, i) and self._part_of_old(j, i)]
            for j in self._covering_run(self.old.words(i), parts, self.new):
                self.pair_checking_order(j, i)
        first_source = {j: sources[0] for j, sources in self.source.items()}
        for j in self.free_new(all_new):
            if not self.may_merge_into(j):
                continue
            near = self.free_old(_between(first_source, j, len(self.old)))
            parts = [i for i in near if self.near_enough(j, i) and self._part_of_new(i, j)]
            for i in self._covering_run(self.new.words(j), parts, self.old):
                self.pair_checking_order(j, i)

    def may_merge_into(self, j: int) -> bool:
        """A new paragraph whose exact text the old version has is that paragraph, whatever its
        neighbours lost: never a merge (which would flag its translation for nothing)."""
        return j not in self.exact and self.new.raw[j] not in self.old_texts

    @cached_property
    def old_texts(self) -> set[str]:
        return set(self.old.raw)

    def _part_of_old(self, j: int, i: int) -> bool:
        return self._is_part(self.new, j, self.old, i)

    def _part_of_new(self, i: int, j: int) -> bool:
        return self._is_part(self.old, i, self.new, j)

    @staticmethod
    def _is_part(part_side: Texts, part: int, whole_side: Texts, whole: int) -> bool:
        part_words, whole_set = part_side.word_set(part), whole_side.word_set(whole)
        if len(part_words & whole_set) < 0.7 * len(part_words):
            return False  # cheap test first: most of its distinct words must be there at all
        return contained(part_side.words(part), whole_side.words(whole)) >= CONTAINED

    def _covering_run(self, whole: str, parts: list[int], side: Texts) -> list[int]:
        """The first run of consecutive `parts` (paragraphs of `side`) whose words together
        cover `whole`'s: the pieces it was split into or merged from; none when no run does."""
        for run in _consecutive(parts):
            if self._covers(whole, [side.words(k) for k in run]):
                return run
        return []

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

        self.mark_out_of_order()
        new_paragraph = (Status.NEW, 0)
        paragraphs = [
            Mapping(
                j, tuple(self.source.get(j, ())), *verdicts.get(j, new_paragraph), j in self.moved
            )
            for j in range(len(self.new))
        ]
        removed = [i for i in range(len(self.old)) if i not in self.target]
        return Alignment(paragraphs, removed, self.heirs())

    def mark_out_of_order(self) -> None:
        """Edited paragraphs are placed against the exact ones only (`check_order`): two
        edited paragraphs between the same anchors can still have swapped. The longest chain
        of mapped paragraphs in old order stays in place; the rest moved."""
        width = len(self.new) + 1  # parts of one split paragraph share it: in order by j
        placed = sorted(
            (j, min(s) * width + j) for j, s in self.source.items() if j not in self.moved
        )
        in_order = longest_chain(placed)
        self.moved |= {j for n, (j, _) in enumerate(placed) if n not in in_order}

    def heirs(self) -> dict[int, int]:
        """For each mapped old paragraph, the new one that carries it on: its exact copy, or
        else the most similar of the new paragraphs that came from it (the first on a tie)."""
        heirs = dict(self.target)  # the first new paragraph each old one went to
        descendants: dict[int, list[int]] = defaultdict(list)
        for j, sources in self.source.items():
            if j not in self.exact:  # an exact copy is its old paragraph's heir already
                for i in sources:
                    descendants[i].append(j)
        for i, js in descendants.items():
            if len(js) > 1 and heirs[i] not in self.exact:
                old_words = self.old.words(i)
                heirs[i] = max(sorted(js), key=lambda j: similarity(old_words, self.new.words(j)))
        return heirs

    def check_order(self, j: int, i: int) -> None:
        """Mark new paragraph `j` moved unless old `i` lies between the anchors around `j`."""
        at = bisect_left(self.backbone_new, j)
        before = self.backbone[at - 1][1] if at else -1
        after_at = at + 1 if at < len(self.backbone) and self.backbone_new[at] == j else at
        after = self.backbone[after_at][1] if after_at < len(self.backbone) else len(self.old)
        if not before <= i <= after:
            self.moved.add(j)


def _displacement(j: int, i: int, before: tuple[int, int], after: tuple[int, int]) -> int:
    """How far old `i` is from where new `j` would be, counted from the nearer of the anchors
    (new, old) before and after `j`."""
    (j0, i0), (j1, i1) = before, after
    return min(abs((i - i0) - (j - j0)), abs((i1 - i) - (j1 - j)))


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
