"""Two editors changed the English at once: the second one's change applied to the first's."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.sources import merge_edit

BASE = ["Headline", "P1 says 3,000.", "P2 quotes the minister.", "P3 ends it."]


@pytest.mark.parametrize(
    ("mine", "theirs", "merged"),
    [
        # I corrected P1 while they added a paragraph at the end: both stand.
        (
            ["Headline", "P1 says 3,500.", "P2 quotes the minister.", "P3 ends it."],
            [*BASE, "P4 was added."],
            [
                "Headline",
                "P1 says 3,500.",
                "P2 quotes the minister.",
                "P3 ends it.",
                "P4 was added.",
            ],
        ),
        # I inserted a paragraph after P1 while they corrected P2 and P3.
        (
            ["Headline", "P1 says 3,000.", "New.", "P2 quotes the minister.", "P3 ends it."],
            ["Headline", "P1 says 3,000.", "P2 quotes the president.", "P3 ends here."],
            ["Headline", "P1 says 3,000.", "New.", "P2 quotes the president.", "P3 ends here."],
        ),
        # I removed P3 while they edited the headline.
        (
            ["Headline", "P1 says 3,000.", "P2 quotes the minister."],
            ["Headline, updated", "P1 says 3,000.", "P2 quotes the minister.", "P3 ends it."],
            ["Headline, updated", "P1 says 3,000.", "P2 quotes the minister."],
        ),
        # I added a paragraph at the very start and at the very end; they moved nothing.
        (["Kicker", *BASE, "Tail."], BASE, ["Kicker", *BASE, "Tail."]),
        # Nothing of mine changed: theirs stands.
        (BASE, ["Headline", "P1 says 2,000."], ["Headline", "P1 says 2,000."]),
    ],
)
def test_my_change_is_applied_to_their_english(mine, theirs, merged):
    assert merge_edit(BASE, mine, theirs) == merged


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [
        # We both corrected P1.
        (
            ["Headline", "P1 says 3,500.", "P2 quotes the minister.", "P3 ends it."],
            ["Headline", "P1 says 2,500.", "P2 quotes the minister.", "P3 ends it."],
        ),
        # I corrected P2, which they removed.
        (
            ["Headline", "P1 says 3,000.", "P2 quotes the president.", "P3 ends it."],
            ["Headline", "P1 says 3,000.", "P3 ends it."],
        ),
        # I replaced P1 and P2 together; they changed P2.
        (
            ["Headline", "P1 and P2 in one.", "P3 ends it."],
            ["Headline", "P1 says 3,000.", "P2 changed.", "P3 ends it."],
        ),
    ],
)
def test_changes_to_the_same_paragraph_do_not_merge(mine, theirs):
    assert merge_edit(BASE, mine, theirs) is None


paragraphs = st.lists(st.sampled_from(["A", "B", "C", "D", "E", ""]), max_size=8)


@given(paragraphs, paragraphs, paragraphs)
def test_merge_never_raises_and_keeps_theirs_when_i_changed_nothing(base, mine, theirs):
    merged = merge_edit(base, mine, theirs)
    assert merged is None or isinstance(merged, list)
    assert merge_edit(base, base, theirs) == theirs
    assert merge_edit(base, mine, base) == mine
