"""Weekdays and months as values, in every form the three languages write them.

"Wed", "Wednesday", «в среду», «со среды», «у середу», «щосереди» are all weekday 3; "Nov.",
"November", «ноября», «у листопаді», «ноябрьский» are all month 11. Russian and Ukrainian forms
come from pymorphy3's dictionaries (every case of the noun and of its adjective: «воскресные
выборы» is Sunday's election). A word that is also something else counts only where a date
stands: «среда» is also the environment, «лютий» also "fierce", "May" also a name and a verb,
"Sun" also a newspaper, "Black Friday" a name; those count next to a figure or after a
preposition of time.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from workflow.checks.morphology import every_form
from workflow.checks.words import CALENDAR_LEMMAS, EVERY_WEEKDAY, SENTENCE_ENDS, WORD, lookup_key
from workflow.english_words import MONTH_NAMES, MONTHS, WEEKDAY_NAMES, WEEKDAYS

EN_WEEKDAYS = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES, 1)}
EN_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)}


def _abbreviations(words: set[str], names: dict[str, int]) -> dict[str, int]:
    """Each abbreviation among `words` ("tues", "sept") with the value of the name it starts."""
    return {
        short: value
        for short in words - set(names)
        for name, value in names.items()
        if name.startswith(short)
    }


EN_WEEKDAY_SHORT = _abbreviations(WEEKDAYS, EN_WEEKDAYS)
EN_MONTH_SHORT = _abbreviations(MONTHS, EN_MONTHS)
EN_WORDS = {*EN_WEEKDAYS, *(f"{day}s" for day in EN_WEEKDAYS), *EN_WEEKDAY_SHORT, *EN_MONTHS,
            *EN_MONTH_SHORT}  # fmt: skip
EN_AMBIGUOUS = {"may", "march", "sat", "sun"}  # a verb, a name or a newspaper as well
EN_TIME_WORDS = {"in", "on", "since", "until", "till", "by", "from", "to", "of", "early",
                 "late", "mid", "last", "next", "this", "through", "before", "after",
                 "during", "between", "and", "or", "end", "each", "every"}  # fmt: skip

# Forms that are also another word count only after the words that make them a date (or next
# to a figure): «до среды» is a day, «окружающей среды» the environment; «з лютого» a month,
# «лютого ворога» fierce. Forms never used for the day are never one («серед» is "among").
FROM_UNTIL = {"до", "со", "с", "з", "із", "зі", "от", "від", "утра", "утру", "вечера", "вечеру",
              "ночи", "ранку", "вечора", "ночі"}  # fmt: skip
MONTH_CONTEXT = {"в", "у", "на", "до", "з", "із", "зі", "від", "по", "протягом", "наприкінці",
                 "початку", "кінці", "кінця", "середині", "середини", "минулого", "минулому",
                 "наступного", "наступному", "цього", "цьому", "торішнього", "і", "та", "й",
                 "або", "чи"}  # fmt: skip
GUARDED: dict[str, dict[str, set[str]]] = {
    "ru": {"среды": FROM_UNTIL, "среде": {"к", "ко"}, "средам": {"по"}, "среда": set(),
           "средой": set(), "средою": set(), "средах": set(),
           "средами": set()},
    "uk": {"середи": FROM_UNTIL, "середа": set(), "середі": set(), "середою": set(),
           "середах": set(), "середами": set(), "середо": set(),
           **{form: MONTH_CONTEXT for form in ("лютий", "лютого", "лютому", "лютим", "лютім")}},
}  # fmt: skip
NIGHT = re.compile(r"(?<!\w)(?:ночь|ночи|ночью|ніч|ночі|вночі)(?!\w)", re.IGNORECASE)
NEVER = {"сред", "серед"}
NAMES = {"марта", "мая", "май", "августа", "август", "августу", "августом", "августе"}
# «в окружающую среду», «в среду обитания»: the environment.
ENVIRONMENT = re.compile(r"(?<!кажд)(?<!эт)(?<!прошл)(?<!следующ)(?<!ближайш)(?<!т)(ую|юю)$")

NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?![\d])")


@dataclass(frozen=True)
class Mention:
    """A weekday or a month named in a text: which, as written."""

    kind: str  # "weekday" or "month"
    value: int
    written: str

    @property
    def english(self) -> str:
        return (WEEKDAY_NAMES if self.kind == "weekday" else MONTH_NAMES)[self.value - 1]


@cache
def _forms(lang: str) -> Mapping[str, tuple[str, int]]:
    """Every form of every weekday and month word of `lang`, with its kind and value."""
    table: dict[str, tuple[str, int]] = {}
    for kind, lemmas in CALENDAR_LEMMAS.get(lang, {}).items():
        for lemma, value in lemmas.items():
            for word in every_form(lang, lemma, prefer=("NOUN", "ADJF")):
                table.setdefault(word, (kind, int(value)))
    for word, value in EVERY_WEEKDAY.get(lang, {}).items():
        table[lookup_key(word)] = ("weekday", int(value))
    return table


def mentions(text: str, lang: str) -> list[Mention]:
    """The weekdays and months a text names, in order."""
    spans = list(WORD.finditer(text))
    words = [m.group(0) for m in spans]
    known = _forms(lang) if lang != "en" else EN_WORDS
    found = []
    for i, match in enumerate(spans):
        word = match.group(0)
        if lookup_key(word).removesuffix("'s") not in known:
            continue
        previous = words[i - 1] if i else ""
        following = words[i + 1] if i + 1 < len(words) else ""
        near_figure = previous.isdigit() or following.isdigit()
        if lang == "en":
            # "Black Friday" is a name; "On Friday" and "Friday" opening a sentence are days.
            before = text[: spans[i - 1].start()].rstrip() if i else ""
            named = i > 0 and previous[:1].isupper() and bool(before)
            named = named and before[-1] not in SENTENCE_ENDS
            # "The Sunday Times", "the Monday Night Football": a title, not a day.
            titled = following[:1].isupper() and previous.lower() == "the"
            mention = None if titled else _english(word, previous, near_figure, named)
            if mention is None and text[match.end() : match.end() + 1] == ".":
                mention = _english_short(word, previous)
        else:
            mention = _cyrillic(word, lookup_key(previous), lookup_key(following), near_figure,
                                lang)  # fmt: skip
        if mention is not None:
            found.append(mention)
    if lang != "en":  # 24.02.2022 names February
        found += [Mention("month", int(m.group(2)), m.group(0)) for m in NUMERIC_DATE.finditer(text)
                  if 1 <= int(m.group(2)) <= 12]  # fmt: skip
    return found


def _english(word: str, previous: str, near_figure: bool, named: bool) -> Mention | None:
    if not word[:1].isupper():
        return None  # "march", "may", "wed", "sun" in lower case are other words
    base = lookup_key(word).removesuffix("'s")  # Monday's
    kind, value = "month", EN_MONTHS.get(base)
    if value is None and base.removesuffix("s") in EN_WEEKDAYS:
        kind, value = "weekday", EN_WEEKDAYS[base.removesuffix("s")]  # Mondays
    if value is None and base in EN_WEEKDAY_SHORT and base not in EN_AMBIGUOUS:
        kind, value = "weekday", EN_WEEKDAY_SHORT[base]  # "Wed"
    if value is None and base in EN_MONTH_SHORT and near_figure:
        value = EN_MONTH_SHORT[base]  # "Nov 3"
    if value is None:
        return None
    if base in EN_AMBIGUOUS and not (near_figure or previous.lower() in EN_TIME_WORDS):
        return None  # Theresa May, a March against...
    date_word = previous.lower() in EN_WEEKDAYS or previous.lower() in EN_TIME_WORDS
    if named and not date_word and not near_figure:
        return None  # Black Friday, Super Tuesday, Theresa May
    return Mention(kind, value, word)


def _english_short(word: str, previous: str) -> Mention | None:
    """ "Nov.", "Sept.", "Sat.": an abbreviation with its dot (not "the Sun.")."""
    if not word[:1].isupper() or previous.lower() == "the":
        return None
    if word.lower() in EN_MONTH_SHORT:
        return Mention("month", EN_MONTH_SHORT[word.lower()], word)
    if word.lower() in EN_WEEKDAY_SHORT:
        return Mention("weekday", EN_WEEKDAY_SHORT[word.lower()], word)
    return None


def _cyrillic(
    word: str, previous: str, following: str, near_figure: bool, lang: str
) -> Mention | None:
    key = lookup_key(word)
    found = _forms(lang).get(key)
    if found is None or key in NEVER:
        return None
    kind, value = found
    guarded = GUARDED.get(lang, {}).get(key)
    opening = word[:1].isupper() and key.startswith("лют")  # «Лютий видався теплим»
    if guarded is not None and not (near_figure or previous in guarded or opening):
        return None  # «окружающей среды», «серед людей», «лютий мороз»
    if key in {"среду", "середу"} and (ENVIRONMENT.search(previous) or following == "обитания"):
        return None
    if lang == "ru" and key in NAMES and word[:1].isupper() and not near_figure:
        return None  # Марта, Мая: names
    return Mention(kind, value, word)


def weekdays(text: str, lang: str) -> set[int]:
    """The weekdays (1 = Monday) a text names."""
    return {m.value for m in mentions(text, lang) if m.kind == "weekday"}


def months(text: str, lang: str) -> set[int]:
    """The months (1 = January) a text names."""
    return {m.value for m in mentions(text, lang) if m.kind == "month"}


def calendar_mismatch(source: str, target: str, lang: str) -> tuple[list[str], list[str]]:
    """Weekdays and months of the English missing in the translation, and those of the
    translation the English does not have (only where the English names one of that kind: a
    translation may write out the date the English leaves to its dateline)."""
    english, translated = mentions(source, "en"), mentions(target, lang)
    missing, extra = [], []
    for kind in ("weekday", "month"):
        ours = {m.value: m for m in english if m.kind == kind}
        theirs = {m.value: m for m in translated if m.kind == kind}
        if kind == "weekday" and NIGHT.search(target):
            _night_into(source, ours, theirs)
        missing += [m.english for value, m in ours.items() if value not in theirs]
        if ours:
            extra += [f"{m.written} ({m.english})" for v, m in theirs.items() if v not in ours]
    return missing, extra


def _night_into(source: str, ours: dict[int, Mention], theirs: dict[int, Mention]) -> None:
    """A night is named by the day it ends in Russian and Ukrainian: "Friday night" is «в ночь
    на субботу», "overnight into Saturday" also «в ночь с пятницы на субботу». The day before
    a day both name, and the English day whose night the translation names, are not changes."""
    for day, mention in list(ours.items()):
        following = day % 7 + 1
        if re.search(rf"\b{re.escape(mention.written)}\s+night", source) and following in theirs:
            ours[following] = theirs[following]
            theirs.setdefault(day, mention)
    for day in list(theirs):
        following = day % 7 + 1
        if day not in ours and following in ours and following in theirs:
            theirs.pop(day)
