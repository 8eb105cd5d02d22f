"""`numbers`: every number of the English is in the translation, and no other.

Numbers are compared by value across conventions: 3,000 = 3000 = 3 000 (with a space or a
no-break space); 11.2 = 11,2; 2% = 2 %; $43.1 billion = 43,1 млрд (and = 43 100 000 000);
times as times (09:05 = 9:05 = 9.05; 10 p.m. = 22:00). A number written the other language's
way is read both ways where it is ambiguous (3,000 in a Russian text may be three thousand or
three). Small numbers spelled as words (three, три, first) may stand for a figure on the other
side.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from workflow.checks.base import Check, Pair, Severity

GROUP = "[ \u00a0\u202f\u2009]"  # a space, no-break, narrow no-break or thin space
TIME = re.compile(r"(?<![\d:.,])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
NUMBER = re.compile(
    r"(?<![\w.,])"  # not inside a word (G7) nor the tail of another number
    rf"(\d{{1,3}}(?:(?:,|\.|{GROUP})\d{{3}})+|\d+)"  # digits, maybe grouped by thousands
    r"(?:([.,])(\d+))?"  # a decimal part
    r"(?![.,]\d)"
)
SCALES = {
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "тыс": 10**3, "тис": 10**3, "млн": 10**6, "млрд": 10**9, "трлн": 10**12,
    "тысяч": 10**3, "тисяч": 10**3, "миллион": 10**6, "мільйон": 10**6,
    "миллиард": 10**9, "мільярд": 10**9, "триллион": 10**12, "трильйон": 10**12,
}  # fmt: skip
PM = re.compile(r"\s*p\.?\s?m\b", re.IGNORECASE)
SCALE_AFTER = re.compile(r"\s*([A-Za-zА-Яа-яЁёІіЇїЄєҐґ]+)")
WORD_NUMBERS: dict[str, dict[str, float]] = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
           "hundred": 100, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
           "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "half": 0.5},
    "ru": {"один": 1, "одна": 1, "одно": 1, "два": 2, "две": 2, "три": 3, "четыре": 4,
           "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
           "сто": 100},
    "uk": {"один": 1, "одна": 1, "одне": 1, "два": 2, "дві": 2, "три": 3, "чотири": 4,
           "п'ять": 5, "п’ять": 5, "шість": 6, "сім": 7, "вісім": 8, "дев'ять": 9,
           "дев’ять": 9, "десять": 10, "сто": 100},
}  # fmt: skip
WORD = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class Figure:
    """A number as written, and every value it may stand for."""

    written: str
    values: frozenset[Decimal]


def _readings(whole: str, fraction: str | None, lang: str) -> set[Decimal]:
    """The values digits may have: "3,000" is 3000 in English, 3000 or 3.0 in Russian."""
    separators = set(re.findall(r"\D", whole))
    digits = re.sub(r"\D", "", whole)
    readings: set[Decimal] = set()
    if fraction is not None:
        readings.add(Decimal(f"{digits}.{fraction}"))
    elif not separators:
        readings.add(Decimal(digits))
    else:
        readings.add(Decimal(digits))  # thousands grouped, the usual reading
        if len(separators) == 1 and whole.count(next(iter(separators))) == 1:
            separator = next(iter(separators))
            english_decimal = lang == "en" and separator == "."
            other_decimal = lang != "en" and separator in ",."
            if english_decimal or other_decimal:
                readings.add(Decimal(whole.replace(separator, ".")))
    return {value.normalize() for value in readings}


def _scaled(text: str, end: int, values: set[Decimal]) -> set[Decimal]:
    """Add the full value of "43.1 billion" / "43,1 млрд" to the plain one."""
    after = SCALE_AFTER.match(text, end)
    if after is None:
        return values
    word = after.group(1).lower()
    scale = next((v for k, v in SCALES.items() if word.startswith(k)), None)
    if scale is None:
        return values
    return values | {(value * scale).normalize() for value in values}


def _time(hours: str, minutes: str) -> set[Decimal]:
    """A time as values: 9:30 is 9.30 (as some write it); 9:00 is also plain 9."""
    values = {Decimal(f"{int(hours)}.{minutes}").normalize()}
    if minutes == "00":
        values.add(Decimal(int(hours)))
    return values


def figures(text: str, lang: str) -> list[Figure]:
    """The numbers and times of a text, each with every value it may stand for."""
    found = [
        Figure(m.group(0), frozenset(_time(m.group(1), m.group(2)))) for m in TIME.finditer(text)
    ]
    plain = TIME.sub(" ", text)
    for match in NUMBER.finditer(plain):
        whole, fraction = match.group(1), match.group(3)
        values = _scaled(plain, match.end(), _readings(whole, fraction, lang))
        if lang == "en" and fraction is None and PM.match(plain, match.end()):
            values |= {value + 12 for value in values if value < 12}  # 10 p.m. = 22:00
        found.append(Figure(match.group(0), frozenset(values)))
    return found


def word_numbers(text: str, lang: str) -> set[Decimal]:
    words = WORD_NUMBERS.get(lang, {})
    return {Decimal(str(words[w])) for w in (m.lower() for m in WORD.findall(text)) if w in words}


def _match(
    required: list[Figure], offered: list[Figure], spelled: Iterable[Decimal]
) -> tuple[list[Figure], list[Figure]]:
    """Pair each required figure with an offered one of the same value (else a number word);
    returns the required ones left unmatched and the offered ones nobody asked for."""
    left = list(offered)
    words = set(spelled)
    missing = []
    for figure in required:
        partner = next((o for o in left if o.values & figure.values), None)
        if partner is not None:
            left.remove(partner)
        elif not words & figure.values:
            missing.append(figure)
    return missing, left


class NumbersCheck(Check):
    code = "numbers"
    name = "Numbers"
    description = "Every number in the English appears in the translation, and no other."
    severity = Severity.ERROR

    def check(self, pair: Pair) -> str | None:
        if not pair.target.strip():
            return None  # `empty` says it
        source = figures(pair.source, "en")
        target = figures(pair.target, pair.lang)
        missing, extra = _match(source, target, word_numbers(pair.target, pair.lang))
        spelled_in_english = word_numbers(pair.source, "en")
        extra = [f for f in extra if not f.values & spelled_in_english]
        problems = []
        if missing:
            written = ", ".join(f.written for f in missing)
            problems.append(f"the English has {written}, missing in the translation")
        if extra:
            written = ", ".join(f.written for f in extra)
            problems.append(f"the translation has {written}, not in the English")
        if not problems:
            return None
        message = "; ".join(problems)
        return message[0].upper() + message[1:] + "."
