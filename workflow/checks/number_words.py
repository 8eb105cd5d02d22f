"""Numbers written in words, as values: every form English, Russian and Ukrainian news uses.

Cardinals in every case (пять, пяти, пятью; п'ять, п'ятьох), collective numerals (двое, троє,
четверо, пятеро, обоих), ordinals in every form (пятого, двадцять перший), compounds (двадцать
пять = 25, сорока двух = 42, half a million, полтора миллиона, два с половиной миллиона,
півмільярда), compound adjectives (десятилетний, триденний = 10, 3) and words that stand for a
figure (decade, noon, twice, вдвое, вперше). A magnitude word alone (миллиона, thousands) stands
for one of it.

Russian and Ukrainian forms come from pymorphy3's dictionaries (see `morphology`): the lemmas
below are expanded once per process into a table of every form, so reading a paragraph is table
look-ups only.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from workflow.checks.calendar import months
from workflow.checks.morphology import every_form, normalise

D = Decimal
SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
EN_WORDS: dict[str, int | float] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "hundreds": 100,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
    "thousandth": 1000, "millionth": 10**6,
    "half": 0.5, "quarter": 0.25, "dozen": 12, "dozens": 12, "couple": 2, "pair": 2,
    "twice": 2, "double": 2, "doubled": 2, "triple": 3, "tripled": 3, "thrice": 3,
    "quadrupled": 4, "decade": 10, "decades": 10, "century": 100, "noon": 12, "midday": 12,
    "midnight": 24, "fortnight": 14,
    **SCALE_WORDS, **{f"{word}s": value for word, value in SCALE_WORDS.items()},
    "bn": 10**9, "bln": 10**9, "mln": 10**6, "tn": 10**12, "trn": 10**12,
}  # fmt: skip

EN_TABLE = {word: D(str(value)) for word, value in EN_WORDS.items()}
# Lemmas, expanded into every form by pymorphy3. Collective numerals and "both" are here.
RU_LEMMAS: dict[str, int | float] = {
    "ноль": 0, "нуль": 0, "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6,
    "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12,
    "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16,
    "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20, "тридцать": 30,
    "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80,
    "девяносто": 90, "сто": 100, "двести": 200, "триста": 300, "четыреста": 400,
    "пятьсот": 500, "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
    "тысяча": 10**3, "миллион": 10**6, "миллиард": 10**9, "триллион": 10**12,
    "полтора": 1.5, "полтораста": 150, "оба": 2, "двое": 2, "трое": 3, "четверо": 4,
    "пятеро": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8, "девятеро": 9, "десятеро": 10,
    "первый": 1, "второй": 2, "третий": 3, "четвёртый": 4, "пятый": 5, "шестой": 6,
    "седьмой": 7, "восьмой": 8, "девятый": 9, "десятый": 10, "одиннадцатый": 11,
    "двенадцатый": 12, "тринадцатый": 13, "четырнадцатый": 14, "пятнадцатый": 15,
    "шестнадцатый": 16, "семнадцатый": 17, "восемнадцатый": 18, "девятнадцатый": 19,
    "двадцатый": 20, "тридцатый": 30, "сороковой": 40, "пятидесятый": 50,
    "шестидесятый": 60, "семидесятый": 70, "восьмидесятый": 80, "девяностый": 90,
    "сотый": 100, "тысячный": 1000, "миллионный": 10**6, "миллиардный": 10**9,
    "десяток": 10, "дюжина": 12, "сотня": 100, "пара": 2, "половина": 0.5, "четверть": 0.25,
    "полдень": 12, "полночь": 24,
}  # fmt: skip
UK_LEMMAS: dict[str, int | float] = {
    "нуль": 0, "один": 1, "два": 2, "три": 3, "чотири": 4, "п'ять": 5, "шість": 6, "сім": 7,
    "вісім": 8, "дев'ять": 9, "десять": 10, "одинадцять": 11, "дванадцять": 12,
    "тринадцять": 13, "чотирнадцять": 14, "п'ятнадцять": 15, "шістнадцять": 16,
    "сімнадцять": 17, "вісімнадцять": 18, "дев'ятнадцять": 19, "двадцять": 20,
    "тридцять": 30, "сорок": 40, "п'ятдесят": 50, "шістдесят": 60, "сімдесят": 70,
    "вісімдесят": 80, "дев'яносто": 90, "сто": 100, "двісті": 200, "триста": 300,
    "чотириста": 400, "п'ятсот": 500, "шістсот": 600, "сімсот": 700, "вісімсот": 800,
    "дев'ятсот": 900, "тисяча": 10**3, "мільйон": 10**6, "мільярд": 10**9,
    "трильйон": 10**12, "півтора": 1.5, "обидва": 2, "обоє": 2, "двоє": 2, "троє": 3,
    "четверо": 4, "п'ятеро": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8, "дев'ятеро": 9,
    "десятеро": 10, "перший": 1, "другий": 2, "третій": 3, "четвертий": 4, "п'ятий": 5,
    "шостий": 6, "сьомий": 7, "восьмий": 8, "дев'ятий": 9, "десятий": 10,
    "одинадцятий": 11, "дванадцятий": 12, "тринадцятий": 13, "чотирнадцятий": 14,
    "п'ятнадцятий": 15, "шістнадцятий": 16, "сімнадцятий": 17, "вісімнадцятий": 18,
    "дев'ятнадцятий": 19, "двадцятий": 20, "тридцятий": 30, "сороковий": 40,
    "п'ятдесятий": 50, "шістдесятий": 60, "сімдесятий": 70, "вісімдесятий": 80,
    "дев'яностий": 90, "сотий": 100, "тисячний": 1000, "мільйонний": 10**6,
    "мільярдний": 10**9, "десяток": 10,
    "дюжина": 12, "сотня": 100, "пара": 2, "половина": 0.5, "чверть": 0.25, "полудень": 12,
    "північ": 24,
}  # fmt: skip
# Forms pymorphy3 does not give, and words that stand for a figure.
EXTRA_FORMS: dict[str, dict[str, int | float]] = {
    "ru": {"ста": 100, "тыс": 10**3, "млн": 10**6, "млрд": 10**9, "трлн": 10**12, "полторы": 1.5,
           "впервые": 1, "вдвое": 2, "втрое": 3, "вчетверо": 4, "впятеро": 5, "вдесятеро": 10,
           "дважды": 2, "трижды": 3, "четырежды": 4, "вдвоем": 2, "втроем": 3},
    "uk": {"ста": 100, "тис": 10**3, "млн": 10**6, "млрд": 10**9, "трлн": 10**12, "півтори": 1.5,
           "вперше": 1, "вдруге": 2, "втретє": 3, "вдвічі": 2, "удвічі": 2, "втричі": 3,
           "утричі": 3, "вчетверо": 4, "вп'ятеро": 5, "двічі": 2, "тричі": 3, "удвох": 2,
           "утрьох": 3, "опівдні": 12, "опівночі": 24, "чотирьох": 4, "п'ятьох": 5},
}  # fmt: skip
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
ROMAN = re.compile(r"^[IVXLC]{2,}$|^[IVX]$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
TOKEN = re.compile(r"\d+|[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*")


@cache
def forms(lang: str) -> Mapping[str, Decimal]:
    """Every form of every number word of `lang` ("ru" or "uk"), with its value."""
    table: dict[str, Decimal] = {}
    if lang not in EXTRA_FORMS:
        return table
    for lemma, value in (RU_LEMMAS if lang == "ru" else UK_LEMMAS).items():
        for word in every_form(lang, lemma, prefer=("NUMR", "Anum")):
            table.setdefault(word, D(str(value)))
    for word, value in EXTRA_FORMS[lang].items():
        table.setdefault(normalise(word), D(str(value)))
    return table


@cache
def compound_prefixes(lang: str) -> tuple[re.Pattern[str], Mapping[str, Decimal]]:
    """The start of a compound adjective (пятилетний, сорокаметровый, п'ятиповерховий), as one
    pattern over every stem, and each stem's value."""
    prefixes = {word: D(value) for word, value in COMPOUND_PREFIXES.get(lang, {}).items()}
    for word, value in forms(lang).items():
        # The genitive of a cardinal is the stem: пяти, десяти, сорока, двадцяти.
        if word.endswith(("и", "а")) and value == value.to_integral() and 5 <= value <= 90:
            prefixes.setdefault(word, value)
    stems = "|".join(sorted(map(re.escape, prefixes), key=len, reverse=True))
    return re.compile(f"({stems})(?:{'|'.join(COMPOUND_ROOTS)})"), prefixes


# Words that are numbers only sometimes ("a couple", «пара», «половина», "noon"): they excuse a
# figure but are never required to match one.
NOT_NUMERALS = {"десяток", "дюжина", "сотня", "пара", "половина", "четверть", "чверть",
                "полдень", "полночь", "полудень", "північ"}  # fmt: skip
EN_NUMERALS = {word for word, value in EN_WORDS.items() if value >= 2} - {
    "second", "couple", "pair", "twice", "double", "doubled", "triple", "tripled", "thrice",
    "quadrupled", "decade", "decades", "century", "noon", "midday", "midnight", "fortnight",
    "dozen", "dozens", "hundreds", "bn", "tn", "trn",
}  # fmt: skip


@cache
def numeral_forms(lang: str) -> frozenset[str]:
    """The forms of `lang` that are numerals proper (пятеро, двадцяти, пятого), not nouns that
    may stand for a number (пара, десяток)."""
    if lang == "en":
        return frozenset(EN_NUMERALS)
    if lang not in EXTRA_FORMS:
        return frozenset()
    lemmas = {k for k in (RU_LEMMAS if lang == "ru" else UK_LEMMAS) if k not in NOT_NUMERALS}
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
    spans = [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text.replace("-", " "))]
    tokens = [normalise(t) for t, _, _ in spans]
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


def _amounts(run: list[Word]) -> list[Decimal]:
    """The values a run of number words may stand for: each word, and their composition
    (twenty two = 22, три тысячи = 3000, half a million = 500000), the whole number last."""
    found = [w.value for w in run]
    total, current, last = D(0), D(0), D(0)
    for word in run:
        if word.scale:
            current = (current or D(1)) * word.value
            total, current, last = total + current, D(0), word.value
        elif word.value == 100 and current and current < 10:
            current, last = current * 100, D(100)  # two hundred
        elif current and not _fits_after(last, word.value):
            found.append(total + current)  # "пять шесть": two numbers, not eleven
            total, current, last = D(0), word.value, word.value
        else:
            current, last = current + word.value, word.value
        found.append(total + current)
    return [value.normalize() for value in found]


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
    """Every value the words of a text may stand for (see the module docstring)."""
    found: set[Decimal] = set()
    for run in _runs(text, lang):
        found.update(_amounts(run))
    if lang == "en":
        return found
    compound, prefixes = compound_prefixes(lang)
    for token in (normalise(t) for t in TOKEN.findall(text)):
        if stem := compound.match(token):
            found.add(prefixes[stem.group(1)])
        if token.startswith(ROUND_THE_CLOCK):
            found |= {D(24), D(7)}
    found |= {D(_roman(t)) for t in TOKEN.findall(text) if ROMAN.match(t)}
    found |= {D(month) for month in months(text, lang)}  # 11 сентября is 9/11
    return found


def magnitude_words(text: str, lang: str) -> dict[str, Decimal]:
    """Magnitude words not attached to a figure, as written, with their amount: "millions" is a
    million, "half a billion" 500,000,000, "three thousand" 3,000 ("500 million" is a figure)."""
    return {
        text[run[0].start : run[-1].start + len(run[-1].written)]: _amounts(run)[-1]
        for run in _runs(text, lang)
        if any(w.scale and not w.after_digits for w in run)
    }


def spelled_numbers(text: str, lang: str) -> dict[str, Decimal]:
    """Numbers spelled out as numerals ("twenty-two", "third", «пятеро», «п'ятого»), as written,
    each with its value; one, first and halves, as often words as numbers, are left out."""
    numerals = numeral_forms(lang)
    found = {}
    for run in _runs(text, lang):
        value = _amounts(run)[-1]
        proper = all(normalise(w.written) in numerals for w in run)
        if proper and value > 1 and not any(w.after_digits for w in run):
            found[text[run[0].start : run[-1].start + len(run[-1].written)]] = value
    return found


def _roman(token: str) -> int:
    total = 0
    for letter, following in zip(token, [*token[1:], ""], strict=True):
        value = ROMAN_VALUES[letter]
        total += -value if following and ROMAN_VALUES[following] > value else value
    return total
