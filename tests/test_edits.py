"""Minor or changed: a table of (old, new) English edits and what they must count as."""

import pytest

from workflow.edits import is_minor, word_diff

MINOR = [
    ("U.S. troops will deploy.", "U.S. troops will deploy"),  # punctuation
    ("the agency said", "the Agency said"),  # capitalisation
    ("the  troops   said", "the troops said"),  # spacing
    ('He said "no war."', "He said “no war.”"),  # quote style
    ("efforts to stabilise the region", "efforts to stabilize the region"),  # variant
    ("the Defense Secretary", "the Defence Secretary"),  # variant, capitalised
    ("in the centre of town", "in the center of town"),
    ("the troops recieved orders", "the troops received orders"),  # typo: swapped letters
    ("the move occured overnight", "the move occurred overnight"),  # typo: doubled letter
    ("the the troops", "the troops"),  # doubled word
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
]


@pytest.mark.parametrize(("old", "new"), MINOR)
def test_minor_edits(old, new):
    assert is_minor(old, new)


@pytest.mark.parametrize(("old", "new"), CHANGED)
def test_meaning_changes_are_never_minor(old, new):
    assert not is_minor(old, new)


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
