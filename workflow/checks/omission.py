"""`omission`: a sentence of the English with no counterpart in the translation, or a sentence
of the translation with no English counterpart.

The sentences of both sides (`sentences.split_sentences`) are aligned in order by a dynamic
programme in the manner of Gale and Church (1993): each step pairs one or more English
sentences with one or more translated ones (1-1, a join 2-1, a split 1-2, and 2-2, 1-3, 3-1 for
a splitter's stray cut beside a translator's join), or leaves one sentence of either side
alone (1-0, an omission; 0-1, an addition). A pairing costs what its lengths make unlikely, in
letters and digits, against the ratio this language keeps to English; numbers (and Latin-letter
names such as "Nvidia" or "G7") seen on both sides pull their sentences together, and a number
found in another sentence of the other side pushes them apart. A sentence left alone costs a
fixed price, set high enough that a correct translation, however freely joined, split or
reordered within its sentences, never pays less by leaving one out: no false alarm on the
desk's correct corpus comes before catching every omission.

Two more tests keep a reordering from reading as an omission: an English sentence left alone in
one place and a translated one in another that could translate it cancel out (a sentence
moved); and a sentence is reported left out only when the whole translation is short by at
least half its length, or one of its numbers is nowhere in the translation (and the same, the
other way, for one added).

Severity: a warning, always. A check has one severity (`Check.severity`), and the strong case
the issue names, a dropped sentence carrying a number, already raises the `numbers` error on
the same paragraph; a dropped sentence without a figure is a question for the translator, not a
block on approval. The message names each sentence (its first ~80 characters).
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from workflow.checks.base import Check, Pair, Severity
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

NUMBER = re.compile(
    r"(\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?)"  # 3,000 / 11.2 / 8,5
    r"(?:\s?(thousand|million|billion|trillion|тыс|тис|млн|млрд|трлн|мільйон|миллион"
    r"|мільярд|миллиард))?",
    re.IGNORECASE,
)
SCALES = {
    "thousand": 3, "тыс": 3, "тис": 3, "million": 6, "млн": 6, "мільйон": 6, "миллион": 6,
    "billion": 9, "млрд": 9, "мільярд": 9, "миллиард": 9, "trillion": 12, "трлн": 12,
}  # fmt: skip
LATIN_NAME = re.compile(r"\b[A-Z][A-Za-z0-9&-]*[A-Za-z0-9]|\b[A-Za-z]+\d[\w-]*")


@dataclass(frozen=True)
class Sentence:
    """A sentence with what the aligner weighs: its length and its anchors."""

    text: str
    length: int
    anchors: frozenset[str]


def _anchors(text: str) -> set[str]:
    """Numbers by value (3,000 = 3 000 = 3 тыс.; 11.2 = 11,2; 8.5 thousand = 8,500), marked
    with "#", and Latin-letter words in lower case."""
    numbers = set()
    for digits, scale in NUMBER.findall(text):
        if re.fullmatch(r"\d+[.,]\d+", digits) and not re.fullmatch(r"\d{1,3}[.,]\d{3}", digits):
            value = Decimal(digits.replace(",", "."))
        else:
            value = Decimal(re.sub(r"\D", "", digits))
        if scale:
            value = value.scaleb(SCALES[scale.lower()])
        numbers.add(f"#{value.normalize():f}")
    return numbers | {word.lower() for word in LATIN_NAME.findall(text)}


def _sentences(text: str) -> list[Sentence]:
    return [
        Sentence(s, sum(map(str.isalnum, s)), frozenset(_anchors(s))) for s in split_sentences(text)
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


def _groups(sentences: list[Sentence]) -> list[list[tuple[int, frozenset[str]]]]:
    """For each end `i` and size `k` (0 to 3), the length and anchors of sentences[i - k:i]."""
    groups = []
    for i in range(len(sentences) + 1):
        row = []
        for k in range(min(i, 3) + 1):
            part = sentences[i - k : i]
            row.append((sum(s.length for s in part), frozenset().union(*(s.anchors for s in part))))
        groups.append(row)
    return groups


def align(english: list[Sentence], translated: list[Sentence], ratio: float) -> Alignment:
    """The cheapest pairing of the two sentence lists in order, as what it leaves alone."""
    every_english = frozenset().union(*(s.anchors for s in english))
    every_translated = frozenset().union(*(s.anchors for s in translated))
    n, m = len(english), len(translated)
    ours_groups, theirs_groups = _groups(english), _groups(translated)

    def cost(i: int, di: int, j: int, dj: int) -> float:
        ours_length, ours = ours_groups[i][di]
        theirs_length, theirs = theirs_groups[j][dj]
        elsewhere = len((ours - theirs) & every_translated) + len((theirs - ours) & every_english)
        if not di or not dj:
            other = every_translated if di else every_english
            # One number only: converted times (10 p.m. = 22:00) leave several behind.
            absent = any(a.startswith("#") and a not in other for a in ours | theirs)
            return ALONE + ANCHOR_ELSEWHERE * elsewhere - NUMBER_ABSENT * absent
        return (
            PRIOR[(di, dj)]
            + _length_cost(ours_length, theirs_length, ratio)
            - ANCHOR_SHARED * len(ours & theirs)
            + ANCHOR_ELSEWHERE * elsewhere
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
    missing: list[Sentence] = []
    added: list[Sentence] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        if not dj:
            missing.insert(0, english[i - 1])
        elif not di:
            added.insert(0, translated[j - 1])
        i, j = i - di, j - dj
    return _without_moves(missing, added, ratio)


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
    numbers = {a for a in english.anchors | translated.anchors if a.startswith("#")}
    return (
        _length_cost(english.length, translated.length, ratio) <= MOVED_LENGTH
        and numbers <= english.anchors & translated.anchors
    )


def _excerpt(sentence: str) -> str:
    if len(sentence) <= EXCERPT:
        return f"“{sentence}”"
    return f"“{sentence[:EXCERPT].rsplit(' ', 1)[0]}…”"


def find_omissions(source: str, target: str, lang: str) -> Alignment:
    """What the translation leaves out of the English and adds to it, sentence by sentence.
    A one-sentence English paragraph has nothing to align and never leaves anything out."""
    english, translated = _sentences(source), _sentences(target)
    if len(english) < 2 or not translated or max(len(english), len(translated)) > MOST_SENTENCES:
        return Alignment((), ())
    ratio = RATIO.get(lang, 1.0)
    found = align(english, translated, ratio)
    # A sentence left out shortens the whole translation by about its length; where the whole
    # is not short by even half that, and no number of the sentence is missing from the other
    # side, the sentence was moved or merged, not dropped (and the same for one added).
    surplus = sum(s.length for s in translated) - ratio * sum(s.length for s in english)
    if found.missing and not found.added:
        short = -surplus >= ratio * _letters(found.missing) / 2
        return found if short or _number_lacking(found.missing, target) else Alignment((), ())
    if found.added and not found.missing:
        long = surplus >= _letters(found.added) / 2
        return found if long or _number_lacking(found.added, source) else Alignment((), ())
    return found


def _number_lacking(sentences: tuple[str, ...], other: str) -> bool:
    """Whether a number of these sentences is nowhere in the other side's text."""
    theirs = _anchors(other)
    return any(a.startswith("#") and a not in theirs for s in sentences for a in _anchors(s))


def _letters(sentences: tuple[str, ...]) -> int:
    return sum(sum(map(str.isalnum, s)) for s in sentences)


class OmissionCheck(Check):
    code = "omission"
    name = "Omitted or added sentence"
    description = (
        "A sentence of the English has no counterpart in the translation, or the translation "
        "has a sentence the English does not."
    )
    severity = Severity.WARNING

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
