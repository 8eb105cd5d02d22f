"""What an edit of an English paragraph did: minor (meaning cannot have changed) or changed.

Minor edits are the ones a reader of the old translation would not need to know about:
- a typo fixed or made, where one of the two spellings is no English word ("goverment" →
  "government"; in a name only two letters swapped or one doubled, "Pentgaon" → "Pentagon"),
  and British and American spellings of one word (defence/defense);
- punctuation (a serial comma, en dash, em dash or hyphen), spacing and quote style (straight or
  curly, double or single);
- "U.S." and "US" and other dotted abbreviations; "per cent", "percent" and "%"; "$5bn" and
  "$5 billion"; small numbers spelled or in figures ("five", "5"); "3,000" and "3000"; "Dec."
  and "December", "Mar. 24" and "March 24", "Sat." and "Saturday";
- a doubled word removed or added ("the the"); a compound closed or opened where both spellings
  are one word ("health care", "e-mail"; but "re-sign" is not "resign", nor "a part" "apart");
- a capital added or removed at the start of a sentence, in a headline, or on a title or
  institution ("the Agency", "Prime Minister").

Everything else is changed, however few characters it touches: one real word replaced by
another ("untied" → "united", "form" → "from"); a word added or removed; a number, date, time,
weekday, month, name, place, currency (symbol or ISO code) or negation; quotation marks added
or removed around words (who says it changed); a capital that makes or unmakes an acronym or a
proper name ("told us" → "told US", "turkey" → "Turkey"). When unsure, the answer is changed:
a false alarm costs a translator a glance, a missed change costs a correction notice.

Also here: the word-level diff the desk shows beside a stale translation.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz.distance import OSA, Levenshtein, Postfix, Prefix

from workflow.english_tokens import (
    Token,
    as_compared,
    carries_meaning,
    case_form,
    meaningful_key,
    quoted_spans,
    tokens,
    tokens_between,
)
from workflow.english_words import (
    SAME_WORD_COMPOUNDS,
    STYLE_CAPITALISED,
    VARIANT_ENDINGS,
    are_spelling_variants,
    is_common_english_word,
    is_currency_code,
    is_english_word,
)
from workflow.segmentation import comparison_key


def is_minor(old: str, new: str) -> bool:
    """Whether the edit from `old` to `new` cannot have changed what the paragraph says."""
    old, new = as_compared(old), as_compared(new)
    before, after = _differing_tokens(old, new)
    read_before = [(t.text, t.quoted) for t in before]
    read_after = [(t.text, t.quoted) for t in after]

    def headline() -> bool:  # asked only when a capital changed: most edits never need it
        return _in_headline_case(tokens(old)) or _in_headline_case(tokens(new))

    runs: list[list[_Run]] = []  # the differing stretches, each as the diff's adjacent steps
    for op in Levenshtein.opcodes([t.key for t in before], [t.key for t in after]):
        if op.tag == "equal":
            if read_before[op.src_start : op.src_end] == read_after[op.dest_start : op.dest_end]:
                continue  # the same words, written and quoted alike: the common case
            kept = zip(
                before[op.src_start : op.src_end], after[op.dest_start : op.dest_end], strict=True
            )
            if not all(_same_reading(a, b, headline) for a, b in kept):
                return False
            continue
        step = _Run(op.src_start, op.src_end, op.dest_start, op.dest_end)
        last = runs[-1][-1] if runs else None
        if last and last.src_end == step.src_start and last.dest_end == step.dest_start:
            runs[-1].append(step)
        else:
            runs.append([step])
    for steps in runs:
        whole = _Run(steps[0].src_start, steps[-1].src_end, steps[0].dest_start, steps[-1].dest_end)
        # "cyber attack" to "cyberattack" is one stretch; "the the goverment" two steps.
        if not (
            _minor_run(before, after, whole, headline)
            or all(_minor_run(before, after, step, headline) for step in steps)
        ):
            return False
    return True


def _differing_tokens(old: str, new: str) -> tuple[list[Token], list[Token]]:
    """The tokens of the stretch where `old` and `new` differ, with two words either side.

    The text around an edit is the same in both, so only the stretch needs reading: a
    paragraph of 300 words with one word changed costs a few tokens, not 600. Quotation marks
    are the exception: one added or removed inside the stretch changes whether the words
    after it are quoted, and then both texts are read whole.
    """
    same_start = Prefix.similarity(old, new)
    same_end = min(Postfix.similarity(old, new), min(len(old), len(new)) - same_start)
    start = same_start
    for _ in range(3):  # back to the start of the word, then two words more
        start = max(old.rfind(" ", 0, start), 0)
    old_end = len(old) - same_end
    for _ in range(3):
        found = old.find(" ", old_end + 1)
        old_end = len(old) if found < 0 else found
    new_end = len(new) - (len(old) - old_end)
    quotes_old, quotes_new = quoted_spans(old), quoted_spans(new)
    if quotes_old or quotes_new:
        outside = [
            _outside_window(quotes_old, start, old_end, len(old)),
            _outside_window(quotes_new, start, new_end, len(new)),
        ]
        if None in outside or outside[0] != outside[1]:
            start, old_end, new_end = 0, len(old), len(new)
    return (
        tokens_between(old, quotes_old, start, old_end),
        tokens_between(new, quotes_new, start, new_end),
    )


def _outside_window(
    quotes: list[tuple[int, int]], start: int, end: int, length: int
) -> list[int] | None:
    """Quotation marks placed relative to the shared text before and after the window (after
    counted from the end), or None when one falls inside the window."""
    marks = []
    for mark in (m for span in quotes for m in span):
        if start <= mark < end:
            return None
        marks.append(mark if mark < start else mark - length)
    return marks


class _Run(NamedTuple):
    """Where a stretch of the old tokens was replaced by a stretch of the new."""

    src_start: int
    src_end: int
    dest_start: int
    dest_end: int


def _minor_run(
    before: list[Token], after: list[Token], run: _Run, headline: Callable[[], bool]
) -> bool:
    # Doubled words dropped or added first ("the the goverment" to "the government"); what is
    # left must be the same words, respelled or respaced.
    removed = _without_doubles(before, run.src_start, run.src_end)
    added = _without_doubles(after, run.dest_start, run.dest_end)
    if not removed or not added:
        return not removed and not added  # else: a word added or removed ("not")
    if len(removed) != len(added):
        return _compound_respaced(removed, added)
    return all(_same_word(a, b, headline) for a, b in zip(removed, added, strict=True))


def _without_doubles(side: list[Token], start: int, end: int) -> list[Token]:
    """The tokens of side[start:end], less each that repeats a kept neighbour: "the the"."""

    def repeats_neighbour(i: int) -> bool:
        key = side[i].key
        return (start == i > 0 and side[i - 1].key == key) or (
            end == i + 1 < len(side) and side[i + 1].key == key
        )

    return [
        side[i] for i in range(start, end) if not repeats_neighbour(i) or carries_meaning(side[i])
    ]


def _same_reading(a: Token, b: Token, headline: Callable[[], bool]) -> bool:
    """Two tokens compared equal: whether quotation marks or capitals still read the same."""
    return a.quoted == b.quoted and (a.text == b.text or _case_change_is_style(a, b, headline))


def _case_change_is_style(a: Token, b: Token, headline: Callable[[], bool]) -> bool:
    forms = {case_form(a.text), case_form(b.text)}
    if len(forms) == 1 or "mixed" in forms:
        return True  # the same capitals, or a slip inside a name (Mcdonald, McDonald)
    if "upper" in forms:
        # "us" and "US", "who" and "WHO", "aids" and "AIDS": an acronym made or unmade from a
        # short word. "Nato" and "NATO" are one name in two house styles, and "BREAKING" and
        # "Breaking" one word shouted; a currency code is never a style ("ALL", "all").
        upper = a if case_form(a.text) == "upper" else b
        if is_currency_code(upper.text):
            return False
        letters = sum(c.isalpha() for c in upper.text)
        return letters > 5 or not is_english_word(a.key.split("'")[0])
    # A word and its capitalised form: "the" and "The" at a sentence start, a headline's
    # capitals, a title; anywhere else a proper name made or unmade ("turkey", "Turkey").
    if a.starts_sentence or b.starts_sentence or headline():
        return True
    return a.key.split("'")[0] in STYLE_CAPITALISED  # the president's, the President's


def _in_headline_case(found: list[Token]) -> bool:
    words = [t for t in found if len(t.key) > 3 and t.key.isalpha()]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)


def _compound_respaced(removed: list[Token], added: list[Token]) -> bool:
    """ "health care" and "healthcare", "cyber attack" and "cyberattack": the same letters,
    and the same word. When both spacings are words of English ("re-sign" and "resign", "a
    part" and "apart") they are two words unless listed as one (`SAME_WORD_COMPOUNDS`)."""
    joined = "".join(t.key for t in removed)
    if joined != "".join(t.key for t in added):
        return False
    together = removed + added
    if len({t.quoted for t in together}) > 1 or any(meaningful_key(t.key) for t in together):
        return False
    # Capitals only where a sentence starts ("Health care workers", "Healthcare workers").
    if any(t.text[0].isupper() and not t.starts_sentence for t in together):
        return False
    if joined in SAME_WORD_COMPOUNDS:
        return True
    return not all(is_english_word(t.key) for t in together)  # one spacing is a misspelling


def _same_word(a: Token, b: Token, headline: Callable[[], bool]) -> bool:
    """Two different tokens in one place: whether they are one word spelled two ways."""
    if a.quoted != b.quoted:
        return False
    if a.key.isalpha() and b.key.isalpha() and are_spelling_variants(a.key, b.key):
        return True  # a list of whole words, safe even capitalised (Defence Secretary)
    if carries_meaning(a) or carries_meaning(b):
        return _known_word_typo(a, b) or _sentence_start_typo(a, b, headline) or _name_slip(a, b)
    return _typo_fix(a.key, b.key)


def _typo_fix(a: str, b: str) -> bool:
    """A typo fixed or made: the two are close, and exactly one of them is an English word.

    Two words ("untied", "united"; "quite", "quiet"; "form", "from") are a word replaced by
    another, however close; two non-words give no evidence either way.
    """
    if not (_close(a, b) or _regional_ending(a, b)):
        return False  # far apart: decided without loading the dictionary
    return is_english_word(a) != is_english_word(b)


def _known_word_typo(a: Token, b: Token) -> bool:
    """ "Wendesday" to "Wednesday", "tommorow" to "tomorrow": a weekday, month, number word or
    negation against a close spelling that is no word at all, so no other word was meant."""
    if case_form(a.text) != case_form(b.text) or not (a.key.isalpha() and b.key.isalpha()):
        return False
    known, other = (a.key, b.key) if meaningful_key(a.key) else (b.key, a.key)
    if not meaningful_key(known) or meaningful_key(other) or not _close(known, other):
        return False
    return not is_english_word(other)


def _sentence_start_typo(a: Token, b: Token, headline: Callable[[], bool]) -> bool:
    """ "Goverment officials" to "Government officials": a capital only because a sentence
    starts there (or a headline capitalises every word), on a common word; a name ("Milley",
    "Miley") is never this."""
    if not (a.starts_sentence and b.starts_sentence) and not headline():
        return False
    if case_form(a.text) != "title" or case_form(b.text) != "title":
        return False
    if meaningful_key(a.key) or meaningful_key(b.key) or not _close(a.key, b.key):
        return False
    word, other = (a.key, b.key) if is_english_word(a.key) else (b.key, a.key)
    return is_common_english_word(word) and not is_english_word(other)


def _name_slip(a: Token, b: Token) -> bool:
    """ "Pentgaon" to "Pentagon": a capitalised word whose slip is the commonest kind (two
    letters swapped, one doubled or undoubled) and where one spelling is an English word and
    the other none. Any other change to a name ("Milley", "Miley"; "Smit", "Smith") is changed.
    """
    if case_form(a.text) != case_form(b.text) or meaningful_key(a.key) or meaningful_key(b.key):
        return False
    if not (_transposed(a.key, b.key) or _doubled_letter(a.key, b.key)):
        return False
    return is_english_word(a.key) != is_english_word(b.key)


def _transposed(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    first, second = diff if len(diff) == 2 else (0, 0)
    return second == first + 1 and a[first] == b[second] and a[second] == b[first]


def _doubled_letter(a: str, b: str) -> bool:
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(longer) != len(shorter) + 1:
        return False
    at = next((i for i in range(len(shorter)) if longer[i] != shorter[i]), len(shorter))
    return longer[:at] + longer[at + 1 :] == shorter and (
        (at > 0 and longer[at] == longer[at - 1])
        or (at + 1 < len(longer) and longer[at] == longer[at + 1])
    )


def _close(a: str, b: str) -> bool:
    """Within a typo of each other: one letter (two in a long word) added, dropped, changed,
    or two neighbours swapped; a different first letter is a different word (refunded)."""
    if min(len(a), len(b)) < 2 or abs(len(a) - len(b)) > 2:
        return False
    if a[0] != b[0] and a[:2] != b[1::-1]:
        return False
    return OSA.distance(a, b, score_cutoff=2) <= (1 if max(len(a), len(b)) <= 6 else 2)


def _regional_ending(a: str, b: str) -> bool:
    """British and American endings of one stem: stabilise/stabilize, programme/program."""
    if len(a) < 4 or len(b) < 4 or a[0] != b[0]:
        return False
    for british, american in VARIANT_ENDINGS:
        for x, y in ((british, american), (american, british)):
            if a.endswith(x) and b.endswith(y) and a[: -len(x)] == b[: -len(y)]:
                return True
    return False


@dataclass(frozen=True)
class DiffPart:
    """A run of the word diff: kept, removed or added text."""

    kind: str  # "equal", "delete" or "insert"
    text: str


def word_diff(old: str, new: str) -> list[DiffPart]:
    """The words removed from and added to `old` to make `new`, in reading order."""
    a, b = comparison_key(old).split(" "), comparison_key(new).split(" ")
    if a == [""]:
        a = []
    if b == [""]:
        b = []
    return list(_diff_parts(a, b))


def _diff_parts(a: list[str], b: list[str]) -> Iterator[DiffPart]:
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            yield DiffPart("equal", " ".join(a[op.src_start : op.src_end]))
            continue
        if op.src_end > op.src_start:
            yield DiffPart("delete", " ".join(a[op.src_start : op.src_end]))
        if op.dest_end > op.dest_start:
            yield DiffPart("insert", " ".join(b[op.dest_start : op.dest_end]))
