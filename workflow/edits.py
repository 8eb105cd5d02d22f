"""What an edit of an English paragraph did: minor (meaning cannot have changed) or changed.

Minor edits are spelling fixes, punctuation, capitalisation, spacing, quote styles and spelling
variants (stabilise/stabilize, defence/defense). Anything that touches a number, date, time,
weekday, month, name, place or negation is changed, however few characters it touches, and so
is any word added, removed or replaced by another word. When unsure, the answer is changed:
a false alarm costs a translator a glance, a missed change costs a correction notice.

Also here: the word-level diff the desk shows beside a stale translation.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from workflow.segmentation import comparison_key

# Words, with inner apostrophes (don't, Ukraine's); numbers with their group separators; and the
# symbols that carry meaning (a question, a percentage, a currency, a sign).
_TOKEN = re.compile(r"\d+(?:[.,:\u00a0\u202f ]\d+)*|\w+(?:'\w+)*|[?%$€£¥₽₴+\-−]")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}\b)")

WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "today", "tomorrow", "yesterday", "tonight",
}  # fmt: skip
MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}  # fmt: skip
NEGATIONS = {
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "without",
    "cannot", "against", "un", "non",
}  # fmt: skip
NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "trillion", "dozen", "dozens", "hundreds",
    "thousands", "millions", "billions", "first", "second", "third", "fourth", "fifth", "half",
    "quarter", "once", "twice", "double", "triple", "single", "both", "all", "some", "most",
    "few", "many", "several", "more", "less", "fewer",
}  # fmt: skip
# Pairs of spellings that are the same word in British and American English.
_VARIANT_ENDINGS = [
    ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"),
    ("ise", "ize"), ("yse", "yze"), ("ysed", "yzed"), ("ysing", "yzing"), ("our", "or"),
    ("ours", "ors"), ("oured", "ored"), ("re", "er"), ("res", "ers"), ("ence", "ense"),
    ("ogue", "og"), ("ogues", "ogs"), ("lled", "led"), ("lling", "ling"), ("ller", "ler"),
    ("mme", "m"), ("mmes", "ms"),
]  # fmt: skip


class Token(NamedTuple):
    """One word, number or meaningful symbol, as written and as compared."""

    text: str
    key: str


def tokens(text: str) -> list[Token]:
    return [
        Token(word, _THOUSANDS.sub("", word) if word[0].isdigit() else word.lower())
        for word in _TOKEN.findall(comparison_key(text))
    ]


def _carries_meaning(token: Token) -> bool:
    """Numbers, dates, names, places and negations: a change to these is never minor."""
    word = token.key
    if any(c.isdigit() for c in word) or not word[0].isalnum():
        return True
    if word in WEEKDAYS or word in MONTHS or word in NEGATIONS or word in NUMBER_WORDS:
        return True
    if word.endswith("n't"):
        return True
    # A capital letter inside a sentence is a name or a place. At a sentence start it may be
    # either, and when unsure the answer is "changed": so any capitalised word counts.
    return token.text[0].isupper()


def _regional_variant(a: str, b: str) -> bool:
    """British and American spellings of one word: stabilise/stabilize, Defence/Defense."""
    if len(a) < 4 or len(b) < 4:
        return False
    for british, american in _VARIANT_ENDINGS:
        for x, y in ((british, american), (american, british)):
            if a.endswith(x) and b.endswith(y) and a[: -len(x)] == b[: -len(y)]:
                return True
    return a.replace("ae", "e").replace("oe", "e") == b.replace("ae", "e").replace("oe", "e")


def _typo_fix(a: str, b: str) -> bool:
    """Two letters swapped, or a letter doubled or undoubled: recieve/receive, occured/occurred."""
    if len(a) < 4 or len(b) < 4:
        return False  # short words differ by one letter all the time: now/not, he/she
    ops = list(Levenshtein.editops(a, b))
    if len(ops) == 2 and _is_transposition(a, b):
        return True  # recieve / receive
    if len(ops) == 1 and ops[0].tag in ("insert", "delete"):
        # A doubled or undoubled letter: occured / occurred, travelled / traveled.
        op = ops[0]
        longer = a if len(a) > len(b) else b
        at = op.src_pos if op.tag == "delete" else op.dest_pos
        return (at > 0 and longer[at] == longer[at - 1]) or (
            at + 1 < len(longer) and longer[at] == longer[at + 1]
        )
    return False


def _is_transposition(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


def is_minor(old: str, new: str) -> bool:
    """Whether the edit from `old` to `new` cannot have changed what the paragraph says."""
    before, after = tokens(old), tokens(new)
    if [t.key for t in before] == [t.key for t in after]:
        return True  # punctuation, capitalisation, spacing or quote style only
    for op in Levenshtein.opcodes([t.key for t in before], [t.key for t in after]):
        if op.tag == "equal":
            continue
        removed = before[op.src_start : op.src_end]
        added = after[op.dest_start : op.dest_end]
        if not _minor_replacement(removed, added, before, op.src_start):
            return False
    return True


def _minor_replacement(
    removed: list[Token], added: list[Token], before: list[Token], at: int
) -> bool:
    if not added and len(removed) == 1 and at > 0 and before[at - 1].key == removed[0].key:
        return not _carries_meaning(removed[0])  # a doubled word removed: "the the"
    if len(removed) != len(added):
        return False  # a word added or removed can change anything ("not")
    return all(_same_word(a, b) for a, b in zip(removed, added, strict=True))


def _same_word(a: Token, b: Token) -> bool:
    if a.key.isalpha() and b.key.isalpha() and _regional_variant(a.key, b.key):
        return True  # regular enough to hold even for a capitalised word (Defence Secretary)
    return not _carries_meaning(a) and not _carries_meaning(b) and _typo_fix(a.key, b.key)


@dataclass(frozen=True)
class DiffPart:
    """A run of the word diff: kept, removed or added text."""

    kind: str  # "equal", "delete" or "insert"
    text: str


def word_diff(old: str, new: str) -> list[DiffPart]:
    """The words removed from and added to `old` to make `new`, in reading order."""
    a, b = comparison_key(old).split(" "), comparison_key(new).split(" ")
    if a == [""]:
        a = []
    if b == [""]:
        b = []
    return list(_diff_parts(a, b))


def _diff_parts(a: list[str], b: list[str]) -> Iterator[DiffPart]:
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            yield DiffPart("equal", " ".join(a[op.src_start : op.src_end]))
            continue
        if op.src_end > op.src_start:
            yield DiffPart("delete", " ".join(a[op.src_start : op.src_end]))
        if op.dest_end > op.dest_start:
            yield DiffPart("insert", " ".join(b[op.dest_start : op.dest_end]))
