"""Every inflected form of a Russian or Ukrainian word, from pymorphy3's dictionaries.

The checks need the forms of a few closed sets of words (numerals, weekdays, months), not the
analysis of running text: each set is expanded once per process into a table, and a paragraph
is then read by look-ups only. One analyzer per language is loaded on first use (about 0.2 s
and 20 MB) and shared by every check that asks.
"""

from collections.abc import Iterable
from functools import cache
from typing import Any

from workflow.checks.words import lookup_key


@cache
def analyzer(lang: str) -> Any:
    """The pymorphy3 analyzer of "ru" or "uk"."""
    import pymorphy3  # imported here: the dictionaries load on the first paragraph, not at import

    return pymorphy3.MorphAnalyzer(lang=lang)


def every_form(lang: str, lemma: str, prefer: Iterable[str] = ()) -> set[str]:
    """The lemma and all its forms, as `lookup_key` spells them. Where the dictionary knows the
    spelling as more than one word («три» is also a verb, «сто» an abbreviation), the parse
    carrying a grammeme of `prefer` (e.g. NUMR) is expanded."""
    if lang not in ("ru", "uk"):
        return set()  # the only dictionaries installed
    wanted = set(prefer)
    parses = [
        p for p in analyzer(lang).parse(lemma) if lookup_key(p.normal_form) == lookup_key(lemma)
    ]
    parses.sort(key=lambda p: (not wanted & p.tag.grammemes, "Abbr" in p.tag.grammemes))
    return {lookup_key(lemma)} | {lookup_key(f.word) for p in parses[:1] for f in p.lexeme}
