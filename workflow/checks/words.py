"""Words as the checks read them: one spelling for look-ups, one word pattern, and the closed
Russian and Ukrainian word lists (numerals, weekdays, months) the checks expand into tables.

Translators type the Ukrainian apostrophe as ' ’ ‘ ʼ ʹ or `, write ё or е, and a keyboard layout
without і types a Latin "i" (or a, c, e, o, p, x, y...) inside a Cyrillic word. `normalise`
reads all of these as one spelling, keeping ё (it is evidence of Russian); `lookup_key` also
reads ё as е, for the tables of word forms. Every check splits text into words with `WORD`.
"""

import re
from collections.abc import Iterable
from functools import lru_cache

APOSTROPHE_SIGNS = "'’‘ʼʹ`"
# A word is letters, maybe joined by apostrophes (п'ять, п’ятниця, O'Brien); or digits.
WORD_PATTERN = rf"\d+|[^\W\d_]+(?:[{APOSTROPHE_SIGNS}][^\W\d_]+)*"
WORD = re.compile(WORD_PATTERN)
# What may stand before the first word of a sentence or of a quote.
SENTENCE_ENDS = '.!?:;"“”«»([—–-'
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")
APOSTROPHES = str.maketrans(dict.fromkeys(APOSTROPHE_SIGNS, "'"))
# Latin letters typed inside a Cyrillic word because they look the same: read as the Cyrillic
# letter they stand for.
LOOK_ALIKES = str.maketrans("aceiopxyïACEIOPXKMHTBÏ", "асеіорхуїАСЕІОРХКМНТВЇ")
# Cyrillic letters typed for Latin ones in a Roman numeral (ХХІ століття): read as Latin.
ROMAN_LOOK_ALIKES = str.maketrans("ХІСӀ", "XICI")
YO = str.maketrans("ё", "е")


def normalise(word: str) -> str:
    """The word in lower case, with one apostrophe and Cyrillic letters for Latin look-alikes
    inside a Cyrillic word (ё kept)."""
    if LATIN.search(word) and CYRILLIC.search(word):
        word = word.translate(LOOK_ALIKES)
    return word.translate(APOSTROPHES).lower()


@lru_cache(maxsize=65536)
def lookup_key(word: str) -> str:
    """The word as the tables of word forms hold it: normalised, with е for ё."""
    return normalise(word).translate(YO)


def as_roman(word: str) -> str:
    """The word with Cyrillic look-alikes of Roman numeral letters read as Latin (ХХІ → XXI)."""
    return word.translate(ROMAN_LOOK_ALIKES)


def numbered(words: str, values: Iterable[int | float]) -> dict[str, int | float]:
    """Space-separated words paired with values in order; "-" marks a value with no word."""
    return {w: v for w, v in zip(words.split(), values, strict=True) if w != "-"}


def _by_language(words: str, values: Iterable[int | float]) -> dict[str, dict[str, int | float]]:
    """Words given as "russian/ukrainian" (one word where both write it alike), paired with
    values in order, as a table per language."""
    pairs = [(word.split("/") * 2)[:2] for word in words.split()]
    return {lang: numbered(" ".join(p[i] for p in pairs), values) for i, lang in enumerate(LANGS)}


LANGS = ("ru", "uk")
CARDINALS = (*range(21), *range(30, 100, 10), *range(100, 1000, 100), 10**3, 10**6, 10**9,
             10**12)  # fmt: skip
ORDINALS = (*range(1, 21), *range(30, 100, 10), 100, 10**3, 10**6, 10**9)
CARDINAL_WORDS = _by_language(
    "ноль/нуль один два три четыре/чотири пять/п'ять шесть/шість семь/сім восемь/вісім "
    "девять/дев'ять десять одиннадцать/одинадцять двенадцать/дванадцять тринадцать/тринадцять "
    "четырнадцать/чотирнадцять пятнадцать/п'ятнадцять шестнадцать/шістнадцять "
    "семнадцать/сімнадцять восемнадцать/вісімнадцять девятнадцать/дев'ятнадцять "
    "двадцать/двадцять тридцать/тридцять сорок пятьдесят/п'ятдесят шестьдесят/шістдесят "
    "семьдесят/сімдесят восемьдесят/вісімдесят девяносто/дев'яносто сто двести/двісті триста "
    "четыреста/чотириста пятьсот/п'ятсот шестьсот/шістсот семьсот/сімсот восемьсот/вісімсот "
    "девятьсот/дев'ятсот тысяча/тисяча миллион/мільйон миллиард/мільярд триллион/трильйон",
    CARDINALS,
)
ORDINAL_WORDS = _by_language(
    "первый/перший второй/другий третий/третій четвёртый/четвертий пятый/п'ятий шестой/шостий "
    "седьмой/сьомий восьмой/восьмий девятый/дев'ятий десятый/десятий одиннадцатый/одинадцятий "
    "двенадцатый/дванадцятий тринадцатый/тринадцятий четырнадцатый/чотирнадцятий "
    "пятнадцатый/п'ятнадцятий шестнадцатый/шістнадцятий семнадцатый/сімнадцятий "
    "восемнадцатый/вісімнадцятий девятнадцатый/дев'ятнадцятий двадцатый/двадцятий "
    "тридцатый/тридцятий сороковой/сороковий пятидесятый/п'ятдесятий шестидесятый/шістдесятий "
    "семидесятый/сімдесятий восьмидесятый/вісімдесятий девяностый/дев'яностий сотый/сотий "
    "тысячный/тисячний миллионный/мільйонний миллиардный/мільярдний",
    ORDINALS,
)
COLLECTIVE_WORDS = _by_language(
    "двое/двоє трое/троє четверо пятеро/п'ятеро шестеро семеро восьмеро девятеро/дев'ятеро "
    "десятеро",
    range(2, 11),
)
# Lemmas of numerals, expanded into every form by pymorphy3 (see `morphology`).
NUMBER_LEMMAS: dict[str, dict[str, int | float]] = {
    lang: {**CARDINAL_WORDS[lang], **ORDINAL_WORDS[lang], **COLLECTIVE_WORDS[lang]}
    for lang in LANGS
}
NUMBER_LEMMAS["ru"] |= {
    "нуль": 0, "полтора": 1.5, "полтораста": 150, "оба": 2, "десяток": 10, "дюжина": 12,
    "сотня": 100, "пара": 2, "половина": 0.5, "четверть": 0.25, "полдень": 12, "полночь": 24,
}  # fmt: skip
NUMBER_LEMMAS["uk"] |= {
    "півтора": 1.5, "обидва": 2, "обоє": 2, "десяток": 10, "дюжина": 12, "сотня": 100,
    "пара": 2, "половина": 0.5, "чверть": 0.25, "полудень": 12, "північ": 24,
}  # fmt: skip
# Forms pymorphy3 does not give, and words that stand for a figure.
NUMBER_EXTRA_FORMS: dict[str, dict[str, int | float]] = {
    "ru": {"ста": 100, "тыс": 10**3, "млн": 10**6, "млрд": 10**9, "трлн": 10**12, "полторы": 1.5,
           "впервые": 1, "вдвое": 2, "втрое": 3, "вчетверо": 4, "впятеро": 5, "вдесятеро": 10,
           "дважды": 2, "трижды": 3, "четырежды": 4, "вдвоем": 2, "втроем": 3},
    "uk": {"ста": 100, "тис": 10**3, "млн": 10**6, "млрд": 10**9, "трлн": 10**12, "півтори": 1.5,
           "вперше": 1, "вдруге": 2, "втретє": 3, "вдвічі": 2, "удвічі": 2, "втричі": 3,
           "утричі": 3, "вчетверо": 4, "вп'ятеро": 5, "двічі": 2, "тричі": 3, "удвох": 2,
           "утрьох": 3, "опівдні": 12, "опівночі": 24, "чотирьох": 4, "п'ятьох": 5},
}  # fmt: skip
# Words that are numbers only sometimes («пара», «половина», «полдень»): they excuse a figure
# but are never required to match one.
NOT_NUMERALS = {"десяток", "дюжина", "сотня", "пара", "половина", "четверть", "чверть",
                "полдень", "полночь", "полудень", "північ"}  # fmt: skip

WEEKDAY_VALUES, MONTH_VALUES = range(1, 8), range(1, 13)
# Weekday and month nouns and their adjectives («воскресные выборы»); no adjective for Wednesday.
CALENDAR_LEMMAS: dict[str, dict[str, dict[str, int | float]]] = {
    "ru": {
        "weekday": {
            **numbered("понедельник вторник среда четверг пятница суббота воскресенье",
                       WEEKDAY_VALUES),
            **numbered("понедельничный вторничный - четверговый пятничный субботний воскресный",
                       WEEKDAY_VALUES),
        },
        "month": {
            **numbered("январь февраль март апрель май июнь июль август сентябрь октябрь "
                       "ноябрь декабрь", MONTH_VALUES),
            **numbered("январский февральский мартовский апрельский майский июньский июльский "
                       "августовский сентябрьский октябрьский ноябрьский декабрьский",
                       MONTH_VALUES),
        },
    },
    "uk": {
        "weekday": {
            **numbered("понеділок вівторок середа четвер п'ятниця субота неділя",
                       WEEKDAY_VALUES),
            **numbered("понеділковий вівторковий - четверговий п'ятничний суботній недільний",
                       WEEKDAY_VALUES),
        },
        "month": {
            **numbered("січень лютий березень квітень травень червень липень серпень вересень "
                       "жовтень листопад грудень", MONTH_VALUES),
            **numbered("січневий лютневий березневий квітневий травневий червневий липневий "
                       "серпневий вересневий жовтневий листопадовий грудневий", MONTH_VALUES),
        },
    },
}  # fmt: skip
# "every Monday" in one word, not expanded («по понедельникам» is among the noun's forms).
EVERY_WEEKDAY = {"uk": numbered("щопонеділка щовівторка щосереди щочетверга щоп'ятниці "
                                "щосуботи щонеділі", WEEKDAY_VALUES)}  # fmt: skip
