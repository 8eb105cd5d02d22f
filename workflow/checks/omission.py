"""`omission`: a sentence of the English with no counterpart in the translation, or a sentence
of the translation with no English counterpart.

The sentences of both sides (`sentences.split_sentences`) are aligned in order by a dynamic
programme in the manner of Gale and Church (1993): each step pairs one or more English
sentences with one or more translated ones (1-1, a join 2-1, a split 1-2, and 2-2, 1-3, 3-1 for
a splitter's stray cut beside a translator's join), or leaves one sentence of either side
alone (1-0, an omission; 0-1, an addition). A pairing costs what its lengths make unlikely, in
letters and digits, against the ratio this language keeps to English. Anchors tie sentences
together without a dictionary: figures as the `numbers` check reads them, numbers spelled in
words (five = п'ять), weekdays and months, and Latin-letter names such as "Nvidia" or "G7". An
anchor seen on both sides pulls its sentences together, one found in another sentence of the
other side pushes them apart. A sentence left alone costs a fixed price, set high enough that a
correct translation, however freely joined, split or reordered within its sentences, never pays
less by leaving one out: no false alarm on the desk's correct corpus comes before catching
every omission.

A join (any pairing with several sentences on one side) is priced like an omission when one
of its sentences has no evidence of being on the other side: what it requires there (a figure;
for an English sentence, a negation: "He gave no reason.") is nowhere in the other side, or it
shares no anchor with the other side of the join and that side's length is nearer to the rest
of the join than to all of it. Otherwise a short sentence dropped beside a neighbour reads as
joined to it.

Two more tests keep a reordering from reading as an omission: an English sentence left alone in
one place and a translated one in another that could translate it cancel out (a sentence
moved); and a sentence is reported left out only when the whole translation is short by at
least half its length, or neither neighbouring pairing could take it in by the test above, or
one of its numbers is nowhere in the translation (and the same, the other way, for one added).

Severity: a warning, always. A check has one severity (`Check.severity`), and the strong case
the issue names, a dropped sentence carrying a number, already raises the `numbers` error on
the same paragraph; a dropped sentence without a figure is a question for the translator, not a
block on approval. The message names each sentence (its first ~80 characters).
"""

import math
import re
from dataclasses import dataclass

from workflow.checks.base import Check, Pair, Severity
from workflow.checks.calendar import months, weekdays
from workflow.checks.number_words import word_numbers
from workflow.checks.numbers import figures
from workflow.checks.sentences import split_sentences

# Letters and digits of the translation per letter and digit of the English, and the variance
# of that count per English letter, measured on the correct Russian and Ukrainian of
# tests/data/omission_corpus.json (130 matched sentence groups each: ratio 1.07 and 1.06,
# variance 1.2) and of the demo story (1.04 and 0.97, variance 2.0 and 3.1). Counted without
# spaces and punctuation, Russian and Ukrainian run close to English: longer words, but no
# articles. The variance is set above every measurement, so that a free translation is read
# as a translation.
RATIO = {"ru": 1.07, "uk": 1.06}
VARIANCE = 3.0
# What each way of pairing sentences costs (a negative log of how often it happens).
PRIOR = {(1, 1): 0.0, (2, 1): 2.5, (1, 2): 2.5, (2, 2): 4.5, (3, 1): 5.0, (1, 3): 5.0}
ALONE = 6.0  # a sentence of either side with no counterpart
ANCHOR_SHARED = 2.0  # taken off for each number or name found on both sides of a pairing
ANCHOR_ELSEWHERE = 3.0  # added for each that the other side has, but in another sentence
NUMBER_ABSENT = 3.0  # taken off a sentence left alone with a number the other side lacks
MOVED_LENGTH = 2.0  # at most this length cost for a sentence left alone to count as moved
MOST_SENTENCES = 30  # past this a paragraph is not news prose (a pasted story?): not tried
EXCERPT = 80

LATIN_NAME = re.compile(r"\b[A-Z][A-Za-z0-9&-]*[A-Za-z0-9]|\b[A-Za-z]+\d[\w-]*")


@dataclass(frozen=True)
class Sentence:
    """A sentence with what the aligner weighs: its length, its anchors, and what the other
    side must have somewhere if it translates the sentence (`required`: see `_required`)."""

    text: str
    length: int
    anchors: frozenset[str]
    required: frozenset[str] = frozenset()


def _figures(text: str, lang: str) -> set[str]:
    """The figures as the `numbers` check reads them (3,000 = 3 000; $43.1 billion = 43,1 млрд;
    $2m = 2 млн; 10 p.m. = 22:00), each by its largest reading, marked with "#"."""
    return {f"#{max(f.amounts):f}" for f in figures(text, lang)}


# A negation, the one word of meaning cheap to read on both sides. Broad on the translated side
# (any word in не-/ні-/ни-/без-: «неясно», «ніхто», «без жертв»), so that a negation of the
# English missing from the whole translation is a sign that the sentence saying it is missing.
NEGATION = {
    "en": re.compile(r"\b(?:not|never|none|nobody|nothing|neither|nor|without|no(?![.\s]*\d))\b"
                     r"|n't\b", re.IGNORECASE),
    "cyrillic": re.compile(r"(?<![^\W\d_])(?:не|ні|ни|без)", re.IGNORECASE),
}  # fmt: skip


def _anchors(text: str, lang: str) -> set[str]:
    """What ties a sentence to its translation without a dictionary: its figures, the numbers
    it spells (five = п'ять), its weekdays and months (Monday = понедельник), and its
    Latin-letter words in lower case."""
    words = {f"#{value.normalize():f}" for value in word_numbers(text, lang)}
    days = {f"@day{d}" for d in weekdays(text, lang)} | {f"@month{m}" for m in months(text, lang)}
    latin = {word.lower() for word in LATIN_NAME.findall(text)}
    # The translation's negation is there to be found; the English one is required.
    negation = lang != "en" and NEGATION["cyrillic"].search(text)
    return _figures(text, lang) | words | days | latin | ({"@not"} if negation else set())


def _required(text: str, lang: str) -> set[str]:
    """What the other side must have somewhere if it says this text: its figures, and for the
    English a negation."""
    negation = lang == "en" and NEGATION["en"].search(text)
    return _figures(text, lang) | ({"@not"} if negation else set())


def _sentences(text: str, lang: str) -> list[Sentence]:
    return [
        Sentence(
            s,
            sum(map(str.isalnum, s)),
            frozenset(_anchors(s, lang)),
            frozenset(_required(s, lang)),
        )
        for s in split_sentences(text)
    ]


def _length_cost(english: int, translated: int, ratio: float) -> float:
    """How unlikely it is that `translated` letters translate `english` letters: minus the log
    of the two-tailed probability of so large a difference (Gale and Church's delta)."""
    mean = max((english + translated / ratio) / 2, 1.0)
    delta = abs(translated - ratio * english) / math.sqrt(VARIANCE * mean)
    tail = math.erfc(delta / math.sqrt(2))
    if tail > 1e-300:
        return -math.log(tail)
    return delta * delta / 2 + math.log(delta)  # the tail's asymptote, past float range


@dataclass(frozen=True)
class Alignment:
    """English sentences with no counterpart, and translated sentences with none."""

    missing: tuple[str, ...]
    added: tuple[str, ...]
    # Every sentence left alone is one that neither neighbouring pairing could take in.
    unabsorbed: bool = False


def _groups(sentences: list[Sentence]) -> list[list[Sentence]]:
    """For each end `i` and size `k` (0 to 3), sentences[i - k:i] as one."""
    groups = []
    for i in range(len(sentences) + 1):
        row = []
        for k in range(min(i, 3) + 1):
            part = sentences[i - k : i]
            row.append(
                Sentence(
                    " ".join(s.text for s in part),
                    sum(s.length for s in part),
                    frozenset().union(*(s.anchors for s in part)),
                    frozenset().union(*(s.required for s in part)),
                )
            )
        groups.append(row)
    return groups


def align(english: list[Sentence], translated: list[Sentence], ratio: float) -> Alignment:
    """The cheapest pairing of the two sentence lists in order, as what it leaves alone."""
    every_english = frozenset().union(*(s.anchors for s in english))
    every_translated = frozenset().union(*(s.anchors for s in translated))
    n, m = len(english), len(translated)
    ours_groups, theirs_groups = _groups(english), _groups(translated)

    def cost(i: int, di: int, j: int, dj: int) -> float:
        ours_group, theirs_group = ours_groups[i][di], theirs_groups[j][dj]
        ours_length, ours = ours_group.length, ours_group.anchors
        theirs_length, theirs = theirs_group.length, theirs_group.anchors
        elsewhere = len((ours - theirs) & every_translated) + len((theirs - ours) & every_english)
        if not di or not dj:
            other = every_translated if di else every_english
            # One number only: converted times (10 p.m. = 22:00) leave several behind.
            absent = bool((ours_group.required | theirs_group.required) - other)
            return ALONE + ANCHOR_ELSEWHERE * elsewhere - NUMBER_ABSENT * absent
        # A join with a sentence nothing speaks for is an omission dressed as a join.
        unaccounted = _unaccounted(
            english[i - di : i], theirs_length, theirs, ratio, every_translated
        ) or _unaccounted(translated[j - dj : j], ours_length * ratio, ours, 1.0, every_english)
        return (
            PRIOR[(di, dj)]
            + _length_cost(ours_length, theirs_length, ratio)
            - ANCHOR_SHARED * len(ours & theirs)
            + ANCHOR_ELSEWHERE * elsewhere
            + ALONE * unaccounted
        )

    steps = [*PRIOR, (1, 0), (0, 1)]
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for di, dj in steps:
                if (di or dj) and i >= di and j >= dj and best[i - di][j - dj] < math.inf:
                    total = best[i - di][j - dj] + cost(i, di, j, dj)
                    if total < best[i][j]:
                        best[i][j], back[i][j] = total, (di, dj)
    path: list[tuple[int, int, int, int]] = []  # (i, di, j, dj) from the start
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        path.insert(0, (i - di, di, j - dj, dj))
        i, j = i - di, j - dj
    missing = [english[i] for i, di, _, dj in path if not dj]
    added = [translated[j] for _, di, j, dj in path if not di]
    found = _without_moves(missing, added, ratio)
    unabsorbed = all(
        _no_neighbour_absorbs(path, k, english, translated, ratio)
        for k, (_, di, _, dj) in enumerate(path)
        if not di or not dj
    )
    return Alignment(found.missing, found.added, unabsorbed)


def _no_neighbour_absorbs(
    path: list[tuple[int, int, int, int]],
    k: int,
    english: list[Sentence],
    translated: list[Sentence],
    ratio: float,
) -> bool:
    """Whether the sentence left alone at step `k` of the path would be unaccounted for in a
    join with the pairing before it and in one with the pairing after it (a neighbour that is
    left alone too, or none at all, takes nothing in)."""
    i, di, j, _ = path[k]
    for before in (True, False):
        near = k - 1 if before else k + 1
        if not 0 <= near < len(path) or not path[near][1] or not path[near][3]:
            continue
        ni, ndi, nj, ndj = path[near]
        ours, theirs = english[ni : ni + ndi], translated[nj : nj + ndj]
        if di:  # an English sentence left out, joined to the neighbour's English
            alone, joined, other, scale = english[i], ours, theirs, ratio
            everywhere = frozenset().union(*(s.anchors for s in translated))
        else:  # a translated sentence added, joined to the neighbour's translation
            alone, joined, other, scale = translated[j], theirs, ours, 1 / ratio
            everywhere = frozenset().union(*(s.anchors for s in english))
        joined = [alone, *joined] if not before else [*joined, alone]
        length = sum(s.length for s in other)
        anchors = frozenset().union(*(s.anchors for s in other))
        if not _unaccounted(joined, length, anchors, scale, everywhere, only=alone):
            return False
    return True


def _unaccounted(
    joined: list[Sentence],
    other_length: float,
    other: frozenset[str],
    ratio: float,
    everywhere: frozenset[str],
    only: Sentence | None = None,
) -> bool:
    """Whether one of several sentences joined against the other side (or `only` that one) has
    no evidence of being there: what it must have (a figure, a negation) is nowhere on the other
    side (`everywhere`), or no number or name of it is in `other` and `other_length` (in this
    side's letters times `ratio`) is nearer to the rest of the join than to the whole of it."""
    if len(joined) < 2:
        return False
    total = sum(s.length for s in joined)
    return any(
        bool(s.required - everywhere)
        or (not s.anchors & other and other_length < ratio * (total - s.length / 2))
        for s in ([only] if only else joined)
    )


def _without_moves(missing: list[Sentence], added: list[Sentence], ratio: float) -> Alignment:
    """What is left alone, less a sentence moved: an English sentence left out in one place
    and a translated one added in another that could translate it (lengths in proportion, no
    number of either missing from the other) is a translator's reordering, not an omission."""
    added = list(added)
    left: list[str] = []
    for sentence in missing:
        move = next((t for t in added if _could_translate(sentence, t, ratio)), None)
        if move is None:
            left.append(sentence.text)
        else:
            added.remove(move)
    return Alignment(tuple(left), tuple(t.text for t in added))


def _could_translate(english: Sentence, translated: Sentence, ratio: float) -> bool:
    return (
        _length_cost(english.length, translated.length, ratio) <= MOVED_LENGTH
        and english.required <= translated.anchors
        and translated.required <= english.anchors
    )


def _excerpt(sentence: str) -> str:
    if len(sentence) <= EXCERPT:
        return f"“{sentence}”"
    return f"“{sentence[:EXCERPT].rsplit(' ', 1)[0]}…”"


def find_omissions(source: str, target: str, lang: str) -> Alignment:
    """What the translation leaves out of the English and adds to it, sentence by sentence.
    A one-sentence English paragraph has nothing to align and never leaves anything out."""
    english, translated = _sentences(source, "en"), _sentences(target, lang)
    if len(english) < 2 or not translated or max(len(english), len(translated)) > MOST_SENTENCES:
        return Alignment((), ())
    ratio = RATIO.get(lang, 1.0)
    found = align(english, translated, ratio)
    # A sentence left out shortens the whole translation by about its length; where the whole
    # is not short by even half that, and no number of the sentence is missing from the other
    # side, the sentence was moved or merged, not dropped (and the same for one added), unless
    # neither neighbour could take it in (`_unaccounted`): the rest was translated freely.
    surplus = sum(s.length for s in translated) - ratio * sum(s.length for s in english)
    if found.missing and not found.added:
        short = found.unabsorbed or -surplus >= ratio * _letters(found.missing) / 2
        lacking = _required_lacking(found.missing, "en", target, lang)
        return found if short or lacking else Alignment((), ())
    if found.added and not found.missing:
        long = found.unabsorbed or surplus >= _letters(found.added) / 2
        lacking = _required_lacking(found.added, lang, source, "en")
        return found if long or lacking else Alignment((), ())
    return found


def _required_lacking(sentences: tuple[str, ...], lang: str, other: str, other_lang: str) -> bool:
    """Whether a figure (or negation) of these sentences is nowhere in the other side's text."""
    theirs = _anchors(other, other_lang)
    return any(_required(s, lang) - theirs for s in sentences)


def _letters(sentences: tuple[str, ...]) -> int:
    return sum(sum(map(str.isalnum, s)) for s in sentences)


class OmissionCheck(
    Check, code="omission", name="Omitted or added sentence", severity=Severity.WARNING
):
    """A sentence of the English has no counterpart in the translation, or the translation has a
    sentence the English does not."""

    def check(self, pair: Pair) -> str | None:
        found = find_omissions(pair.source, pair.target, pair.lang)
        parts = []
        if found.missing:
            named = "; ".join(_excerpt(s) for s in found.missing)
            parts.append(
                f"The translation has nothing for the English {_sentence(found.missing)} {named}"
            )
        if found.added:
            named = "; ".join(_excerpt(s) for s in found.added)
            parts.append(
                f"the English has nothing for the translated {_sentence(found.added)} {named}"
            )
        if not parts:
            return None
        message = "; ".join(parts)
        return message[0].upper() + message[1:]


def _sentence(sentences: tuple[str, ...]) -> str:
    return "sentence" if len(sentences) == 1 else "sentences"
