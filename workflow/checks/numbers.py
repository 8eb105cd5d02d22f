"""`numbers`: every number of the English is in the translation, and no other.

Numbers are compared by value across conventions: 3,000 = 3000 = 3 000 (with a space or a
no-break space); 11.2 = 11,2; 2% = 2 %; $43.1 billion = 43,1 млрд (and = 43 100 000 000);
times as times (09:05 = 9:05 = 9.05; 10 p.m. = 22:00). A number written the other language's
way is read both ways where it is ambiguous (3,000 in a Russian text may be three thousand or
three). A magnitude belongs to its figure: "$500 million" is not «500 доларів», nor 2.3 трлн
2,3 млрд; a magnitude word alone ("millions", «тысячи») must be in the translation too. Numbers
spelled in words in any form (three, трёх, пятеро, п'ятого: see `number_words`) may stand for a
figure on the other side, each by its whole value (5.5 million = «5 с половиной миллионов»); an
English number spelled out that counts a noun ("Five people") must be in the translation.
Weekdays and months are compared by value in any form (see `calendar`): they are figures of a
date, and a desk reads a changed day as a changed number. A month stands for its number only
where the English writes a date in figures (9/11 = «11 сентября»).
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise

from workflow.checks.base import Check, Pair, Severity
from workflow.checks.calendar import calendar_mismatch, months
from workflow.checks.number_words import (
    counted_numbers,
    magnitude_words,
    magnitude_words_alone,
    scale_of,
    spelled_numbers,
    word_numbers,
)

GROUP = "[ \u00a0\u202f\u2009]"  # a space, no-break, narrow no-break or thin space
TIME = re.compile(r"(?<![\d:.,])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
NUMBER = re.compile(
    r"(?<![\w.,])"  # not inside a word (G7) nor the tail of another number
    rf"(\d{{1,3}}(?:(?:,|\.|{GROUP})\d{{3}})+|\d+)"  # digits, maybe grouped by thousands
    r"(?:([.,])(\d+))?"  # a decimal part
    r"(?![.,]\d)"
)
# "4.2m tonnes" may be millions or metres: both readings stand. After a currency sign "m", "b"
# and "k" are magnitudes ($5m, £2b, $50k).
ATTACHED_M = re.compile(r"m(?![^\W\d_])")
CURRENCY_SCALES = {"m": 10**6, "b": 10**9, "k": 10**3}
CURRENCY_BEFORE = re.compile(r"[$€£¥₴₽₹₩]\s?$")
# What joins the two figures of a range: 3-4, $3-$4, 3 to 4, от 3 до 4, між 3 і 4.
RANGE = re.compile(r"\s*(?:[-–—/]|to|до|and|или|и|і|й|та|or|або|чи)?\s*[$€£¥₴₽]?\s*", re.I)
PM = re.compile(r"\s*p\.?\s?m\b", re.IGNORECASE)
# The word after a figure, past a case ending («50-ти миллионов») or a half («5 с половиной
# миллионов»: 5.5 million).
AND_A_HALF = r"\s+(?:с половиной|з половиною)\b"
SCALE_AFTER = re.compile(rf"(?:-[^\W\d_]{{1,3}}(?=\s))?(?:{AND_A_HALF})?\s*-?([^\W\d_]+)")
# A date written with figures, month first or day first: 9/11, 24/2.
SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")


@dataclass(frozen=True)
class Figure:
    """A number as written, and every value it may stand for; `scaled`, the full amounts when
    a magnitude word follows it (43.1 billion, 8,5 тыс.): then only the full amount agrees.
    `clock`: written as a 24-hour time (20:00); `evening`: an English hour before p.m. (8 p.m.
    is «в 8 вечера» or 20:00, never 8:00)."""

    written: str
    values: frozenset[Decimal]
    scaled: frozenset[Decimal] = frozenset()
    clock: bool = False
    evening: bool = False

    @property
    def amounts(self) -> frozenset[Decimal]:
        return self.scaled or self.values

    def agrees(self, other: "Figure") -> bool:
        if self.evening and other.clock:
            return bool({hour for hour in self.values if hour >= 12} & other.values)
        if other.evening and self.clock:
            return other.agrees(self)
        return bool(self.amounts & other.amounts)


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


def _scaled(text: str, start: int, end: int, values: set[Decimal]) -> tuple[set[Decimal], str]:
    """The full values of "43.1 billion" / "43,1 млрд" / "$5m", and the magnitude word as
    written (nothing without one)."""
    scale, written = _magnitude_after(text, start, end)
    return {(value * scale).normalize() for value in values} if scale else set(), written


def _magnitude_after(text: str, start: int, end: int) -> tuple[int, str]:
    """The magnitude after the figure at text[start:end], and its word (0 and "" if none)."""
    after = SCALE_AFTER.match(text, end)
    scale = scale_of(after.group(1)) if after else None
    if after and scale is None and CURRENCY_BEFORE.search(text[:start]):
        attached = text[end : end + 1].lower()
        if attached in CURRENCY_SCALES and not text[end + 1 : end + 2].isalpha():
            scale = CURRENCY_SCALES[attached]
    if after is None or scale is None:
        return 0, ""
    return scale, after.group(1)


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
        found.append(Figure(m.group(0), frozenset(values), clock=True))
    plain = TIME.sub(" ", text)
    numbers: list[tuple[Figure, int, int]] = []
    for match in NUMBER.finditer(plain):
        whole, fraction = match.group(1), match.group(3)
        values = _readings(whole, fraction, lang)
        if re.match(AND_A_HALF, plain[match.end() :]):
            values = {value + Decimal("0.5") for value in values}  # 5 с половиной
        scaled, magnitude = _scaled(plain, match.start(), match.end(), values)
        if lang == "en" and fraction and len(fraction) == 2 and PM.match(plain, match.end()):
            hours = int(re.sub(r"\D", "", whole))  # "1,000.30 p.m." is no time, and no crash
            values = {Decimal(f"{hours % 12 + 12}.{fraction}").normalize()}
        if lang == "en" and plain[match.end() : match.end() + 1] == "s" and len(whole) == 4:
            values.add(Decimal(whole[2:]))  # the 1980s = the 80s
        if lang == "en" and fraction is None and PM.match(plain, match.end()):
            values |= {value + 12 for value in values if value < 12}  # 10 p.m. = 22:00
        if lang == "en" and not scaled and ATTACHED_M.match(plain, match.end()):
            values |= {(value * 10**6).normalize() for value in values}  # 4.2m: metres or million
        written = f"{match.group(0)} {magnitude}" if magnitude else match.group(0)
        evening = lang == "en" and fraction is None and bool(PM.match(plain, match.end()))
        figure = Figure(written, frozenset(values), frozenset(scaled), evening=evening)
        numbers.append((figure, match.start(), match.end()))
    return found + _ranges_scaled(plain, numbers)


def _ranges_scaled(text: str, numbers: list[tuple[Figure, int, int]]) -> list[Figure]:
    """The first figure of a range takes the magnitude of the second: "3-4 billion",
    «от 3 до 4 млрд» (read either way, since "3 to 4 billion" may be written in full)."""
    figures = [figure for figure, _, _ in numbers]
    for i, ((figure, _, end), (following, start, _)) in enumerate(pairwise(numbers)):
        scale = _magnitude_after(text, start, start + len(following.written.split()[0]))[0]
        if not figure.scaled and following.scaled and RANGE.fullmatch(text, end, start) and scale:
            full = {(value * scale).normalize() for value in figure.values}
            figures[i] = replace(figure, scaled=frozenset(full | figure.values))
    return figures


def _match(
    required: list[Figure], offered: list[Figure], spelled: set[Decimal]
) -> tuple[list[Figure], list[Figure]]:
    """Pair each required figure with an offered one of the same amount (else a number word);
    returns the required ones left unmatched and the offered ones nobody asked for."""
    left = list(offered)
    missing = []
    for figure in required:
        partner = next((o for o in left if o.agrees(figure)), None)
        if partner is not None:
            left.remove(partner)
        elif not spelled & figure.amounts:
            missing.append(figure)
    return missing, left


@dataclass(frozen=True)
class Reading:
    """What one side of a pair says in numbers: its figures, the numbers its words spell, and
    the magnitudes it names in words, each alone («десятки тысяч» names thousands)."""

    figures: list[Figure]
    words: set[Decimal]
    magnitudes: set[Decimal]

    @classmethod
    def of(cls, text: str, lang: str, dates: frozenset[Decimal] = frozenset()) -> "Reading":
        """`dates`: the figures of the English's 9/11-style dates; a month the text names
        stands for those (9/11 is «11 сентября»), never for any other figure."""
        words = word_numbers(text, lang)
        if dates:
            words |= dates & {Decimal(month) for month in months(text, lang)}
        return cls(figures(text, lang), words, magnitude_words_alone(text, lang))

    @property
    def values(self) -> set[Decimal]:
        """Every value this side may be saying, in figures or in words."""
        return self.words | {v for f in self.figures for v in f.amounts | f.values}


def _spelled_mismatch(
    pair: Pair, english: Reading, translated: Reading
) -> tuple[list[str], list[str]]:
    """English numbers spelled out missing in the translation, and numbers it spells that the
    English does not have. A number counting a noun ("Five people") is required; any other
    spelled English number only where the translation spells another in its place ("three
    ships" → «пять кораблей»), since idioms drop it ("the Big Three", «дводержавне рішення»)."""
    said, offered = english.values, translated.values
    missing = [w for w, value in spelled_numbers(pair.source, "en").items() if value not in offered]
    extra = [w for w, value in spelled_numbers(pair.target, pair.lang).items() if value not in said]
    if missing and extra:
        return missing, extra
    counted = counted_numbers(pair.source).items()
    return [written for written, value in counted if value not in offered], []


class NumbersCheck(Check, code="numbers", name="Numbers", severity=Severity.ERROR):
    """Every number, magnitude, weekday and month in the English appears in the translation, and
    no other."""

    def check(self, pair: Pair) -> str | None:
        if not pair.target.strip():
            return None  # `empty` says it
        dates = frozenset(Decimal(n) for m in SLASH_DATE.finditer(pair.source) for n in m.groups())
        english = Reading.of(pair.source, "en")
        translated = Reading.of(pair.target, pair.lang, dates)
        missing_figures, extra_figures = _match(
            english.figures, translated.figures, translated.words
        )
        missing = [f.written for f in missing_figures]
        extra = [f.written for f in extra_figures if not f.amounts & english.words]
        magnitudes = magnitude_words(pair.source, "en").items()
        named = translated.values | translated.magnitudes
        missing += [written for written, amount in magnitudes if amount not in named]
        for more_missing, more_extra in (
            _spelled_mismatch(pair, english, translated),
            calendar_mismatch(pair.source, pair.target, pair.lang),
        ):
            missing, extra = missing + more_missing, extra + more_extra
        missing, extra = list(dict.fromkeys(missing)), list(dict.fromkeys(extra))  # each once
        problems = []
        if missing:
            problems.append(f"the English has {', '.join(missing)}, missing in the translation")
        if extra:
            problems.append(f"the translation has {', '.join(extra)}, not in the English")
        if not problems:
            return None
        message = "; ".join(problems)
        return message[0].upper() + message[1:] + "."
