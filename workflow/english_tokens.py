"""An English paragraph as the edit classifier reads it (see `edits`).

Tokens are its words, numbers and the symbols that carry meaning (a currency, a sign, a
question mark, a percentage). Each has its text as written, a key as compared (lower case,
"3,000" as "3000", "per cent" as "%", "five" as "5", "U.S." as "us"), whether it stands inside
quotation marks, and, for a capitalised word, whether a sentence starts there.
"""

import re
import unicodedata
from typing import NamedTuple

from workflow.english_words import (
    ABBREVIATIONS_THAT_ARE_WORDS,
    DATE_ABBREVIATIONS,
    MONTHS,
    NEGATIONS,
    NUMBER_WORDS,
    SMALL_NUMBERS,
    WEEKDAYS,
    is_currency_code,
)
from workflow.segmentation import comparison_key

# Numbers with their group separators; words with inner apostrophes (don't, Ukraine's); and
# any other single symbol, kept when it carries meaning (see `_symbol_key`).
_TOKEN = re.compile(r"\d+(?:[.,:\u00a0\u202f ]\d+)*|\w+(?:'\w+)*|[^\w\s.,;:!\"'()\[\]]")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}\b)")
# Dotted abbreviations: U.S., U.K., e.g., a.m. read as US, UK, eg, am.
_DOTTED = re.compile(r"(?<![\w.])[A-Za-z](?:\.[A-Za-z])+\.?(?!\w)")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_MEANINGFUL_SYMBOLS = "?%+±‰"
_OPENERS = " \"'([{«“‘"
_QUOTE_MARKS = re.compile("[\"']")
_SHORT_MAGNITUDES = {
    "pc": "%",
    "percent": "%",
    "bn": "billion",
    "tn": "trillion",
    "trn": "trillion",
}


class Token(NamedTuple):
    """One word, number or meaningful symbol: as written, as compared, and where it stands."""

    text: str
    key: str
    quoted: bool = False  # inside quotation marks: someone else's words
    starts_sentence: bool = False  # set for capitalised words only: a name, or the sentence's?


def tokens(text: str) -> list[Token]:
    """The words, numbers and meaningful symbols of `text`, in order."""
    text = as_compared(text)
    return tokens_between(text, quoted_spans(text), 0, len(text))


def as_compared(text: str) -> str:
    """The text as its tokens are read: `comparison_key`, with dotted abbreviations closed."""
    text = comparison_key(text)
    if "." in text:
        text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    return text


def tokens_between(text: str, quotes: list[tuple[int, int]], start: int, end: int) -> list[Token]:
    """The tokens of text[start:end] (an `as_compared` text and its `quoted_spans`)."""
    found: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        first = word[0]
        at = match.start()
        if first.isdigit():
            key = word if word.isdigit() else _THOUSANDS.sub("", word)
        elif first.isalnum() or first == "_":
            key = word.lower()
            key = SMALL_NUMBERS.get(key, key)
            if first.isupper() and key in DATE_ABBREVIATIONS:
                key = _date_abbreviation(key, text, match.end())  # "Dec. 5", "December 5"
            # "per cent", "percent" and "5pc" read as "%": the same value either way.
            if key == "cent" and found and found[-1].key == "per":
                found[-1] = found[-1]._replace(text="per cent", key="%")
                continue
            if found and found[-1].key[0].isdigit():
                key = _after_number(key, found)
            elif key == "percent":
                key = "%"
        else:
            symbol = _symbol_key(word, text, at)
            if symbol is None:
                continue
            key = symbol
        quoted = bool(quotes) and any(opened < at < closed for opened, closed in quotes)
        # Where a sentence starts matters only to a capital (is it a name, or the sentence's?).
        starts = first.isupper() and starts_sentence_at(text, at)
        found.append(Token(word, key, quoted, starts))
    return found


def _date_abbreviation(key: str, text: str, end: int) -> str:
    """The month or weekday a capitalised abbreviation stands for ("Dec", "Tue"). One that is
    also a word ("Mar", "Sat", "Sun", "Wed") is the date only before a dot or a figure: "Mar.
    24", "on Sat.", but "Clashes Mar Talks" and "The Sun reported"."""
    if key in ABBREVIATIONS_THAT_ARE_WORDS:
        after = text[end : end + 3].lstrip(" ")
        if not after or not (after[0] == "." or after[0].isdigit()):
            return key
    return DATE_ABBREVIATIONS[key]


def _after_number(key: str, found: list[Token]) -> str:
    """A unit written short after a number: "5pc" is 5%, "$5bn" $5 billion, "€700m" €700
    million (an "m" only after a currency, where it cannot be metres)."""
    if key in _SHORT_MAGNITUDES:
        return _SHORT_MAGNITUDES[key]
    after_currency = len(found) > 1 and _is_currency(found[-2].text)
    return "million" if key in ("m", "mn", "mln") and after_currency else key


def _is_currency(text: str) -> bool:
    if len(text) == 1:
        return unicodedata.category(text) == "Sc"
    return is_currency_code(text)


def starts_sentence_at(text: str, at: int) -> bool:
    """Whether a sentence starts at `at`: the text's start, or after . ! ? and any quote."""
    i = at - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in ".!?"


def _symbol_key(symbol: str, text: str, at: int) -> str | None:
    """A currency symbol, a sign, a question mark, a percentage or a range dash; else nothing."""
    if symbol in _DASHES:
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        is_sign = not before.isalnum() and after.isdigit()
        is_range = before.isdigit() and after.isdigit()
        return "-" if is_sign or is_range else None  # a hyphen or a dash between words: style
    if symbol in _MEANINGFUL_SYMBOLS or unicodedata.category(symbol) == "Sc":
        return symbol
    return None


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where quotations stand: between paired double quotes, and between single quotes that
    open before a word and close after one (an apostrophe inside a word is no quote)."""
    if '"' not in text and "'" not in text:
        return []
    spans = []
    opened_double = -1
    singles: list[int] = []
    for match in _QUOTE_MARKS.finditer(text):
        at, char = match.start(), match.group()
        if char == '"':
            if opened_double < 0:
                opened_double = at
            else:
                spans.append((opened_double, at))
                opened_double = -1
        elif char == "'":
            before = text[at - 1] if at else " "
            after = text[at + 1] if at + 1 < len(text) else " "
            if before in _OPENERS and after.isalnum():
                singles.append(at)
            elif singles and (before.isalnum() or before in ".,!?") and not after.isalnum():
                spans.append((singles.pop(), at))
    if opened_double >= 0:
        spans.append((opened_double, len(text)))  # a quote that runs on into the next paragraph
    return spans


def meaningful_key(key: str) -> bool:
    """Whether a token so compared is a number, symbol, weekday, month, negation or amount."""
    if not key.isalpha() and (not key[0].isalnum() or any(c.isnumeric() for c in key)):
        return True
    if key in WEEKDAYS or key in MONTHS or key in NEGATIONS or key in NUMBER_WORDS:
        return True
    return key.endswith("n't")


def carries_meaning(token: Token) -> bool:
    """Numbers, dates, names, places, currencies and negations: a change is never minor."""
    if meaningful_key(token.key) or is_currency_code(token.text):
        return True
    # A capital letter inside a sentence is a name or a place. At a sentence start it may be
    # either, and when unsure the answer is "changed": so any capitalised word counts.
    return token.text[0].isupper()


def case_form(text: str) -> str:
    """How a word is capitalised: "lower", "title" (Turkey), "upper" (US) or "mixed" (McDonald)."""
    letters = "".join(c for c in text.split("'")[0] if c.isalpha())  # US's is upper
    if not letters or letters.islower():
        return "lower"
    if letters.isupper() and len(letters) > 1:
        return "upper"
    if letters[0].isupper() and (len(letters) == 1 or letters[1:].islower()):
        return "title"
    return "mixed"
