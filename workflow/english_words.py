"""English words as the desk needs them: which strings are words, which spellings are one word.

Three lists, each from a maintained package and each loaded the first time it is asked for
(most realignments never need one, and the command line must start fast):

- the words of English, from pyspellchecker's dictionary, to tell a typo fixed ("goverment" →
  "government", the old string is no word) from a word replaced by another ("untied" →
  "united", both are words: the meaning changed);
- British and American spellings of one word (defence/defense, programme/program), from breame;
- ISO 4217 currency codes, current and historic, from Babel's CLDR data.

And the short lists of words whose change always changes meaning (weekdays, months, number
words, negations) with the abbreviations of weekdays and months, of titles whose capital is a
matter of house style, and of compounds that are one word however they are spaced.
"""

from collections.abc import Mapping
from functools import cache

# The names in calendar order (Monday is day 1, January month 1).
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
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
# A capitalised month abbreviation (AP style: "Dec. 5") is the month. "Mar" and "May" are left
# out: "mar" is a verb (`DATE_ABBREVIATIONS` reads it as March before a dot or a figure only),
# "May" is a month already.
MONTH_ABBREVIATIONS = {
    "jan": "january", "feb": "february", "apr": "april", "jun": "june", "jul": "july",
    "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december",
}  # fmt: skip
# Abbreviations that are also English words ("mar" a verb, "sat" "sun" "wed"): read as the
# month or weekday only with a dot or a figure after them ("Mar. 24", "Sat.", "Wed 5 March").
WEEKDAY_ABBREVIATIONS = {
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday",
    "thu": "thursday", "thur": "thursday", "thurs": "thursday", "fri": "friday",
    "sat": "saturday", "sun": "sunday",
}  # fmt: skip
DATE_ABBREVIATIONS = {**MONTH_ABBREVIATIONS, "mar": "march", **WEEKDAY_ABBREVIATIONS}
ABBREVIATIONS_THAT_ARE_WORDS = {"mar", "sat", "sun", "wed"}
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
# Numbers under 21 as style guides spell them; "one" stays a word ("the one who").
_SMALL_NUMBER_WORDS = (
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)  # fmt: skip
SMALL_NUMBERS = {word: str(value) for value, word in enumerate(_SMALL_NUMBER_WORDS, start=2)}
# Titles and institutions that style guides capitalise differently ("the agency", "the Agency"):
# the capital names the same thing. Words such as union, house, state or congress are left out,
# because there the capital does change what is meant (a union, the Union).
STYLE_CAPITALISED = {
    "agency", "ambassador", "army", "bank", "cabinet", "central", "chancellor", "chief",
    "commission", "committee", "council", "court", "defence", "defense", "department",
    "director", "embassy", "executive", "federal", "finance", "foreign", "government",
    "governor", "interior", "internet", "minister", "ministry", "mayor", "national", "navy",
    "parliament", "police", "president", "prime", "secretary", "senate", "senator",
    "spokesman", "spokesperson", "spokeswoman", "supreme",
}  # fmt: skip
# Words written closed, open or hyphenated that stay one word ("health care", "healthcare",
# "e-mail"), where both the parts and the whole are words of the dictionary. Any other such
# respacing is changed: "re-sign" is not "resign", nor "a part" "apart", nor "every day"
# "everyday". A closed form the dictionary lacks ("cyberattack") needs no entry.
SAME_WORD_COMPOUNDS = {
    "airstrike", "airstrikes", "ceasefire", "ceasefires", "coauthor", "cofounder",
    "cooperate", "cooperated", "cooperating", "cooperation", "cooperative", "coordinate",
    "coordinated", "coordinating", "coordination", "coordinator", "email", "emails",
    "emailed", "frontline", "healthcare", "lawmaker", "lawmakers", "nationwide", "offline",
    "online", "peacekeeper", "peacekeepers", "peacekeeping", "policymaker", "policymakers",
    "postwar", "prewar", "reelect", "reelected", "reelection", "reenter", "reentered",
    "reopen", "reopened", "reopening", "reopens", "underway", "website", "websites",
    "weekend", "weekends", "wildfire", "wildfires", "worldwide",
}  # fmt: skip
# Pairs of endings that are one word in British and American English, for spellings the
# package list lacks: used only when one of the two is no English word.
VARIANT_ENDINGS = [
    ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"),
    ("ise", "ize"), ("yse", "yze"), ("ysed", "yzed"), ("ysing", "yzing"), ("our", "or"),
    ("ours", "ors"), ("oured", "ored"), ("re", "er"), ("res", "ers"), ("ence", "ense"),
    ("ogue", "og"), ("ogues", "ogs"), ("lled", "led"), ("lling", "ling"), ("ller", "ler"),
    ("mme", "m"), ("mmes", "ms"),
]  # fmt: skip


# Pairs the spelling list gives that are not one word spelled two ways: a tonne is 1,000 kg and
# a (short) ton 907 kg; the others are slips in the list itself.
_NOT_VARIANTS = {
    frozenset(pair)
    for pair in (
        ("tonne", "ton"), ("tonnes", "tons"), ("pummelled", "pummel"),
        ("pummelling", "pummeled"), ("tranquilly", "tranquility"),
    )
}  # fmt: skip


@cache
def _frequencies() -> Mapping[str, int]:
    """Each word of the dictionary with how often it occurs in the checker's corpus."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en").word_frequency.dictionary


def is_english_word(word: str) -> bool:
    """Whether `word` (lower case) is a word of English, not a misspelling of one.

    The dictionary spells American; a British spelling from the variants list (programme,
    centre) is as much a word. A possessive counts as its word (president's).
    """
    word = word.split("'")[0]
    return word in _frequencies() or word in _variant_words()


def is_common_english_word(word: str, *, at_least: int = 300) -> bool:
    """Whether `word` is a word English text uses often: news words ("lawmakers", "rescuers")
    pass, as do the commonest surnames, but not the many rarer names the dictionary holds."""
    return _frequencies().get(word, 0) >= at_least


@cache
def _spelling_variants() -> frozenset[frozenset[str]]:
    from breame.data.spelling_constants import (
        AMERICAN_ENGLISH_SPELLINGS,
        BRITISH_ENGLISH_SPELLINGS,
    )

    pairs = {
        frozenset((a, b))
        for table in (BRITISH_ENGLISH_SPELLINGS, AMERICAN_ENGLISH_SPELLINGS)
        for a, b in table.items()
        if a != b
    }
    return frozenset(pairs - _NOT_VARIANTS)


@cache
def _variant_words() -> frozenset[str]:
    return frozenset(word for pair in _spelling_variants() for word in pair)


def are_spelling_variants(a: str, b: str) -> bool:
    """Whether `a` and `b` (lower case) are one word in British and American spelling."""
    return frozenset((a, b)) in _spelling_variants()


@cache
def _currency_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def is_currency_code(word: str) -> bool:
    """Whether `word` is an ISO 4217 currency code as written: USD, EUR, UAH (upper case)."""
    return len(word) == 3 and word.isupper() and word in _currency_codes()
