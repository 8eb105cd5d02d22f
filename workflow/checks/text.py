"""Checks of the text's form: `empty`, `brackets`, `urls`, `length`, `unedited-machine`."""

import re
from collections import Counter

from workflow.checks.base import Check, Pair, Severity

PAIRS = {"(": ")", "[": "]", "{": "}", "«": "»", "„": "“", "“": "”"}
ADDRESS = re.compile(
    r"(?i)\b(?:https?://[^\s<>«»\"]+[^\s<>«»\".,;:!?)]|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]*\w)"
)
INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")  # spaces, zero-width marks
LENGTH_FROM = 40  # characters of English below which the ratio means little
LENGTH_RANGE = (0.5, 2.2)  # Russian and Ukrainian run 10-30% longer than English


class EmptyCheck(Check, code="empty", name="Empty", severity=Severity.ERROR):
    """The translation is empty while the English is not."""

    def check(self, pair: Pair) -> str | None:
        if pair.source.strip() and not INVISIBLE.sub("", pair.target):
            return "There is no translation of this paragraph yet."
        if _has_words(pair.source) and not _has_words(pair.target):
            # ".", "-" or "…" typed to get past a paragraph: punctuation is not a translation.
            return "The translation has no words, only punctuation or symbols."
        return None


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _unbalanced(text: str) -> list[str]:
    counts = Counter(text)
    wrong = [f"{o}{c}" for o, c in PAIRS.items() if o != c and counts[o] != counts[c]]
    if counts['"'] % 2:
        wrong.append('"')
    return wrong


class BracketsCheck(Check, code="brackets", name="Quotes and brackets", severity=Severity.WARNING):
    """Every opened quote or bracket is closed."""

    def check(self, pair: Pair) -> str | None:
        wrong = [w for w in _unbalanced(pair.target) if w not in _unbalanced(pair.source)]
        if wrong:
            return f"Unbalanced in the translation: {' '.join(wrong)}."
        return None


class AddressesCheck(
    Check, code="urls", name="Links and e-mail addresses", severity=Severity.ERROR
):
    """Every link and e-mail address of the English is kept, letter for letter."""

    def check(self, pair: Pair) -> str | None:
        missing = [a for a in ADDRESS.findall(pair.source) if a not in pair.target]
        if missing and pair.target.strip():
            return f"Missing from the translation: {', '.join(missing)}."
        return None


class LengthCheck(Check, code="length", name="Length", severity=Severity.WARNING):
    """The translation's length is far from the English's."""

    def check(self, pair: Pair) -> str | None:
        source, target = len(pair.source.strip()), len(pair.target.strip())
        if source < LENGTH_FROM or not target:
            return None
        ratio = target / source
        low, high = LENGTH_RANGE
        if ratio < low:
            return f"The translation is {ratio:.0%} of the English's length: is something missing?"
        if ratio > high:
            return f"The translation is {ratio:.0%} of the English's length: is something added?"
        return None


class UneditedMachineCheck(
    Check, code="unedited-machine", name="Unedited machine text", severity=Severity.WARNING
):
    """The translation is a machine draft nobody changed."""

    def check(self, pair: Pair) -> str | None:
        if (
            pair.draft_origin.startswith("machine")
            and pair.draft_text is not None
            and pair.target.strip() == pair.draft_text.strip()
            and pair.target.strip()
        ):
            return "Machine translation nobody has edited: read it against the English."
        return None
