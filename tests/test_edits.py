"""Minor or changed: tables of (old, new) English edits and what they must count as.

`data/edit_cases.json` holds news sentences with one planted edit each, its kind and its verdict;
every edit is tested both ways (old to new, and new to old), and the verdict is the same.
"""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow import edits, english_tokens, english_words
from workflow.edits import is_minor, word_diff

CASES = json.loads((Path(__file__).parent / "data" / "edit_cases.json").read_text("utf-8"))

MINOR = [
    ("U.S. troops will deploy.", "U.S. troops will deploy"),  # punctuation
    ("the agency said", "the Agency said"),  # a title's capital, as house style has it
    ("the  troops   said", "the troops said"),  # spacing
    ('He said "no war."', "He said “no war.”"),  # quote style
    ("efforts to stabilise the region", "efforts to stabilize the region"),  # variant
    ("the Defense Secretary", "the Defence Secretary"),  # variant, capitalised
    ("in the centre of town", "in the center of town"),
    ("the troops recieved orders", "the troops received orders"),  # typo: swapped letters
    ("the move occured overnight", "the move occurred overnight"),  # typo: doubled letter
    ("the the troops", "the troops"),  # doubled word
    ("said the the goverment", "said the government"),  # both at once
    ("3,000 troops", "3000 troops"),  # the same number written another way
]

CHANGED = [
    ("3,000 troops", "3,500 troops"),  # number
    ("2% growth", "3% growth"),
    ("at 09:05 local time", "at 09:15 local time"),  # time
    ("on Tuesday morning", "on Wednesday morning"),  # weekday
    ("on 5 November", "on 5 December"),  # date
    ("in March", "in May"),  # month
    ("Gen. Mark Milley", "Gen. Mark Miley"),  # name, however small the change
    ("troops to Poland", "troops to Hungary"),  # place
    ("were not permanent", "were permanent"),  # negation removed
    ("were permanent", "weren't permanent"),  # negation added
    ("it did happen", "it never happened"),
    ("He will resign.", "He will resign?"),  # a statement became a question
    ("$43 billion", "€43 billion"),  # currency
    ("43 million", "43 billion"),
    ("in the coming days", "in the coming weeks"),  # a word replaced by another
    ("the troops were moving", "the troops are moving"),
    ("now in Kyiv", "not in Kyiv"),
    ("he said", "she said"),
    ("an increase", "a decrease"),
    ("the talks", "the talks and sanctions"),  # words added
    ("said the the talks", "said talks"),  # a doubled word removed entirely: a word is gone
    ("the aid programme", "the aid programmes"),  # a British spelling is a word too
    ("the president's office", "the presidents office"),  # one president or several
]


def test_the_table_holds_at_least_150_edits_counting_both_ways_and_both_verdicts():
    assert 2 * len(CASES) >= 150
    assert {case["verdict"] for case in CASES} == {"minor", "changed"}


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{i}-{case['verdict']}-{case['kind']}" for i, case in enumerate(CASES)]
)
@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_edit_table_verdicts_hold_both_ways(case, direction):
    old, new = (case["old"], case["new"]) if direction == "forward" else (case["new"], case["old"])
    assert old != new
    assert is_minor(old, new) == (case["verdict"] == "minor"), (case["kind"], old, new)


@pytest.mark.parametrize(("old", "new"), MINOR)
def test_minor_edits(old, new):
    assert is_minor(old, new)


@pytest.mark.parametrize(("old", "new"), CHANGED)
def test_meaning_changes_are_never_minor(old, new):
    assert not is_minor(old, new)


def test_words_far_apart_are_judged_without_loading_the_dictionary():
    # Most edits a realignment meets replace a word by an unrelated one; loading the word list
    # for them would slow every `python -m workflow realign`.
    english_words._frequencies.cache_clear()
    assert not is_minor("in the coming days", "in the coming weeks")
    assert english_words._frequencies.cache_info().currsize == 0


def test_word_diff_shows_removed_then_added_words_in_place():
    parts = word_diff("the 3,000 US troops will go", "the 3,500 US troops will go now")
    assert [(p.kind, p.text) for p in parts] == [
        ("equal", "the"),
        ("delete", "3,000"),
        ("insert", "3,500"),
        ("equal", "US troops will go"),
        ("insert", "now"),
    ]


def test_word_diff_of_identical_texts_is_one_equal_run():
    assert [p.kind for p in word_diff("Same words.", "Same  words.")] == ["equal"]


# Text built from what news paragraphs are made of, so that quotes, dashes, abbreviations,
# currencies and near-miss spellings meet each other far more often than in random Unicode.
_PIECES = st.sampled_from(
    [" ", "the", "The", "us", "US", "U.S.", "U.", "a.m", "per", "cent", "percent", "pc", "%",
     "3", "3,000", "-5", "–", "—", "-", '"', "'", "“", "”", "‘", "’", "«", "»", ".", ",", "?",
     "$", "₹", "USD", "goverment", "government", "defence", "defense", "untied", "united",
     "Wendesday", "Wednesday", "health", "care", "healthcare", "not", "five", "\u00a0", "\n",
     "Mar", "March", "Sat", "Saturday", "re", "sign", "resign", "a", "part", "apart", "e",
     "mail", "email"]
)  # fmt: skip
news_text = st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), news_text), st.one_of(st.text(), news_text))
def test_is_minor_and_word_diff_never_raise_on_any_text(old, new):
    assert isinstance(is_minor(old, new), bool)
    assert all(part.kind in ("equal", "delete", "insert") for part in word_diff(old, new))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), news_text))
def test_a_paragraph_compared_with_itself_is_minor(text):
    assert is_minor(text, text)


def _whole_texts(old, new):
    quotes_old, quotes_new = english_tokens.quoted_spans(old), english_tokens.quoted_spans(new)
    return (
        english_tokens.tokens_between(old, quotes_old, 0, len(old)),
        english_tokens.tokens_between(new, quotes_new, 0, len(new)),
    )


@settings(max_examples=500, deadline=None)
@given(news_text, news_text, news_text, news_text)
def test_reading_only_the_changed_stretch_gives_the_verdict_of_reading_it_all(
    before, old_middle, new_middle, after
):
    old, new = before + old_middle + after, before + new_middle + after
    verdict = is_minor(old, new)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(edits, "_differing_tokens", _whole_texts)
        assert is_minor(old, new) == verdict
