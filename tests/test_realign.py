"""The realigner on the seed story: every kind of edit a newsroom makes, and its properties;
paragraph identity (heirs) with copies, look-alike live-blog entries and far-away matches."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from tests.conftest import SEED_BYTES
from workflow.formats import read_story_file
from workflow.realign import FAR_AWAY, NEARLY_IDENTICAL, Status, realign

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
    data = realign(SEED, edited(("merge", 10), ("delete", 2))).as_json()
    assert set(data) == {"paragraphs", "removed", "heirs"}
    assert data["paragraphs"][9] == {
        "index": 9,
        "from": [10, 11],
        "status": "minor",
        "similarity": 100,
        "moved": False,
    }
    assert data["removed"] == [2]
    # heirs[i]: the new paragraph that carries old paragraph i on; null for a removed one.
    assert data["heirs"] == [0, 1, None, *range(2, 10), 9, 10]


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


# Paragraph identity: which new paragraph carries each old one on (its heir).
HEADLINE = "Talks resume as aid reaches the city"
P1 = "The minister said the talks would resume on Monday in the capital."
P1_EDITED = "The minister said the talks would resume on Tuesday in the capital."
P2 = "Officials declined to comment on the report."
AD = "Advertisement"


def test_an_edited_copy_above_an_unchanged_paragraph_leaves_it_its_identity():
    alignment = realign([HEADLINE, P1, P2], [HEADLINE, P1_EDITED, P1, P2])
    assert alignment.heirs == {0: 0, 1: 2, 2: 3}  # P1 stays P1, wherever its copy went
    assert statuses(alignment)[2] == ([1], "unchanged", False)
    assert statuses(alignment)[1] == ([1], "changed", False)  # a copy: starts from P1's work


def test_a_duplicated_paragraph_goes_on_in_the_copy_where_it_stood():
    alignment = realign([HEADLINE, P1, P2], [HEADLINE, P1, P1, P2])
    assert alignment.heirs == {0: 0, 1: 1, 2: 3}  # the first copy keeps P1's row
    # The second copy's English is P1's, word for word: unchanged, and its translation starts
    # as P1's, state and approval included (see `sources`).
    assert statuses(alignment)[1] == ([1], "unchanged", False)
    assert statuses(alignment)[2] == ([1], "unchanged", False)


def test_deleting_the_first_of_two_boilerplate_copies_removes_that_copy():
    alignment = realign([HEADLINE, AD, P1, AD, P2], [HEADLINE, P1, AD, P2])
    assert alignment.removed == [1]
    assert alignment.heirs == {0: 0, 2: 1, 3: 2, 4: 3}
    assert all(m.status is Status.UNCHANGED and not m.moved for m in alignment.paragraphs)


def test_a_split_paragraph_goes_on_in_its_larger_part():
    whole = (
        "Troops crossed the river at dawn. The ministry said the crossing, the largest since the "
        "spring, had been planned for weeks and involved several brigades."
    )
    head, tail = whole.split(" The ministry", 1)
    alignment = realign([HEADLINE, whole, P2], [HEADLINE, head, "The ministry" + tail, P2])
    assert [m.sources for m in alignment.paragraphs[1:3]] == [(1,), (1,)]
    assert alignment.heirs[1] == 2


def test_merged_paragraphs_all_go_on_in_the_merged_one():
    alignment = realign(SEED, edited(("merge", 10)))
    assert alignment.heirs[10] == alignment.heirs[11] == 10


REGIONS = ["Kharkiv", "Kyiv", "Odesa", "Dnipro", "Sumy", "Lviv", "Poltava", "Kherson"]


def alert(n):
    """A live-blog entry that looks like most others: only the time and the region differ."""
    return (
        f"{n // 60 % 24:02d}:{n % 60:02d} Air raid alert in {REGIONS[n % len(REGIONS)]} region, "
        "residents are urged to go to shelters."
    )


ALERTS = [alert(n * 7) for n in range(2000)]


def test_deleting_an_entry_leaves_its_look_alike_neighbour_unchanged():
    new = ALERTS[:100] + ALERTS[101:]
    alignment = realign(ALERTS, new)
    assert alignment.removed == [100]
    assert all(m.status is Status.UNCHANGED for m in alignment.paragraphs)  # no merge, no flag


def test_a_new_entry_is_not_taken_for_a_look_alike_deleted_far_away():
    fresh = alert(7 * 2000 + 1)
    new = [fresh, *ALERTS[:1500], *ALERTS[1501:]]
    alignment = realign(ALERTS, new)
    assert 1500 in alignment.removed
    assert 1500 not in alignment.paragraphs[0].sources


def test_an_entry_corrected_and_moved_far_is_still_found():
    corrected = ALERTS[1500].replace("residents are", "all residents are")
    new = [corrected, *ALERTS[:1500], *ALERTS[1501:]]
    alignment = realign(ALERTS, new)
    assert statuses(alignment)[0] == ([1500], "changed", True)
    assert alignment.heirs[1500] == 0


def test_many_boilerplate_copies_still_map_copy_to_copy():
    """Past MAX_COPY_PAIRS, copies are paired near copy to copy: the same answer, bounded cost."""
    entries = [alert(n * 7) for n in range(120)]
    old = [p for entry in entries for p in (entry, AD)]  # an advertisement after every entry
    deleted = {1, 61, 121, 201}  # four advertisements, the first among them
    new = [p for i, p in enumerate(old) if i not in deleted]
    alignment = realign(old, new)
    assert alignment.removed == sorted(deleted)
    assert all(m.status is Status.UNCHANGED and not m.moved for m in alignment.paragraphs)
    assert [m.sources[0] for m in alignment.paragraphs] == sorted(set(range(240)) - deleted)


# Properties with repeated paragraphs: stories drawn from a small pool, so copies happen.
POOL = [
    AD,
    "Talks between the two sides resumed in the capital.",
    "The ministry declined to comment on the report.",
    "Residents were urged to stay in shelters overnight.",
    "Officials said the bridge would remain closed.",
    "Aid convoys reached the city this morning.",
]
pooled = st.sampled_from(POOL)
edited_paragraph = st.tuples(pooled, st.sampled_from(["Officials confirmed it.", "Power is back."]))


@st.composite
def pooled_story_and_edit(draw, *, ops=("insert", "delete", "move", "edit", "split", "merge")):
    """An old story from the pool and a new one made by a few edits; also how many edits."""
    old = draw(st.lists(pooled, max_size=20))
    new = list(old)
    count = draw(st.integers(0, 6))
    for _ in range(count):
        op = draw(st.sampled_from(ops))
        if op == "insert" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(pooled))
            continue
        at = draw(st.integers(0, len(new) - 1))
        if op == "delete":
            del new[at]
        elif op == "move":
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(at))
        elif op == "edit":
            new[at] = " ".join(draw(edited_paragraph))
        elif op == "split" and " " in new[at]:
            words = new[at].split(" ")
            cut = draw(st.integers(1, len(words) - 1))
            new[at : at + 1] = [" ".join(words[:cut]), " ".join(words[cut:])]
        elif op == "merge" and at + 1 < len(new):
            new[at : at + 2] = [new[at] + " " + new[at + 1]]
    return old, new


@settings(max_examples=300, deadline=None)
@given(pooled_story_and_edit())
def test_with_copies_every_paragraph_is_accounted_for_once_in_order(pair):
    old, new = pair
    alignment = realign(old, new)
    assert [m.index for m in alignment.paragraphs] == list(range(len(new)))
    # Every old paragraph goes on in exactly one new paragraph (its heir), or is removed.
    assert sorted([*alignment.heirs, *alignment.removed]) == list(range(len(old)))
    for i, j in alignment.heirs.items():
        assert i in alignment.paragraphs[j].sources
    mapped = {i for m in alignment.paragraphs for i in m.sources}
    assert mapped == set(alignment.heirs)
    # Unchanged paragraphs not moved keep their old order. (Edited ones are placed by the
    # unchanged ones around them; two edited between the same neighbours may swap unflagged.)
    in_place = [
        m.sources[0]
        for m in alignment.paragraphs
        if m.status is Status.UNCHANGED and not m.moved and len(m.sources) == 1
    ]
    assert in_place == sorted(in_place)


@settings(max_examples=300, deadline=None)
@given(pooled_story_and_edit())
def test_an_exact_copy_is_its_old_paragraphs_heir_and_unchanged(pair):
    old, new = pair
    alignment = realign(old, new)
    for i, j in alignment.heirs.items():
        if old[i] == new[j]:
            assert alignment.paragraphs[j].sources == (i,)
            assert alignment.paragraphs[j].status is Status.UNCHANGED
    # As many copies of each text go on unchanged as both versions have.
    unchanged = [new[j] for i, j in alignment.heirs.items() if old[i] == new[j]]
    for text in set(new):
        assert unchanged.count(text) == min(old.count(text), new.count(text))


@st.composite
def pooled_story_with_insertions_and_deletions(draw):
    """An old story from the pool, and a new one: some paragraphs deleted, others inserted.
    Also how many old paragraphs survive, in their order."""
    old = draw(st.lists(pooled, max_size=20))
    kept = [p for p in old if draw(st.booleans())]
    new = list(kept)
    for _ in range(draw(st.integers(0, 5))):
        new.insert(draw(st.integers(0, len(new))), draw(pooled))
    return old, new, len(kept)


@settings(max_examples=300, deadline=None)
@given(pooled_story_with_insertions_and_deletions())
def test_repeated_boilerplate_maps_copy_to_copy_in_order(story):
    old, new, survivors = story
    alignment = realign(old, new)
    for text in set(new):
        copies = [m for m in alignment.paragraphs if new[m.index] == text and m.sources]
        assert all(old[i] == text for m in copies for i in m.sources)
        in_order = [m.sources[0] for m in copies if not m.moved]
        assert in_order == sorted(in_order)
    # Whatever can keep its order does: at least every survivor is unchanged and in place.
    in_place = [m for m in alignment.paragraphs if m.status is Status.UNCHANGED and not m.moved]
    assert len(in_place) >= survivors


@settings(max_examples=200, deadline=None)
@given(st.lists(pooled, min_size=1, max_size=12, unique=True), st.data())
def test_a_paragraph_copied_further_down_keeps_its_row_where_it_stood(old, data):
    at = data.draw(st.integers(0, len(old) - 1))
    to = data.draw(st.integers(at + 1, len(old)))
    new = [*old[:to], old[at], *old[to:]]
    alignment = realign(old, new)
    assert alignment.heirs == {i: i for i in range(len(old))} | {
        i: i + 1 for i in range(to, len(old))
    }
    copy = alignment.paragraphs[to]
    if to == at + 1:  # right below: a copy of its neighbour, word for word
        assert (copy.sources, copy.status) == ((at,), Status.UNCHANGED)
    else:  # further down: the same, or a new paragraph (boilerplate added again)
        assert (copy.sources, copy.status) in (((at,), Status.UNCHANGED), ((), Status.NEW))


@settings(max_examples=300, deadline=None)
@given(pooled_story_and_edit())
def test_a_paragraph_the_old_version_has_is_never_a_merge(pair):
    old, new = pair
    for m in realign(old, new).paragraphs:
        if new[m.index] in old:
            assert len(m.sources) <= 1, (new[m.index], [old[i] for i in m.sources])


def _words(text):
    return re.findall(r"\w+", text.lower())


@st.composite
def live_blog_and_edit(draw):
    """A long blog of look-alike alerts and a few edits: new alerts, deletions, moves, fixes."""
    size = draw(st.integers(120, 300))
    first = draw(st.integers(0, 5000))
    old = [alert(first + 7 * n) for n in range(size)]
    new = list(old)
    count = draw(st.integers(1, 8))
    for _ in range(count):
        op = draw(st.sampled_from(["insert", "delete", "move", "edit"]))
        at = draw(st.integers(0, len(new) - 1))
        if op == "insert":
            new.insert(at, alert(draw(st.integers(0, 10_000)) * 7 + 3))  # not in the old blog
        elif op == "delete":
            del new[at]
        elif op == "move":
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(at))
        else:
            new[at] = new[at].replace("residents are", "all residents are")
    return old, new, count


@settings(max_examples=100, deadline=None)
@given(live_blog_and_edit())
def test_a_far_away_match_is_nearly_identical(blog):
    old, new, count = blog
    for m in realign(old, new).paragraphs:
        for i in m.sources:
            if abs(i - m.index) > FAR_AWAY + count:  # beyond what the edits could shift
                similarity = fuzz.ratio(_words(old[i]), _words(new[m.index])) / 100
                assert similarity >= NEARLY_IDENTICAL, (old[i], new[m.index])


def test_a_repeated_entry_posted_again_far_from_a_deleted_copy_is_new():
    """A live blog repeats an entry ("Alert declared"): deleting one of two twin copies far
    below and posting the entry again at the top is a new entry and a removed copy, not the
    copy moved up (copies of a repeated text carry no identity of their own)."""
    repeated = "Air raid alert declared in the region. Go to the nearest shelter."
    old = [f"Entry {n}: {alert(n * 11)}" for n in range(200)]
    old[30], old[150], old[151] = repeated, repeated, repeated
    new = [old[0], repeated, *old[1:151], *old[152:]]
    alignment = realign(old, new)
    assert statuses(alignment)[1] == ([], "new", False)
    assert alignment.removed == [151]
    assert all(m.status is Status.UNCHANGED for m in alignment.paragraphs if m.index != 1)
