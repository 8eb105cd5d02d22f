"""Words and characters of a text, counted as translation tools count them.

Translators are paid and planned by these figures, so there is one way to count, used by the
desk, Progress, the report and the charts: `count_text`.

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
from collections.abc import Iterable
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


@lru_cache(maxsize=8192)  # the desk counts the same saved texts on every rerun
def count_text(text: str) -> TextCount:
    """The words and characters of `text` (any text at all: never raises)."""
    composed = unicodedata.normalize("NFC", text)
    return TextCount(
        words=sum(1 for _ in _WORD.finditer(composed)),
        characters=len(composed),
        characters_no_spaces=len("".join(composed.split())),  # split() drops every space
    )


def count_texts(texts: Iterable[str]) -> TextCount:
    """The sum of the texts' counts (a version's paragraphs, a story's)."""
    total = TextCount()
    for text in texts:
        total += count_text(text)
    return total


@dataclass(frozen=True)
class StoryCounts:
    """A story's English and each language's translation, counted over its paragraphs."""

    english: TextCount
    translations: dict[str, TextCount]

    def of(self, lang: str) -> TextCount:
        return self.translations.get(lang, TextCount())


def count_story(paragraphs: Iterable[tuple[str, dict[str, str]]]) -> StoryCounts:
    """Count a story from its paragraphs: each one's English and its text in each language."""
    english = TextCount()
    translations: dict[str, TextCount] = {}
    for source, texts in paragraphs:
        english += count_text(source)
        for lang, text in texts.items():
            translations[lang] = translations.get(lang, TextCount()) + count_text(text)
    return StoryCounts(english, translations)
