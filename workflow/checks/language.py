"""`untranslated` and `wrong-language`: the translation is in the language it should be.

Russian and Ukrainian share most of their letters and many word forms, so one word rarely
decides. `wrong-language` weighs each sentence: every word that only one of the two languages
can write (by its letters or, for the rest, by the morphological dictionaries in `lexicon`)
is a vote, names count half (a Russian text names «Київ» or «Сільпо» as they are spelled), and
short quoted names and titles do not vote at all. A sentence whose votes are mostly for the
other language is flagged; so is a lower-case word that only the other language writes
(Ukrainian «він» in a Russian sentence). Where no word votes, a language detector (lingua,
limited to English, Russian and Ukrainian) reads sentences long enough to judge. Sentences are
cut by `sentences.sentence_spans`, as the `omission` check cuts them.

Quotations. Newsrooms translate quoted speech, but some keep a quotation in the words it was
said in (Путін сказав: «Мы не отступим»). So the other language only inside quotation marks
(« », “ ”, „ “, " ") is not the blocking `wrong-language` error when the words outside them are
the right language (at least one votes for it and none make the paragraph read as the other):
it is the warning `quoted-language`, which names the quotation for the editor to confirm. A
check has one severity, hence two checks from one reading (`judge`). A paragraph that is only a
quotation, or whose own words read as the other language too, stays an error.
"""

import re
from functools import cache
from typing import Any

from workflow.checks.base import Check, Pair, Severity
from workflow.checks.lexicon import APOSTROPHES, CYRILLIC, FULL_VOTE, LATIN, only_in_other, vote
from workflow.checks.sentences import sentence_spans
from workflow.checks.text import ADDRESS

OTHER = {"ru": "uk", "uk": "ru"}
NAMES = {"ru": "Russian", "uk": "Ukrainian", "en": "English"}
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Two words can fool the detector (Парламент розпущено reads as Russian), and names tell it
# nothing (Олаф Шольц — Джо Байдену reads as Ukrainian): it needs three lower-case words.
DETECTOR_MIN_WORDS = 3
# Between Russian and Ukrainian the detector splits its confidence, so 0.5 is a coin toss on
# a few shared words (закон о бюджете reads as Ukrainian at 0.6); 0.7 never erred on our
# corpora cut into every fragment of three words or more.
DETECTOR_CONFIDENCE = 0.7


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


class UntranslatedCheck(
    Check, code="untranslated", name="Left in English", severity=Severity.ERROR
):
    """The translation is (mostly) still the English text."""

    def check(self, pair: Pair) -> str | None:
        target = pair.target.strip()
        if not target or not LATIN.search(target):
            return None
        if target == pair.source.strip() and len(WORD.findall(target)) > 1:
            return "The translation is the English text, unchanged."
        if left := english_run(target):
            return f"Part of the translation is still English: «{left[:80]}»."
        return None


# Quoted spans: «…» (innermost first, so «Фонд «Повернись живим» …» yields the inner title;
# one still open at the end is a title being typed), „…“, “…” and "…".
QUOTED = re.compile(r"«[^«»]*(?:»|$)|„[^„“”]*[“”]|“[^“”]*”|\"[^\"\n]*\"")
TITLE_MAX_WORDS = 4  # «Слуга народу», «Конотопська відьма»: a name, not the text's own words
SPEECH_AFTER = re.compile(r"[,!?.…]?\s*[—–-]")  # «…», — сказал он: direct speech, not a title
TOKEN_PART = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
WORD_WITH_DIGITS = re.compile(r"[\w'’ʼ-]*\d[\w'’ʼ-]*")  # 89-й, F-16, Євро-2024: no vote
OPENERS, DASHES = '«„“"(:', "—–-"


def _opens_sentence(before: str) -> bool:
    """Whether a word that follows `before` starts a sentence, a quote or a dashed clause."""
    before = before.rstrip()
    if not before or before[-1] in OPENERS:
        return True
    return before[-1] in DASHES and before[-2:-1].isspace()  # a dash, not a hyphen


def _titles_removed(text: str) -> str:
    """The text with quoted names and titles blanked out, direct speech kept: a quote that
    follows a word (книга «Я бачу, вас цікавить пітьма») is a title, as is a short one
    elsewhere; a quote that a colon opens or a dash follows is speech."""

    def blank(match: re.Match[str]) -> str:
        inner, after = match.group()[1:].rstrip("»"), text[match.end() :]
        before = text[: match.start()].rstrip()
        if SPEECH_AFTER.match(after) or before.endswith(":"):
            return match.group()
        named = before[-1:].isalnum() or len(TOKEN_PART.findall(inner)) <= TITLE_MAX_WORDS
        return " " * len(match.group()) if named else match.group()

    return QUOTED.sub(blank, text)


class Votes:
    """The words of one sentence that only one of the two languages writes, weighed."""

    def __init__(self, sentence: str, lang: str) -> None:
        self.lang, self.other = lang, OTHER[lang]
        self.own = self.against = self.lowercase_words = 0
        self.other_words: list[str] = []
        self.stray: list[str] = []  # lower-case words only the other language writes
        text = WORD_WITH_DIGITS.sub(" ", sentence.translate(APOSTROPHES))
        for match in TOKEN_PART.finditer(text):
            word, after = match.group(), text[match.end() : match.end() + 2]
            # A letter alone is a word (и, к, з) only inside running text; before a full stop
            # or a bracket it is an initial, an abbreviation or a list marker (д), к.).
            if len(word) == 1 and not (after[:1].isspace() and after[1:].isalpha()):
                continue
            before = text[max(0, match.start() - 3) : match.start()]
            self._weigh(word, _opens_sentence(before))

    def _weigh(self, word: str, opens_sentence: bool) -> None:
        if not CYRILLIC.search(word):
            return
        self.lowercase_words += not word[0].isupper()
        side, weight = vote(word, opens_sentence)
        if side.value == self.lang:
            self.own += weight
        elif side.value == self.other and weight:
            self.against += weight
            self.other_words.append(word)
            if only_in_other(word, self.lang):
                self.stray.append(word)

    def reads_as_other(self) -> bool:
        """More of the sentence's deciding words belong to the other language than to its own,
        and at least one ordinary word (not a name's half vote) does."""
        return self.against >= FULL_VOTE and self.against > self.own


def _reading(target: str, text: str, lang: str) -> str | None:
    """Why `target` reads as the other language, judged on `text` (the target with parts
    blanked out, so that a sentence keeps its place and is quoted as written), or None."""
    other = OTHER[lang]
    reads_as = f"This reads as {NAMES[other]}, not {NAMES[lang]}"
    stray: list[str] = []
    for start, end in sentence_spans(target):
        words, sentence = text[start:end], target[start:end]
        if not CYRILLIC.search(words):
            continue
        votes = Votes(words, lang)
        stray += votes.stray
        if votes.reads_as_other():
            shown = ", ".join(dict.fromkeys(votes.other_words[:5]))
            return f"{reads_as}: «{sentence[:80]}» ({shown})."
        # No word decides: only then is the detector's reading worth an error.
        if votes.own == votes.against == 0 and votes.lowercase_words >= DETECTOR_MIN_WORDS:
            language, confidence = detect(words)
            if language == other and confidence >= DETECTOR_CONFIDENCE:
                return f"{reads_as}: «{sentence[:80]}»."
    if stray:
        shown = ", ".join(dict.fromkeys(stray[:5]))
        return f"{NAMES[other]} words in the {NAMES[lang]} text: {shown}."
    return None


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _quotations_removed(text: str) -> str:
    """The text with every quoted span blanked, the ones around other quotes too."""
    while (blanked := QUOTED.sub(_blank, text)) != text:
        text = blanked
    return text


def judge(target: str, lang: str) -> tuple[str | None, str | None]:
    """The `wrong-language` error on a translation, and the `quoted-language` warning when the
    other language is only inside quotation marks, in a paragraph whose own words (there must
    be some) are in the right language: then the error is excused and the warning names the
    quotation."""
    if lang not in OTHER:
        return None, None
    # Addresses and titles are blanked, not cut, so a sentence's place in the text is kept
    # and the message can quote it as the translator wrote it.
    text = _titles_removed(ADDRESS.sub(_blank, target))
    error = _reading(target, text, lang)
    if error is None:
        return None, None
    outside = _quotations_removed(text)
    if outside == text or not Votes(outside, lang).own or _reading(target, outside, lang):
        return error, None
    quotations = [m for m in QUOTED.finditer(text) if CYRILLIC.search(m.group())]
    inner = [m.group()[1:].rstrip('»”“"').strip() for m in quotations]
    deciding = [(q, Votes(q, lang)) for q in inner]
    shown = next(((q, v) for q, v in deciding if v.reads_as_other()), (inner[0], None))
    words = f" ({', '.join(dict.fromkeys(shown[1].other_words[:5]))})" if shown[1] else ""
    other = NAMES[OTHER[lang]]
    return None, (
        f"A quotation reads as {other}, not {NAMES[lang]}: «{shown[0][:80]}»{words}. "
        f"Quotations are usually translated; keep it only if the original words should stand."
    )


class WrongLanguageCheck(
    Check, code="wrong-language", name="Wrong language", severity=Severity.ERROR
):
    """Russian text in the Ukrainian version, or Ukrainian in the Russian."""

    def check(self, pair: Pair) -> str | None:
        return judge(pair.target, pair.lang)[0]


class QuotedLanguageCheck(
    Check, code="quoted-language", name="Quotation in the other language", severity=Severity.WARNING
):
    """A quotation kept in Russian in the Ukrainian version, or in Ukrainian in the Russian, in
    a paragraph otherwise in the right language."""

    def check(self, pair: Pair) -> str | None:
        return judge(pair.target, pair.lang)[1]
