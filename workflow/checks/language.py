"""`untranslated` and `wrong-language`: the translation is in the language it should be.

Russian and Ukrainian share most of their letters, but not all: і ї є ґ are Ukrainian only and
ы э ъ ё Russian only. Where no such letter decides, a language detector (lingua, limited to
English, Russian and Ukrainian) reads each sentence long enough to judge.
"""

import re
from functools import cache
from typing import Any

from workflow.checks.base import Check, Pair, Severity
from workflow.checks.text import ADDRESS

ONLY_IN = {"uk": set("іїєґІЇЄҐ"), "ru": set("ыэъёЫЭЪЁ")}
# Short everyday words of one language that the other never writes (Ukrainian says і, що,
# він, був where Russian says и, что, он, был): they give away a short sentence whose letters
# do not.
WORDS_ONLY_IN = {
    "ru": {"и", "что", "это", "или", "он", "был", "была", "было", "были", "его", "также",
           "когда", "сказал", "заявил", "отметил", "сообщил", "из", "как", "от", "против",
           "после", "около", "года", "году", "человек", "человека"},
    "uk": {"що", "це", "він", "вона", "був", "була", "було", "були", "його", "також", "коли",
           "сказав", "заявив", "зазначив", "повідомив", "й", "як", "але", "проти", "року"},
}  # fmt: skip
OTHER = {"ru": "uk", "uk": "ru"}
NAMES = {"ru": "Russian", "uk": "Ukrainian", "en": "English"}
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
SENTENCE = re.compile(r"(?<=[.!?…])\s+")
DETECTOR_MIN_WORDS = 3  # two words can fool the detector (Парламент розпущено reads as Russian)
DETECTOR_CONFIDENCE = 0.5  # the other language must be the likelier one


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.RUSSIAN, Language.UKRAINIAN
    ).build()


def detect(text: str) -> tuple[str, float]:
    """The most likely of en, ru, uk for a text, and the detector's confidence in it."""
    values = _detector().compute_language_confidence_values(text)
    best = values[0]
    code = {"ENGLISH": "en", "RUSSIAN": "ru", "UKRAINIAN": "uk"}[best.language.name]
    return code, best.value


def latin_share(text: str) -> float:
    """The share of letters that are Latin (0 when the text has no letters)."""
    latin, cyrillic = len(LATIN.findall(text)), len(CYRILLIC.findall(text))
    return latin / (latin + cyrillic) if latin + cyrillic else 0.0


TOKEN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|[\u0400-\u04ff]+(?:['’][\u0400-\u04ff]+)?")
ENGLISH_RUN = 3  # lowercase English words in a row, with no Cyrillic between: text left over


def english_run(text: str) -> str | None:
    """The first run of English words long enough to be untranslated text (names and brands,
    capitalised, do not count; links and addresses are taken out first)."""
    run: list[str] = []
    lowercase = 0
    for token in TOKEN.findall(ADDRESS.sub(" ", text)):
        if CYRILLIC.search(token):
            run, lowercase = [], 0
            continue
        run.append(token)
        lowercase += token[0].islower() and len(token) > 1
        # Three lowercase words, or two among three (names and dates break up English too).
        if lowercase >= ENGLISH_RUN or (lowercase >= 2 and len(run) >= ENGLISH_RUN):
            return " ".join(run)
    return None


class UntranslatedCheck(Check):
    code = "untranslated"
    name = "Left in English"
    description = "The translation is (mostly) still the English text."
    severity = Severity.ERROR

    def check(self, pair: Pair) -> str | None:
        target = pair.target.strip()
        if not target or not LATIN.search(target):
            return None
        if target == pair.source.strip() and len(WORD.findall(target)) > 1:
            return "The translation is the English text, unchanged."
        if left := english_run(target):
            return f"Part of the translation is still English: «{left[:80]}»."
        return None


class WrongLanguageCheck(Check):
    code = "wrong-language"
    name = "Wrong language"
    description = "Russian text in the Ukrainian version, or Ukrainian in the Russian."
    severity = Severity.ERROR

    def check(self, pair: Pair) -> str | None:
        other = OTHER.get(pair.lang)
        if other is None:
            return None
        words = [
            w
            for w in WORD.findall(pair.target)
            if set(w) & ONLY_IN[other] or w.lower() in WORDS_ONLY_IN[other]
        ]
        if words:
            shown = ", ".join(dict.fromkeys(words[:5]))
            return f"{NAMES[other]} words in the {NAMES[pair.lang]} text: {shown}."
        for sentence in SENTENCE.split(pair.target):
            cyrillic_words = [w for w in WORD.findall(sentence) if CYRILLIC.search(w)]
            if len(cyrillic_words) < DETECTOR_MIN_WORDS or set(sentence) & ONLY_IN[pair.lang]:
                continue
            language, confidence = detect(sentence)
            if language == other and confidence >= DETECTOR_CONFIDENCE:
                return f"This reads as {NAMES[other]}, not {NAMES[pair.lang]}: «{sentence[:80]}»."
        return None
