"""Sentences of a news paragraph in English, Russian or Ukrainian, for the `omission` and
`wrong-language` checks.

A careful regular expression rather than a library: measured on this desk's text, pysbd
(unmaintained since 2021, no Ukrainian, 0.6 ms a paragraph) cut «т. е.», «тис.» and «вул.»;
razdel (Russian only, 2020) cut "Gen." and "Jan."; sentencex (fast, maintained) cut «р. В.» and
before «— и замолчал» after a quoted question. The omission check runs on every save, so the
splitter must be fast, and its aligner absorbs a stray cut or join (a 1-2 or 2-1 match), so
where a full stop is ambiguous ("in the U.S. Army", «в 2022 г. В. Зеленский») we keep the
sentence whole: a missed cut costs detail, a wrong one could cost a false alarm.
"""

import re

# A sentence ends at . ! ? or … (and any closing quotes or brackets after them), before
# whitespace and something that may start a sentence; `_starts_sentence` decides the rest.
END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s+(\S))")
OPENERS = "\"'«„“‘([—–-"


def _words(listed: str) -> frozenset[str]:
    return frozenset(listed.split())


# Words that may end in a full stop in the middle of a sentence, compared in lower case
# without the stop. Titles, months and place words come before a name; a cut there is wrong.
BEFORE_NAME = _words(
    "mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep rev st mt ft fr jan feb mar "
    "apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "approx dept vs г гг ул просп пл им ген полк проф акад доц св обл пос вул ім смт"
)
# Abbreviations before a number ("No. 5", «ст. 15», «п. 3»): no cut when a digit follows.
BEFORE_NUMBER = _words("no nos vol pp fig art ст ч п д кв")
# Abbreviations that may also end a sentence (units, "Inc.", «тыс.», «т. д.»): a cut when a
# capital follows, since the word after them inside a sentence is lower case.
UNITS = _words(
    "inc ltd co corp jr sr plc bn mn тыс тис млн млрд трлн руб грн коп долл дол евро др ін"
)
# Words that begin a sentence and never a name: after "U.S." or "p.m." only these make a cut.
STARTERS = _words(
    "the a an he she it they we i but this that these those in on at his her its their there "
    "it's however meanwhile earlier later "
    "это он она оно они мы я но однако ранее позже в на по его ее её их "
    "це він вона воно вони ми я але проте раніше пізніше у в на за його її їх"
)
DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}$")  # U.S., a.m., т.е.
LAST_WORD = re.compile(r"([\w.’'-]+)[.!?…]*[\"'»”’)\]]*$")


def _starts_sentence(following: str) -> bool:
    """Whether the word after a full stop may begin a sentence: a capital or a digit, maybe
    after an opening quote, bracket or dash (a lower-case word continues the sentence:
    «— сказал он», "8 p.m. local time")."""
    word = following.lstrip(OPENERS).lstrip()
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def _is_boundary(before: str, mark: str, following: str) -> bool:
    """Whether the text `before` (ending in `mark`) ends a sentence, given the `following` word."""
    if not _starts_sentence(following):
        return False
    if "." not in mark or mark.rstrip("\"'»”’)]").endswith(("..", "…")):
        return True  # ! ? and … end a sentence
    if mark.rstrip(".") != "":
        return True  # a stop after a closing quote or bracket: «…». Next
    found = LAST_WORD.search(before)
    if found is None:
        return True
    word = found.group(1).lower().rstrip(".")
    last = word.rsplit(".", 1)[-1] if word else word
    next_word = following.lstrip(OPENERS).lstrip().split(" ", 1)[0].rstrip(",;:").lower()
    if DOTTED.search(found.group(1)):
        return next_word in STARTERS  # "U.S. Army" goes on; "...in the U.S. The" is a cut
    if len(last) == 1 and last.isalpha():
        return False  # an initial (J. K. Rowling, В. Зеленский) or «т. е.», «с. Березівка»
    if last in BEFORE_NAME:
        return False
    if last in BEFORE_NUMBER or last in UNITS:
        return not following[:1].isdigit()
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of `text` starts and ends, in order, without surrounding whitespace
    (for a check that must quote a sentence as written, or read it in a copy of the text)."""
    spans, start = [], 0
    for match in END.finditer(text):
        end = match.end()
        following = text[end : end + 80].lstrip()[:40]
        before = text[max(start, end - 40) : end]  # the last word is all it needs
        if _is_boundary(before, match.group(0), following):
            spans.append((start, end))
            start = end
    spans.append((start, len(text)))
    stripped = []
    for first, last in spans:
        piece = text[first:last]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            stripped.append((first + lead, first + len(piece.rstrip())))
    return stripped


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, each stripped; whitespace alone gives none."""
    return [text[start:end] for start, end in sentence_spans(text)]
