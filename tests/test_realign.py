"""The realigner on the seed story: every kind of edit a newsroom makes, and its properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_BYTES
from workflow.formats import read_story_file
from workflow.realign import Status, realign

SEED = read_story_file(SEED_BYTES).all_paragraphs  # 13: the headline and 12 paragraphs


def edited(*changes):
    """The seed story with `changes` applied in order: (op, index, ...)."""
    new = list(SEED)
    for op, at, *args in changes:
        if op == "replace":
            old, replacement = args
            assert old in new[at], (old, new[at])
            new[at] = new[at].replace(old, replacement)
        elif op == "insert":
            new.insert(at, args[0])
        elif op == "delete":
            del new[at]
        elif op == "move":
            new.insert(args[0], new.pop(at))
        elif op == "split":
            head, tail = new[at].split(args[0], 1)
            new[at : at + 1] = [head + args[0].rstrip(), tail.lstrip()]
        elif op == "merge":
            new[at : at + 2] = [new[at] + " " + new[at + 1]]
    return new


def statuses(alignment):
    return {m.index: (list(m.sources), m.status.value, m.moved) for m in alignment.paragraphs}


def test_identical_story_is_all_unchanged():
    alignment = realign(SEED, SEED)
    assert all(m.status is Status.UNCHANGED and not m.moved for m in alignment.paragraphs)
    assert [m.sources for m in alignment.paragraphs] == [(i,) for i in range(13)]
    assert alignment.removed == []


CASES = [
    # (what happened, changes, {new index: (from, status, moved)} for the paragraphs that differ)
    ("figure corrected", [("replace", 1, "3,000", "3,500")], {1: ([1], "changed", False)}),
    ("weekday corrected", [("replace", 7, "Tuesday", "Monday")], {7: ([7], "changed", False)}),
    (
        "negation dropped",
        [("replace", 5, "were not permanent", "were permanent")],
        {5: ([5], "changed", False)},
    ),
    ("name misspelt", [("replace", 7, "Milley", "Miley")], {7: ([7], "changed", False)}),
    (
        "place changed",
        [("replace", 4, "to Poland and Germany", "to Poland and Hungary")],
        {4: ([4], "changed", False)},
    ),
    ("spelling variant", [("replace", 5, "emphasized", "emphasised")], {5: ([5], "minor", False)}),
    ("punctuation", [("replace", 2, "CNN.", "CNN")], {2: ([2], "minor", False)}),
    (
        "quote style",
        [("replace", 5, '"These', "“These"), ("replace", 5, 'Ukraine."', "Ukraine.”")],
        {},
    ),
    (
        "paragraph added",
        [("insert", 3, "The Kremlin denied it had any plans to invade.")],
        {3: ([], "new", False), **{j: ([j - 1], "unchanged", False) for j in range(4, 14)}},
    ),
    (
        "paragraph deleted",
        [("delete", 2)],
        {j: ([j + 1], "unchanged", False) for j in range(2, 12)},
    ),
    (
        "quote moved up",
        [("move", 9, 3)],
        {3: ([9], "unchanged", True), **{j: ([j - 1], "unchanged", False) for j in range(4, 10)}},
    ),
    (
        "moved and corrected",
        [("move", 10, 2), ("replace", 2, "8,500", "8,000")],
        {2: ([10], "changed", True), **{j: ([j - 1], "unchanged", False) for j in range(3, 11)}},
    ),
    (
        "split without new words",
        [("split", 4, "Germany. ")],
        {
            4: ([4], "minor", False),
            5: ([4], "minor", False),
            **{j: ([j - 1], "unchanged", False) for j in range(6, 14)},
        },
    ),
    (
        "split with a correction",
        [("split", 4, "Germany. "), ("replace", 5, "1,000", "1,200")],
        {
            4: ([4], "changed", False),
            5: ([4], "changed", False),
            **{j: ([j - 1], "unchanged", False) for j in range(6, 14)},
        },
    ),
    ("merged", [("merge", 10)], {10: ([10, 11], "minor", False), 11: ([12], "unchanged", False)}),
]


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_edit_cases_on_the_seed_story(changes, expected):
    new = edited(*changes)
    alignment = realign(SEED, new)
    got = statuses(alignment)
    for j in range(len(new)):
        assert got[j] == expected.get(j, ([j], "unchanged", False)), f"paragraph {j}"
    mapped = {i for m in alignment.paragraphs for i in m.sources}
    assert sorted(alignment.removed) == sorted(set(range(13)) - mapped)


def test_deleted_paragraph_is_removed():
    assert realign(SEED, edited(("delete", 2))).removed == [2]


def test_rewritten_paragraph_is_new_and_the_old_one_removed():
    new = edited(("replace", 2, "This is reported by CNN.", "Romania's president welcomed it."))
    alignment = realign(SEED, new)
    assert statuses(alignment)[2] == ([], "new", False)
    assert alignment.removed == [2]


def test_as_json_keeps_the_command_line_contract():
    data = realign(SEED, edited(("merge", 10))).as_json()
    assert set(data) == {"paragraphs", "removed"}
    assert data["paragraphs"][10] == {
        "index": 10,
        "from": [10, 11],
        "status": "minor",
        "similarity": 100,
        "moved": False,
    }


# Properties, on stories made of distinct generated sentences.
sentence = st.lists(
    st.sampled_from(
        [
            "troops",
            "talks",
            "border",
            "city",
            "aid",
            "vote",
            "report",
            "power",
            "strike",
            "minister",
        ]
    ),
    min_size=3,
    max_size=12,
).map(lambda words: " ".join(words).capitalize() + ".")


@st.composite
def story_and_edit(draw):
    old = draw(st.lists(sentence, min_size=0, max_size=25, unique=True))
    new = list(old)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["insert", "delete", "move", "edit"]))
        if op == "insert" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(sentence))
        elif op == "delete":
            del new[draw(st.integers(0, len(new) - 1))]
        elif op == "move":
            new.insert(
                draw(st.integers(0, len(new) - 1)), new.pop(draw(st.integers(0, len(new) - 1)))
            )
        else:
            at = draw(st.integers(0, len(new) - 1))
            new[at] = new[at][:-1] + " " + draw(sentence).lower()
    return old, new


@settings(max_examples=200, deadline=None)
@given(story_and_edit())
def test_every_old_paragraph_is_mapped_or_removed_exactly_once(pair):
    old, new = pair
    alignment = realign(old, new)
    assert [m.index for m in alignment.paragraphs] == list(range(len(new)))
    used = [i for m in alignment.paragraphs for i in set(m.sources)] + alignment.removed
    # A split maps one old paragraph to several new ones: count each old paragraph once.
    assert sorted(set(used)) == list(range(len(old)))
    assert not set(alignment.removed) & {i for m in alignment.paragraphs for i in m.sources}


@settings(max_examples=100, deadline=None)
@given(st.lists(sentence, max_size=30))
def test_identical_texts_give_all_unchanged(paragraphs):
    alignment = realign(paragraphs, paragraphs)
    assert all(m.status is Status.UNCHANGED and not m.moved for m in alignment.paragraphs)
    assert alignment.removed == []


@settings(max_examples=200, deadline=None)
@given(story_and_edit())
def test_paragraphs_not_moved_keep_their_order(pair):
    old, new = pair
    in_place = [min(m.sources) for m in realign(old, new).paragraphs if m.sources and not m.moved]
    assert in_place == sorted(in_place)
