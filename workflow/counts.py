"""Words and characters of a text, counted as translation tools count them.

Translators are paid and planned by these figures, so there is one way to count, used by the
desk, Progress, the report and the charts: `count_text` for one text, `count_texts` for many
(a version's paragraphs), `count_story` for a story's English and each of its languages.

A **word** is a run of word characters (letters of any script, digits, combining marks:
the `regex` module's Unicode `\\w`, which unlike the standard `re` keeps a letter and its
combining accent together), as CAT tools split words at Unicode word boundaries, with the
joins they read as one word: a number with its separators ("8,500", "3.5", "8 500" with a
no-break space), a hyphenated word ("well-known", "Івано-Франківськ"), an apostrophe inside a
word ("don't", "м'ясо"), an abbreviation ("U.S."). PyICU's word breaks would split hyphenated
words, which the desk counts as one, and is a heavy native dependency for one pattern.

**Characters** are what a reader sees: code points after NFC composition (an "й" typed as "и"
and a combining breve is one), with and without whitespace.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Self

import regex

# A joiner is read as part of a word only between two word characters: a hyphen, an
# apostrophe or a full stop anywhere; a comma or a no-break / thin space only inside a number.
_WORD = regex.compile(r"\w+(?:(?:[-\u2010\u2011'\u2019.]|(?<=\d)[,\u00a0\u2009\u202f](?=\d))\w+)*")


@dataclass(frozen=True)
class TextCount:
    """How many words and characters a text has."""

    words: int = 0
    characters: int = 0  # with spaces
    characters_no_spaces: int = 0

    def __add__(self, other: Self) -> Self:
        return type(self)(
            self.words + other.words,
            self.characters + other.characters,
            self.characters_no_spaces + other.characters_no_spaces,
        )

    @property
    def caption(self) -> str:
        """As the desk says it: "42 words · 260 characters"."""
        words = "word" if self.words == 1 else "words"
        characters = "character" if self.characters == 1 else "characters"
        return f"{self.words:,} {words} · {self.characters:,} {characters}"

    @property
    def detailed(self) -> str:
        """The caption with the characters without spaces, as a version's total says it."""
        return f"{self.caption} ({self.characters_no_spaces:,} without spaces)"


def _count(text: str) -> TextCount:
    composed = unicodedata.normalize("NFC", text)
    return TextCount(
        words=_WORD.subn("", composed)[1],  # counted in C: no match object per word
        characters=len(composed),
        characters_no_spaces=len("".join(composed.split())),  # split() drops every space
    )


@lru_cache(maxsize=8192)  # the desk counts the same saved texts on every rerun
def count_text(text: str) -> TextCount:
    """The words and characters of `text` (any text at all: never raises)."""
    return _count(text)


def count_texts(texts: Sequence[str]) -> TextCount:
    """The sum of the texts' counts (a version's paragraphs, a story's), counted in one pass
    over them joined with a space, less those spaces: counts add up over a space (a property
    the tests check), and one pass costs a fraction of a call per paragraph."""
    if not texts:
        return TextCount()
    whole = _count(" ".join(texts))
    joins = len(texts) - 1
    return TextCount(whole.words, whole.characters - joins, whole.characters_no_spaces)


@dataclass(frozen=True)
class StoryCounts:
    """A story's English and each language's translation, counted over its paragraphs."""

    english: TextCount
    translations: dict[str, TextCount]

    def of(self, lang: str) -> TextCount:
        return self.translations.get(lang, TextCount())


def count_story(paragraphs: Iterable[tuple[str, dict[str, str]]]) -> StoryCounts:
    """Count a story from its paragraphs: each one's English and its text in each language."""
    english: list[str] = []
    translations: dict[str, list[str]] = {}
    for source, texts in paragraphs:
        english.append(source)
        for lang, text in texts.items():
            translations.setdefault(lang, []).append(text)
    return StoryCounts(
        count_texts(english), {lang: count_texts(texts) for lang, texts in translations.items()}
    )
