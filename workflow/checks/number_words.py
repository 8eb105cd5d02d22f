"""Numbers written in words, as values: every form English, Russian and Ukrainian news uses.

Cardinals in every case (пять, пяти, пятью; п'ять, п'ятьох), collective numerals (двое, троє,
четверо, пятеро, обоих), ordinals in every form (пятого, двадцять перший), compounds (двадцать
пять = 25, сорока двух = 42, half a million, полтора миллиона, два с половиной миллиона,
півмільярда), compound adjectives (десятилетний, триденний = 10, 3; трёхтысячный = 3,000),
Roman numerals (XXI, or ХХІ typed in Cyrillic) and words that stand for a figure (decade, noon,
twice, вдвое, вперше). A run of number words stands for its whole number only: «сорок два» is
42, never 40 or 2; «пять-шесть» is 5 and 6. A magnitude word alone (миллиона, thousands) stands
for one of it.

Russian and Ukrainian forms come from pymorphy3's dictionaries (see `morphology`): the lemmas
(in `words`) are expanded once per process into a table of every form, so reading a paragraph is
table look-ups only.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from workflow.checks.morphology import every_form
from workflow.checks.words import (
    NOT_NUMERALS,
    NUMBER_EXTRA_FORMS,
    NUMBER_LEMMAS,
    SENTENCE_ENDS,
    WORD,
    as_roman,
    lookup_key,
    numbered,
)
from workflow.english_words import SMALL_NUMBERS

D = Decimal
SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
EN_CARDINALS: dict[str, int | float] = {
    **{word: int(value) for word, value in SMALL_NUMBERS.items()},
    **numbered("zero one thirty forty fifty sixty seventy eighty ninety hundred",
               (0, 1, *range(30, 100, 10), 100)),
    **SCALE_WORDS,
}  # fmt: skip
EN_WORDS: dict[str, int | float] = {
    **EN_CARDINALS, "hundreds": 100,
    **numbered(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
        "thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth hundredth "
        "thousandth millionth",
        (*range(1, 21), *range(30, 100, 10), 100, 10**3, 10**6),
    ),
    "half": 0.5, "quarter": 0.25, "dozen": 12, "dozens": 12, "couple": 2, "pair": 2,
    "twice": 2, "double": 2, "doubled": 2, "triple": 3, "tripled": 3, "thrice": 3,
    "quadrupled": 4, "decade": 10, "decades": 10, "century": 100, "noon": 12, "midday": 12,
    "midnight": 24, "fortnight": 14,
    **{f"{word}s": value for word, value in SCALE_WORDS.items()},
    "bn": 10**9, "bln": 10**9, "mn": 10**6, "mln": 10**6, "tn": 10**12, "trn": 10**12,
}  # fmt: skip

EN_TABLE = {word: D(str(value)) for word, value in EN_WORDS.items()}
SCALES = {10**3, 10**6, 10**9, 10**12}
HALF_PREFIXES = ("пол", "пів")  # полмиллиона, півмільярда
MANY_PREFIXES = ("много", "багато")  # многомиллионный, багатотисячний: of that magnitude
AND_A_HALF = {("с", "половиной"), ("з", "половиною")}  # два с половиной миллиона
# Compound adjectives: десятилетний, трёхдневный, п'ятиповерховий, тисячоліття.
COMPOUND_PREFIXES: dict[str, dict[str, int]] = {
    "ru": {"одно": 1, "дву": 2, "двух": 2, "трех": 3, "четырех": 4, "сто": 100,
           "тысяче": 1000},
    "uk": {"одно": 1, "дво": 2, "двох": 2, "три": 3, "трьох": 3, "чотири": 4, "чотирьох": 4,
           "сто": 100, "тисячо": 1000},
}  # fmt: skip
COMPOUND_ROOTS = (
    "лет", "дневн", "недельн", "месячн", "часов", "минутн", "секундн", "кратн", "этажн",
    "комнатн", "местн", "процентн", "километров", "метров", "тонн", "граммов", "литров",
    "сторонн", "значн", "разов", "серийн", "томн", "звезд", "ярусн", "ствольн", "моторн",
    "палубн", "колесн", "уровнев", "годичн", "річ", "денн", "тижнев", "годинн", "хвилинн",
    "поверхов", "кімнатн", "місн", "відсотков", "грамов", "літ", "серійн", "зірков",
    "колісн", "рівнев",
)  # fmt: skip
ROUND_THE_CLOCK = ("круглосуточ", "цілодобов")
# A compound adjective of a magnitude: трёхтысячный контингент, п'ятимільйонне місто.
MAGNITUDE_ROOTS = ("тысяч", "тисяч", "миллион", "мільйон", "миллиард", "мільярд")
ROMAN = re.compile(r"^[IVXLC]{2,}$|^[IVX]$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@cache
def forms(lang: str) -> Mapping[str, Decimal]:
    """Every form of every number word of `lang` ("ru" or "uk"), with its value."""
    table: dict[str, Decimal] = {}
    for lemma, value in NUMBER_LEMMAS.get(lang, {}).items():
        for word in every_form(lang, lemma, prefer=("NUMR", "Anum")):
            table.setdefault(word, D(str(value)))
    for word, value in NUMBER_EXTRA_FORMS.get(lang, {}).items():
        table.setdefault(lookup_key(word), D(str(value)))
    return table


@cache
def compound_prefixes(
    lang: str,
) -> tuple[re.Pattern[str], re.Pattern[str], Mapping[str, Decimal]]:
    """The start of a compound adjective (пятилетний, сорокаметровый, п'ятиповерховий), as one
    pattern over every stem; the same before a magnitude (трёхтысячный: 3,000); each stem's
    value."""
    prefixes = {word: D(value) for word, value in COMPOUND_PREFIXES.get(lang, {}).items()}
    for word, value in forms(lang).items():
        # The genitive of a cardinal is the stem: пяти, десяти, сорока, двадцяти.
        if word.endswith(("и", "а")) and value == value.to_integral() and 5 <= value <= 90:
            prefixes.setdefault(word, value)
    stems = "|".join(sorted(map(re.escape, prefixes), key=len, reverse=True))
    return (
        re.compile(f"({stems})(?:{'|'.join(COMPOUND_ROOTS)})"),
        re.compile(f"({stems})({'|'.join(MAGNITUDE_ROOTS)})н"),
        prefixes,
    )


EN_NUMERALS = {word for word, value in EN_WORDS.items() if value >= 2} - {
    "second", "couple", "pair", "twice", "double", "doubled", "triple", "tripled", "thrice",
    "quadrupled", "decade", "decades", "century", "noon", "midday", "midnight", "fortnight",
    "dozen", "dozens", "hundreds", "bn", "mn", "tn", "trn",
}  # fmt: skip


@cache
def numeral_forms(lang: str) -> frozenset[str]:
    """The forms of `lang` that are numerals proper (пятеро, двадцяти, пятого), not nouns that
    may stand for a number (пара, десяток)."""
    if lang == "en":
        return frozenset(EN_NUMERALS)
    lemmas = {k for k in NUMBER_LEMMAS.get(lang, {}) if k not in NOT_NUMERALS}
    return frozenset(w for lemma in lemmas for w in every_form(lang, lemma, ("NUMR", "Anum")))


@dataclass(frozen=True)
class Word:
    """One number word of a text: as written, its value, and whether it is a magnitude
    (million, тыс.) that follows digits ("500 million": the magnitude belongs to a figure)."""

    written: str
    value: Decimal
    scale: bool
    after_digits: bool
    start: int


def _runs(text: str, lang: str) -> Iterator[list[Word]]:
    """Consecutive number words ("twenty two", "сорока двух", "half a million"); any other
    word ends a run."""
    table = EN_TABLE if lang == "en" else forms(lang)
    spans = [(m.group(0), m.start(), m.end()) for m in WORD.finditer(text.replace("-", " "))]
    tokens = [lookup_key(t) for t, _, _ in spans]
    run: list[Word] = []
    skip = 0
    for i, token in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        following = table.get(tokens[i + 1]) if i + 1 < len(tokens) else None
        value = table.get(token)
        if value is None and lang != "en":
            value = _half_of(token, table)
        if value is None and tuple(tokens[i : i + 2]) in AND_A_HALF:
            skip, value = 1, D("0.5")  # два с половиной
        if value is None and run and token == "of" and run[-1].value < 1 and following is None:
            after = tokens[i + 2] if i + 2 < len(tokens) else ""
            if tokens[i + 1 : i + 2] == ["a"] and int(table.get(after, 0)) in SCALES:
                continue  # "a quarter of a million"
        if value is None and token in ("a", "and") and following is not None:
            if run:
                continue  # "half a million", "one hundred and five"
            value = D(1) if token == "a" and following >= 100 else None  # "a million"
        if value is None:
            if run:
                yield run
            run = []
            continue
        after_digits = i > 0 and tokens[i - 1].isdigit()
        _, start, end = spans[i]
        run.append(Word(text[start:end], value, int(value) in SCALES, after_digits, start))
    if run:
        yield run


def _half_of(token: str, table: Mapping[str, Decimal]) -> Decimal | None:
    """полмиллиона = 500000, півмільярда; "пол"/"пів" alone is a half of what follows;
    многомиллионный, багатотисячний stand for their magnitude."""
    if token in HALF_PREFIXES:
        return D("0.5")
    for prefix in MANY_PREFIXES:
        many = table.get(token[len(prefix) :]) if token.startswith(prefix) else None
        if many is not None and int(many) in SCALES:
            return many
    for prefix in HALF_PREFIXES:
        scale = table.get(token[len(prefix) :]) if token.startswith(prefix) else None
        if scale is not None and int(scale) in SCALES:
            return D("0.5") * scale
    return None


def _numbers(run: list[Word]) -> list[tuple[list[Word], Decimal]]:
    """The whole numbers a run of number words writes, each with its words: twenty two = 22,
    три тысячи = 3000, half a million = 500000; «пять-шесть» is two numbers, not eleven."""
    numbers: list[tuple[list[Word], Decimal]] = []
    words: list[Word] = []
    total, current, last = D(0), D(0), D(0)
    for word in run:
        if word.scale:
            current = (current or D(1)) * word.value
            total, current, last = total + current, D(0), word.value
        elif word.value == 100 and current and current < 10:
            current, last = current * 100, D(100)  # two hundred
        elif current and not _fits_after(last, word.value):
            numbers.append((words, (total + current).normalize()))
            words, total, current, last = [], D(0), word.value, word.value
        else:
            current, last = current + word.value, word.value
        words.append(word)
    numbers.append((words, (total + current).normalize()))
    return numbers


def _fits_after(last: Decimal, value: Decimal) -> bool:
    """Whether `value` continues a number ending in `last`: 20 then 5, 100 then 50, 2 then ½."""
    if value == D("0.5"):
        return True
    if last != last.to_integral() or last <= 0 or last % 10:
        return False
    power = 10
    while last % (power * 10) == 0:
        power *= 10
    return value < power


def word_numbers(text: str, lang: str) -> set[Decimal]:
    """The numbers the words of a text write (see the module docstring): a run of number words
    stands for its whole number only («сорок два» is 42, never 40 or 2)."""
    found = {value for run in _runs(text, lang) for _, value in _numbers(run)}
    if lang == "en":
        return found
    compound, magnitude, prefixes = compound_prefixes(lang)
    for written in WORD.findall(text):
        token = lookup_key(written)
        if stem := compound.match(token):
            found.add(prefixes[stem.group(1)])
        if (big := magnitude.match(token)) and (scale := forms(lang).get(big.group(2))):
            found.add((prefixes[big.group(1)] * scale).normalize())  # трёхтысячный: 3,000
        if token.startswith(ROUND_THE_CLOCK):
            found |= {D(24), D(7)}
        if ROMAN.match(roman := as_roman(written)):
            found.add(D(_roman(roman)))  # XXI, or ХХІ typed in Cyrillic
    return found


def magnitude_words_alone(text: str, lang: str) -> set[Decimal]:
    """The magnitudes a text names in words, each alone: «десятки тысяч» names a thousand."""
    return {word.value for run in _runs(text, lang) for word in run if word.scale}


def scale_of(word: str) -> int | None:
    """The magnitude a word names, in any language: "billion", "billions", "bn", «млрд»,
    «тысячами»."""
    key = lookup_key(word)
    for table in (EN_TABLE, forms("ru"), forms("uk")):
        value = table.get(key)
        if value is not None and int(value) in SCALES:
            return int(value)
    return None


def _written(text: str, words: list[Word]) -> str:
    return text[words[0].start : words[-1].start + len(words[-1].written)]


def magnitude_words(text: str, lang: str) -> dict[str, Decimal]:
    """Magnitude words not attached to a figure, as written, with their amount: "millions" is a
    million, "half a billion" 500,000,000, "three thousand" 3,000 ("500 million" is a figure)."""
    return {
        _written(text, words): value
        for run in _runs(text, lang)
        for words, value in _numbers(run)
        if any(w.scale and not w.after_digits for w in words)
    }


def spelled_numbers(text: str, lang: str) -> dict[str, Decimal]:
    """Numbers spelled out as numerals ("twenty-two", "third", «пятеро», «п'ятого»), as written,
    each with its value; one, first and halves, as often words as numbers, are left out."""
    numerals = numeral_forms(lang)
    return {
        _written(text, words): value
        for run in _runs(text, lang)
        for words, value in _numbers(run)
        if value > 1
        and all(lookup_key(w.written) in numerals for w in words)
        and not any(w.after_digits for w in words)
    }


# What may stand between a number and the noun it counts ("three British soldiers") is a word
# that is none of these; plural nouns that do not end in -s.
NOT_BETWEEN = {"of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "by", "for",
               "with", "from", "were", "was", "is", "are", "has", "have", "had", "this", "its",
               "his", "as", "us", "than", "more", "who", "that", "which"}  # fmt: skip
PLURALS = {"people", "children", "men", "women", "police", "personnel", "staff", "crew",
           "cattle", "sheep", "aircraft", "feet", "teeth"}  # fmt: skip


def counted_numbers(text: str) -> dict[str, Decimal]:
    """English cardinals spelled out that count a following noun ("Five people", "twelve
    wounded soldiers"), as written, with their value: a number the translation must have.
    Not "one" nor "two" (translators rightly write «стороны» for "the two sides", «обидва»,
    «пара»), nor a name ("the Big Three"), nor a compound ("a two-state solution")."""
    cardinals = {word for word, value in EN_CARDINALS.items() if value > 2}
    found = {}
    for written, value in spelled_numbers(text, "en").items():
        start = text.find(written)
        end = start + len(written)
        named = written[:1].isupper() and _inside_sentence(text[:start])
        cardinal = all(w in cardinals for w in map(lookup_key, written.replace("-", " ").split()))
        if cardinal and not named and text[end : end + 1] != "-" and _counts_a_noun(text[end:]):
            found[written] = value
    return found


def _inside_sentence(before: str) -> bool:
    before = before.rstrip()
    return bool(before) and before[-1] not in SENTENCE_ENDS


def _counts_a_noun(following: str) -> bool:
    for word in (w.lower() for w in WORD.findall(following)[:3]):
        if word in NOT_BETWEEN:
            return False
        if word in PLURALS or (word.endswith("s") and not word.endswith(("ss", "us", "is"))):
            return True
    return False


def _roman(token: str) -> int:
    total = 0
    for letter, following in zip(token, [*token[1:], ""], strict=True):
        value = ROMAN_VALUES[letter]
        total += -value if following and ROMAN_VALUES[following] > value else value
    return total
