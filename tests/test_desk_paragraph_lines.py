"""A paragraph's lines at the desk (`workflow.ui.paragraph`): its state and flags as one line of
badges, and what changed in its English as one element, shown as text whatever the English."""

from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from tests.app_helpers import BADGE
from tests.test_inert_text import ACTIVE, HOSTILE, _as_read, _shown, _tokens
from workflow.desk import TranslationView
from workflow.segmentation import comparison_key
from workflow.states import TranslationState
from workflow.ui.paragraph import badge_line, english_change
from workflow.vocabulary import Origin


def view(**changes: object) -> TranslationView:
    fields: dict = {
        "id": 1, "lang": "uk", "text": "Текст", "state": TranslationState.TRANSLATED,
        "lock_version": 2, "stale": False, "made_from": None, "check_from": None,
        "origin": Origin.HUMAN, "updated_by": None, "updated_at": datetime.now(UTC),
    }  # fmt: skip
    return TranslationView(**(fields | changes))


def test_a_stale_machine_draft_shows_its_state_staleness_and_draft_in_one_line():
    t = view(
        state=TranslationState.MACHINE_DRAFT, stale=True, made_from="old",
        draft_origin=Origin.MACHINE, draft_change=0,
    )  # fmt: skip
    assert BADGE.findall(badge_line(t)) == [
        ":violet-badge[Machine draft]",
        ":red-badge[:material/warning: English changed since translation]",
        ":violet-badge[Machine text, unedited]",
    ]


def test_a_paragraph_whose_english_did_not_change_shows_no_change():
    assert english_change(view(), "The English.") is None


def test_a_minor_edit_is_said_as_one():
    change = english_change(view(check_from="The Englsh."), "The English.")
    assert change is not None and "Minor English edit" in _shown(change)


@given(st.text(), st.text())
@example(HOSTILE[0], " ".join(HOSTILE))
def test_what_changed_in_the_english_is_shown_as_text_whatever_it_says(old, new):
    change = english_change(view(stale=True, made_from=old), new)
    assert change is not None
    kinds = {token.type for token in _tokens(change)}
    assert not kinds & ACTIVE, kinds
    shown = _shown(change)
    assert "What changed in the English since this was translated" in shown
    # Every word of the new English is there, as the diff compares words (quotes made plain).
    for word in _as_read(comparison_key(new)).split():
        assert word in shown
