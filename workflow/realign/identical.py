"""Identical paragraphs of two versions: the first, cheapest and surest step of the realigner.

Pairs are (new index, old index). Most paragraphs of a live blog are identical between two
versions, so the usual case (no text twice on a side) is one hash map; copies of a repeated
text are paired by a longest order-keeping chain (`longest_chain`), which the realigner also
uses to find the backbone of paragraphs that kept their order.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence

MAX_COPY_PAIRS = 2_500  # beyond this, copies of one text are paired only near copy to copy
COPY_SLACK = 5  # how far from copy to copy (after counting copies added or removed) to look


def identical_pairs(
    olds: Sequence[int],
    old_texts: Sequence[str],
    news: Sequence[int],
    new_texts: Sequence[str],
    reach: int,
) -> list[tuple[int, int]]:
    """Pair paragraphs with the same text (`*_texts` run parallel to the indices).

    A text found once on each side is one pair, in order or moved. Copies of a repeated
    text (an "Advertisement" line, a sign-off) are paired so that the most paragraphs keep
    their order: a longest order-keeping chain over every pair of copies decides which copy
    went where, so deleting the first of two copies removes the first, not the second.
    Copies left off the chain are paired in order (moved copies), but copies of a repeated
    text only within `reach` paragraphs of each other: a repeated entry posted again far from
    a deleted copy is a new entry, not that copy moved (copies carry no identity of their
    own); the rest are new or removed.
    """
    if len(set(old_texts)) == len(old_texts) and len(set(new_texts)) == len(new_texts):
        where = dict(zip(old_texts, olds, strict=True))  # the usual case: no copies at all
        return [(j, where[text]) for j, text in zip(news, new_texts, strict=True) if text in where]
    return _copy_chain(_copies(olds, old_texts), _copies(news, new_texts), reach)


def _copies(indices: Sequence[int], texts: Sequence[str]) -> dict[str, list[int]]:
    """Where each text stands, in order."""
    found: dict[str, list[int]] = defaultdict(list)
    for index, text in zip(indices, texts, strict=True):
        found[text].append(index)
    return found


def _copy_chain(
    old_copies: dict[str, list[int]], all_new_copies: dict[str, list[int]], reach: int
) -> list[tuple[int, int]]:
    """`identical_pairs` when some text has several copies."""
    new_copies = {text: js for text, js in all_new_copies.items() if text in old_copies}
    candidates: list[tuple[int, int]] = []  # (new, -old): see the sort below
    for text, js in new_copies.items():
        candidates += _copy_candidates(js, old_copies[text])
    candidates.sort()  # by new index, then old index descending: one pair per new index
    ordered = [(j, -i) for j, i in candidates]
    pairs = [ordered[n] for n in longest_chain(ordered)]
    paired_new = {j for j, _ in pairs}
    paired_old = {i for _, i in pairs}
    for text, js in new_copies.items():  # off the chain, in order: moved copies
        free_new = [j for j in js if j not in paired_new]
        free_old = [i for i in old_copies[text] if i not in paired_old]
        unique = len(js) == 1 and len(old_copies[text]) == 1
        pairs += [
            (j, i)
            for j, i in zip(free_new, free_old, strict=False)
            if unique or abs(j - i) <= reach
        ]
    return pairs


def _copy_candidates(news: list[int], olds: list[int]) -> list[tuple[int, int]]:
    """Candidate pairs (new, -old) between the copies of one text.

    Every pair while there are few; beyond that, the k-th new copy is paired only with old
    copies near the k-th (shifted by as many copies as were added or removed), which is where
    an unmoved copy is.
    """
    if len(news) * len(olds) <= MAX_COPY_PAIRS:
        return [(j, -i) for j in news for i in olds]
    extra = len(olds) - len(news)
    lo, hi = min(0, extra) - COPY_SLACK, max(0, extra) + COPY_SLACK
    return [
        (j, -olds[m])
        for k, j in enumerate(news)
        for m in range(max(0, k + lo), min(len(olds), k + hi + 1))
    ]


def longest_chain(pairs: list[tuple[int, int]]) -> set[int]:
    """Indices (into `pairs`, sorted by new index) of a longest chain increasing in old index.

    Among equally long chains, one old index goes to its earliest new index: a paragraph
    copied below itself goes on where it stood, and the copy is the later one.
    """
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
            if tails[k] == old:
                continue  # an earlier new index already ends a chain this long with it
            tails[k], tail_at[k] = old, n
        parent[n] = tail_at[k - 1] if k else -1
    chain: set[int] = set()
    n = tail_at[-1] if tail_at else -1
    while n != -1:
        chain.add(n)
        n = parent[n]
    return chain
