"""The desk's keyboard: which paragraph is next to need attention (`desk.next_needing_attention`),
and the bar of keys acting on the current paragraph (`ui.keyboard`, Streamlit AppTest on the
demo story: its Ukrainian paragraphs 4-12 need attention, 0-3 do not)."""

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from tests.app_helpers import paragraph_boxes, read_db, visible
from tests.long_story import open_desk
from workflow.desk import DeskRow, TranslationView, desk_rows, next_needing_attention
from workflow.models import Story, Translation
from workflow.states import Action, TranslationState
from workflow.vocabulary import Origin

DONE, TODO = TranslationState.APPROVED, TranslationState.EMPTY


def _row(paragraph_id: int, state: TranslationState, **changes: object) -> DeskRow:
    fields: dict = {
        "id": 100 + paragraph_id, "lang": "uk", "text": "", "state": state, "lock_version": 1,
        "stale": False, "made_from": None, "check_from": None, "origin": Origin.HUMAN,
        "updated_by": None, "updated_at": datetime.now(UTC),
    }  # fmt: skip
    view = TranslationView(**fields | changes)
    return DeskRow(paragraph_id, paragraph_id, "English", {"uk": view})


def _ids(found: DeskRow | None) -> int | None:
    return None if found is None else found.paragraph_id


def test_next_skips_what_needs_no_attention_and_goes_round_the_end():
    rows = [_row(0, DONE), _row(1, TODO), _row(2, DONE), _row(3, TODO), _row(4, DONE)]
    assert _ids(next_needing_attention(rows, "uk", 1)) == 3
    assert _ids(next_needing_attention(rows, "uk", 3)) == 1
    assert _ids(next_needing_attention(rows, "uk", 4)) == 1


def test_previous_goes_back_and_round_the_start():
    rows = [_row(0, DONE), _row(1, TODO), _row(2, DONE), _row(3, TODO), _row(4, DONE)]
    assert _ids(next_needing_attention(rows, "uk", 3, backwards=True)) == 1
    assert _ids(next_needing_attention(rows, "uk", 1, backwards=True)) == 3


def test_without_a_current_paragraph_the_first_or_last_needing_attention():
    rows = [_row(0, DONE), _row(1, TODO), _row(2, TODO), _row(3, DONE)]
    assert _ids(next_needing_attention(rows, "uk", None)) == 1
    assert _ids(next_needing_attention(rows, "uk", None, backwards=True)) == 2


def test_nothing_is_next_when_only_the_current_paragraph_needs_attention():
    rows = [_row(0, DONE), _row(1, TODO), _row(2, DONE)]
    assert next_needing_attention(rows, "uk", 1) is None
    assert next_needing_attention([_row(0, DONE)], "uk", None) is None


def test_a_translated_paragraph_waits_for_whoever_reviews():
    rows = [_row(0, TranslationState.TRANSLATED), _row(1, DONE), _row(2, TODO)]
    assert rows[0].translations["uk"].attention_reasons(reviewing=True) == ["to approve"]
    assert _ids(next_needing_attention(rows, "uk", 2, reviewing=True)) == 0
    assert _ids(next_needing_attention(rows, "uk", 2)) is None


def test_stale_checked_and_sent_back_paragraphs_need_attention_with_their_reasons():
    stale = _row(0, DONE, stale=True)
    sent_back = _row(1, TranslationState.NEEDS_EDITING)
    minor = _row(2, TranslationState.TRANSLATED, check_from="old")
    machine = _row(3, TranslationState.MACHINE_DRAFT)
    rows = [stale, sent_back, minor, machine, _row(4, DONE)]
    assert [r.translations["uk"].attention_reasons() for r in rows] == [
        ["English changed"], ["sent back"], ["minor English edit"], ["machine draft"], [],
    ]  # fmt: skip
    assert _ids(next_needing_attention(rows, "uk", 3)) == 0


@given(
    needs=st.lists(st.booleans(), min_size=1, max_size=12),
    current=st.integers(min_value=-1, max_value=12),
    backwards=st.booleans(),
)
def test_next_is_the_nearest_other_paragraph_needing_attention_in_story_order(
    needs, current, backwards
):
    rows = [_row(i, TODO if need else DONE) for i, need in enumerate(needs)]
    at = current if 0 <= current < len(rows) else None
    found = next_needing_attention(rows, "uk", at, backwards=backwards)
    others = [i for i, need in enumerate(needs) if need and i != at]
    if not others:
        assert found is None
        return
    assert found is not None and found.paragraph_id in others
    start = -1 if at is None else at
    step = -1 if backwards else 1
    if at is None and backwards:
        start = len(rows)
    nearest = min(others, key=lambda i: ((i - start) * step) % (len(rows) + 1))
    assert found.paragraph_id == nearest


# The bar at the desk (AppTest).


def _demo() -> tuple[int, dict[int, int]]:
    """The demo story's id, and its Ukrainian translation ids by paragraph position."""

    def read(session):
        story = session.exec(select(Story)).first()
        rows = desk_rows(session, story.id)
        return story.id, {row.position: row.translations["uk"].id for row in rows}

    return read_db(read)


def _current(at) -> str:
    shown = [visible(m.value).replace("**", "") for m in at.markdown]
    lines = [line for line in shown if line.startswith("Current: ")]
    assert lines, "the keyboard bar is not drawn"
    return lines[0]


def _stored(translation_id: int) -> Translation:
    return read_db(lambda s: s.get(Translation, translation_id))


def test_the_current_paragraph_starts_at_the_first_needing_attention(demo_db):
    story_id, _ = _demo()
    at = open_desk("Olena Shevchuk", story_id, "uk")
    assert _current(at) == "Current: Paragraph 4 · English changed, flagged"
    (legend,) = [visible(c.value) for c in at.caption if c.value.startswith("Keys: ")]
    assert "**Ctrl+Enter** save and go to the next paragraph that needs attention" in legend
    assert "**Alt+↓** next that needs attention" in legend
    assert "approve" not in legend  # not hers to use


def test_next_and_previous_move_through_what_needs_attention_and_rerun_the_bar_alone(demo_db):
    story_id, _ = _demo()
    at = open_desk("Olena Shevchuk", story_id, "uk")

    at.button(key="key-next").click().run()
    assert not at.exception
    assert _current(at) == "Current: Paragraph 5 · sent back, comment"
    assert paragraph_boxes(at) == []  # no paragraph was run for a move
    at.button(key="key-next").click().run()
    assert _current(at).startswith("Current: Paragraph 6 · machine draft")
    at.button(key="key-previous").click().run()
    at.button(key="key-previous").click().run()
    at.button(key="key-previous").click().run()
    assert _current(at).startswith("Current: Paragraph 12 · empty")  # round the start


def test_save_and_next_saves_the_current_box_and_moves_to_the_next_needing_work(demo_db):
    story_id, ids = _demo()
    at = open_desk("Olena Shevchuk", story_id, "uk")
    for _ in range(4):
        at.button(key="key-next").click().run()
    assert _current(at) == "Current: Paragraph 8 · empty"
    at.run()  # the whole page, as a browser shows it (AppTest keeps only what the last run drew)
    at.text_area(key=f"text-{ids[8]}").input("Кірбі наголосив на цьому.").run()

    at.button(key="key-save-next").click().run()

    assert not at.exception
    assert _stored(ids[8]).text == "Кірбі наголосив на цьому."
    assert _current(at) == "Current: Paragraph 9 · empty"
    assert any(visible(s.value).startswith("Saved.") for s in at.success)
    assert [box.key for box in paragraph_boxes(at)] == [f"text-{ids[8]}"]


def test_typing_in_a_box_makes_it_current_and_the_key_saves_that_box(demo_db):
    story_id, ids = _demo()
    at = open_desk("Olena Shevchuk", story_id, "uk")
    assert _current(at).startswith("Current: Paragraph 4")

    at.text_area(key=f"text-{ids[10]}").input("Минулого тижня США привели війська.").run()
    at.button(key="key-save-next").click().run()

    assert _stored(ids[10]).text == "Минулого тижня США привели війська."
    assert _current(at) == "Current: Paragraph 11 · empty"


def test_save_and_next_on_an_unchanged_box_moves_on_without_saving(demo_db):
    story_id, ids = _demo()
    at = open_desk("Olena Shevchuk", story_id, "uk")
    before = _stored(ids[4]).lock_version

    at.button(key="key-save-next").click().run()

    assert _stored(ids[4]).lock_version == before
    assert _current(at).startswith("Current: Paragraph 5")


def test_mark_translated_acts_on_the_current_paragraph(demo_db):
    story_id, ids = _demo()
    at = open_desk("Olena Shevchuk", story_id, "uk")
    at.button(key="key-next").click().run()
    at.button(key="key-next").click().run()  # paragraph 6, a machine draft

    at.button(key=f"key-{Action.MARK_TRANSLATED}").click().run()

    assert not at.exception
    assert _stored(ids[6]).state is TranslationState.TRANSLATED
    assert any(visible(s.value).startswith("Marked translated.") for s in at.success)
    assert _current(at).startswith("Current: Paragraph 6 · ")  # it stays: the person moves on


def test_a_translator_has_no_approve_key_and_an_editor_approves_the_current_paragraph(demo_db):
    story_id, ids = _demo()
    olena = open_desk("Olena Shevchuk", story_id, "uk")
    assert not [b for b in olena.button if b.key == f"key-{Action.APPROVE}"]

    irina = open_desk("Irina Sokolova", story_id, "uk")
    # Olena's translated paragraphs wait for the editor: the first is where she starts.
    assert _current(irina) == "Current: Paragraph 2 · to approve"
    irina.button(key=f"key-{Action.APPROVE}").click().run()

    assert not irina.exception
    assert _stored(ids[2]).state is TranslationState.APPROVED
    assert any(visible(s.value).startswith("Approved.") for s in irina.success)
