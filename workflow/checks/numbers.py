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
SCALE_AFTER = re.compile(r"\s*-?([A-Za-zА-Яа-яЁёІіЇїЄєҐґ]+)")
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
    """A number as written, and every value it may stand for; `scaled` when a scale word
    follows it (million, млрд), so two scaled figures must agree on the full amount."""

    written: str
    values: frozenset[Decimal]
    scaled: frozenset[Decimal] = frozenset()

    def agrees(self, other: "Figure") -> bool:
        if self.scaled and other.scaled:
            return bool(self.scaled & other.scaled)
        return bool(self.values & other.values)


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


def _scale(word: str) -> int | None:
    word = word.lower()
    return next((v for k, v in SCALES.items() if word.startswith(k)), None)


def _scaled(text: str, end: int, values: set[Decimal]) -> set[Decimal]:
    """The full values of "43.1 billion" / "43,1 млрд" (empty without a scale word)."""
    after = SCALE_AFTER.match(text, end)
    scale = _scale(after.group(1)) if after else None
    if scale is None:
        return set()
    return {(value * scale).normalize() for value in values}


def _time(hours: str, minutes: str) -> set[Decimal]:
    """A time as values: 9:30 is 9.30 (as some write it); 9:00 is also plain 9."""
    values = {Decimal(f"{int(hours)}.{minutes}").normalize()}
    if minutes == "00":
        values.add(Decimal(int(hours)))
    return values


DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)(?!\.\d)")
TIMES_SIGN = re.compile(r"(?<=\d)\s?[x×]\s?(?=\d)")


def figures(text: str, lang: str) -> list[Figure]:
    """The numbers and times of a text, each with every value it may stand for."""
    # 4x100 is two numbers; 24.02.2022 is a day and a year (its month is a word in English).
    text = TIMES_SIGN.sub(" × ", text)
    text = DATE.sub(lambda m: f"{m.group(1)} / {m.group(3)}", text)
    found = []
    for m in TIME.finditer(text):
        values = _time(m.group(1), m.group(2))
        if lang == "en" and PM.match(text, m.end()) and int(m.group(1)) < 12:
            values = _time(str(int(m.group(1)) + 12), m.group(2))
        found.append(Figure(m.group(0), frozenset(values)))
    plain = TIME.sub(" ", text)
    for match in NUMBER.finditer(plain):
        whole, fraction = match.group(1), match.group(3)
        values = _readings(whole, fraction, lang)
        scaled = _scaled(plain, match.end(), values)
        if lang == "en" and fraction and len(fraction) == 2 and PM.match(plain, match.end()):
            hours = int(re.sub(r"\D", "", whole))  # "1,000.30 p.m." is no time, and no crash
            values = {Decimal(f"{hours % 12 + 12}.{fraction}").normalize()}
        if lang == "en" and plain[match.end() : match.end() + 1] == "s" and len(whole) == 4:
            values.add(Decimal(whole[2:]))  # the 1980s = the 80s
        if lang == "en" and fraction is None and PM.match(plain, match.end()):
            values |= {value + 12 for value in values if value < 12}  # 10 p.m. = 22:00
        found.append(Figure(match.group(0), frozenset(values | scaled), frozenset(scaled)))
    return found


# Words that stand for a number in Russian and Ukrainian news: months (11 сентября = 9/11),
# ordinals by their stem (второй, третій), and "round the clock" for 24/7.
STEMS = {
    "январ": 1, "січ": 1, "феврал": 2, "лют": 2, "март": 3, "берез": 3, "апрел": 4,
    "квіт": 4, "ма": 5, "трав": 5, "июн": 6, "черв": 6, "июл": 7, "лип": 7, "август": 8,
    "серп": 8, "сентябр": 9, "верес": 9, "октябр": 10, "жовт": 10, "ноябр": 11,
    "листопад": 11, "декабр": 12, "груд": 12,
    "перв": 1, "перш": 1, "втор": 2, "друг": 2, "трет": 3, "четверт": 4, "четвёрт": 4,
    "шест": 6, "седьм": 7, "сьом": 7, "восьм": 8, "десят": 10,
}  # fmt: skip
EXACT_STEMS = {"ма": {"мая", "май", "мае"}}  # too short a stem to match by prefix
EXACT_WORDS = (
    {w: 5 for w in ("пятый", "пятая", "пятое", "пятого", "п'ятий", "п’ятий", "п'ята", "п’ята")}
    | {w: 9 for w in ("девятый", "девятая", "дев'ятий", "дев’ятий")}
    | {
        "впервые": 1,
        "вперше": 1,
        "вдруге": 2,
        "втретє": 3,  # for the first, second, third time
    }
)
ROUND_THE_CLOCK = ("круглосуточ", "цілодобов")
ROMAN = re.compile(r"^[IVXLC]{2,}$|^[IVX]$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(token: str) -> int:
    total = 0
    for letter, following in zip(token, [*token[1:], ""], strict=True):
        value = ROMAN_VALUES[letter]
        total += -value if following and ROMAN_VALUES[following] > value else value
    return total


def _stem_value(token: str) -> int | None:
    if token in EXACT_WORDS:
        return EXACT_WORDS[token]
    for stem, value in STEMS.items():
        if stem in EXACT_STEMS:
            if token in EXACT_STEMS[stem]:
                return value
        elif token.startswith(stem) and len(token) >= len(stem) + 1:
            return value
    return None


TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}  # fmt: skip
TEENS = {"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
         "eighteen": 18, "nineteen": 19}  # fmt: skip


def word_numbers(text: str, lang: str) -> set[Decimal]:
    """Values written in words: "three", "twenty-two", "half a million", "миллиона" (1 and
    a million: a scale word alone stands for one of it)."""
    words = WORD_NUMBERS.get(lang, {})
    found: set[Decimal] = set()
    raw = WORD.findall(text.replace("-", " "))
    if lang != "en":
        found |= {Decimal(_roman(t)) for t in raw if ROMAN.match(t)}
        lowered = [t.lower() for t in raw]
        found |= {Decimal(v) for t in lowered if (v := _stem_value(t)) is not None}
        if any(t.startswith(ROUND_THE_CLOCK) for t in lowered):
            found |= {Decimal(24), Decimal(7)}
    tokens = [m.lower() for m in raw]
    for i, token in enumerate(tokens):
        value: float | None = words.get(token)
        if lang == "en":
            value = value if value is not None else TEENS.get(token) or TENS.get(token)
            if token in TENS and i + 1 < len(tokens) and tokens[i + 1] in words:
                found.add(Decimal(TENS[token] + int(words[tokens[i + 1]])))
        if value is not None:
            found.add(Decimal(str(value)))
            scale = _scale(tokens[i + 1]) if i + 1 < len(tokens) else None
            # "half a million"; the guard keeps a paragraph that ends in a number word safe
            skip = i + 2 < len(tokens) and tokens[i + 1] == "a"
            scale = _scale(tokens[i + 2]) if skip else scale
            if scale:
                found.add((Decimal(str(value)) * scale).normalize())
        elif (scale := _scale(token)) is not None and not (i and _is_number_word(tokens[i - 1])):
            found |= {Decimal(1), Decimal(scale)}
    return found


def _is_number_word(token: str) -> bool:
    return token.isdigit() or any(token in w for w in WORD_NUMBERS.values())


def _match(
    required: list[Figure], offered: list[Figure], spelled: Iterable[Decimal]
) -> tuple[list[Figure], list[Figure]]:
    """Pair each required figure with an offered one of the same value (else a number word);
    returns the required ones left unmatched and the offered ones nobody asked for."""
    left = list(offered)
    words = set(spelled)
    missing = []
    for figure in required:
        partner = next((o for o in left if o.agrees(figure)), None)
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
