"""Which of Russian and Ukrainian a single written word belongs to, and how sure that is.

A word is evidence for a language when that language can write it and the other cannot:

- by its letters: і ї є ґ are Ukrainian only, ы э ъ ё Russian only;
- by the morphological dictionaries (pymorphy3 with its Russian, OpenCorpora, and Ukrainian,
  VESUM-based, dictionaries): the form is some grammatical form of some word in one language
  and of no word in the other. «заявив» is a Ukrainian past tense and also a Russian verbal
  adverb, so it proves nothing; «заявил» exists only in Russian, «зазначив» only in Ukrainian.

Why dictionaries and not a hand list of giveaway words: a list holds one form of a word and
misses that the other language writes the same letters as another word (the Russian adverbs in
-в and -вши, «року» as a Russian dative), so it raises false errors on correct text and catches
little. The two dictionaries hold every form of about 390,000 Russian and 420,000 Ukrainian
lexemes. Measured: 0.1-0.3 s to load both, once per process and only on the first check; about
45 MB of memory; a few microseconds a lookup (cached), so a paragraph of 25 words costs about
0.6 ms, and about 6 ms the first time its words are seen (a capitalised word opening a sentence
is parsed in full to learn whether it is a name). The language detector alone reads a few
shared words as either language; the dictionaries say which words are shared.
"""

from enum import Enum
from functools import lru_cache
from typing import Any

from workflow.checks.morphology import analyzer
from workflow.checks.words import APOSTROPHES as APOSTROPHES  # for `language`
from workflow.checks.words import CYRILLIC, normalise
from workflow.checks.words import LATIN as LATIN

FULL_VOTE, NAME_VOTE = 2, 1
ONLY_IN = {"uk": frozenset("іїєґ"), "ru": frozenset("ыэъё")}
# Common Ukrainian words missing from the Ukrainian dictionary (indeclinable, so this is every
# form): without them a short Ukrainian sentence would have no Ukrainian evidence at all.
UKRAINIAN_NOT_IN_DICTIONARY = frozenset({"ще", "вже", "теж", "уже", "щойно", "наразі", "торік"})


# Grammemes of personal and place names: the Russian dictionary marks all of these, the
# Ukrainian one only people (its places are plain nouns).
PROPER_NAMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


class Side(Enum):
    """Which language a word gives evidence for."""

    RU = "ru"
    UK = "uk"
    NEITHER = ""


def _analyzers() -> dict[str, Any]:
    # The numbers check's analyzers: one per language and process (each holds ~20 MB).
    return {lang: analyzer(lang) for lang in ("ru", "uk")}


def is_known(word: str, lang: str) -> bool:
    """Whether the (normalised) word is some form of some word in the language's dictionary."""
    if lang == "uk" and word in UKRAINIAN_NOT_IN_DICTIONARY:
        return True
    if lang == "ru" and "'" in word:
        return False  # Russian writes ъ where Ukrainian has an apostrophe
    return bool(_analyzers()[lang].word_is_known(word))


@lru_cache(maxsize=65536)
def side_by_letters(word: str) -> Side:
    """The language whose letters the (normalised) word uses, if only one has them."""
    letters = set(word)
    uk, ru = bool(letters & ONLY_IN["uk"]), bool(letters & ONLY_IN["ru"])
    if uk == ru:
        return Side.NEITHER
    return Side.UK if uk else Side.RU


def is_name(word: str) -> bool:
    """Whether either dictionary knows the (normalised) word as the name of a person or a place
    (the adjective «украинская» is marked as a place's too, and is an ordinary word)."""
    return any(
        p.is_known and p.tag.POS == "NOUN" and p.tag.grammemes & PROPER_NAMES
        for analyzer in _analyzers().values()
        if analyzer.word_is_known(word)  # parsing an unknown word runs the slow guessers
        for p in analyzer.parse(word)
    )


@lru_cache(maxsize=65536)
def side_by_dictionary(word: str, common: bool = False) -> Side:
    """The language that writes the (normalised) word when the other does not; with `common`,
    nothing for a word that either dictionary knows as a name (Молдова, Трамп)."""
    if not CYRILLIC.search(word) or (common and is_name(word)):
        return Side.NEITHER
    ru, uk = is_known(word, "ru"), is_known(word, "uk")
    # «бюджете», «паспорте» are Russian prepositionals and Ukrainian vocatives: shared, though
    # news rarely addresses a budget. Not discounted: direct speech does address people
    # («Дякую, пане президенте»), and those forms are Russian prepositionals too.
    if ru == uk:
        return Side.NEITHER
    return Side.RU if ru else Side.UK


def vote(word: str, opens_sentence: bool) -> tuple[Side, int]:
    """Which language a word as written in a sentence speaks for, and how loudly: a full vote
    for an ordinary word, half for a name, none for an acronym or a word both languages write.
    """
    plain, lowercase = normalise(word), not word[:1].isupper()
    by_letters = side_by_letters(plain)
    if by_letters is not Side.NEITHER:
        # A letter the language lacks is certain for a word, but names keep their spelling
        # across languages (Київстар, Іван in a Russian text): half a vote inside a sentence.
        return by_letters, FULL_VOTE if lowercase or opens_sentence else NAME_VOTE
    if word.isupper() and len(word) > 1:
        return Side.NEITHER, 0  # acronyms (МРТ, САУ) are in one dictionary by chance
    if lowercase:
        return side_by_dictionary(plain), FULL_VOTE
    if not opens_sentence:
        # The Ukrainian dictionary holds many foreign names and places (Байден, Лугано) that
        # the Russian one lacks, and both languages spell those alike: no vote inside a sentence.
        return Side.NEITHER, 0
    # Opening a sentence it may be an ordinary word or a name: a vote when neither dictionary
    # knows it as a name, and half for Ukrainian, whose dictionary does not mark places
    # (Канаверал, Лугано are plain nouns there).
    side = side_by_dictionary(plain, common=True)
    return side, {Side.RU: FULL_VOTE, Side.UK: NAME_VOTE, Side.NEITHER: 0}[side]


def only_in_other(word: str, lang: str) -> bool:
    """Whether a lower-case word has letters that `lang` lacks and is a word of the other
    language (Ukrainian «він» or «і» in Russian): wrong in any sentence of `lang`."""
    plain = normalise(word)
    side = side_by_letters(plain)
    return (
        not word[:1].isupper()
        and side.value not in ("", lang)
        and side_by_dictionary(plain) is side
    )
