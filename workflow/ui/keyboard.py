"""The desk's keyboard: the current paragraph of a version, and the keys that act on it.

The current paragraph (`paragraph_actions.CURSOR`) is the one the person last typed in or
clicked a button of, or the one a key moved them to; on a version it has not been set for, the
first paragraph that needs attention. The desk draws its box outlined, and a key that moves it
scrolls to it and puts the caret in it.

Streamlit binds a keyboard shortcut to one button of the page, so the keys belong to one small
bar of buttons acting on the current paragraph, not to each paragraph's own buttons:

- Ctrl+Enter (Cmd+Enter on a Mac): save it and go to the next paragraph that needs attention
  (Streamlit's "Ctrl+Enter to apply" hint in the text boxes is hidden: this key saves);
- Alt+Down / Alt+Up: the next / previous paragraph that needs attention
  (`desk.next_needing_attention`);
- Alt+M: mark it translated; Alt+A: approve it (offered to those who may approve).

The bar stays in view while the paragraphs scroll. It is a fragment of its own: a key reruns
it, the paragraph it acted on and the version's head when a count moved
(`paragraph_actions.act`); a move reruns the bar alone, since the outline is the bar's own
style, not the paragraphs'. A shortcut holding Ctrl or Alt works from inside any box, which is
what lets Ctrl+Enter save the box being typed in (the box hands its text over first).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow.desk import DeskRow, VersionDesk, desk_rows, next_needing_attention
from workflow.models import Person, Translation
from workflow.progress import version_progress
from workflow.states import Action, VersionState, permitted
from workflow.ui.common import db, md
from workflow.ui.paragraph_actions import (
    CURSOR,
    KEYBOARD,
    ParagraphKeys,
    Place,
    act,
    carry_out,
    drawn_before,
)

ss = st.session_state

MOVES = "desk-cursor-moves"  # how many times a key moved the cursor: a new move scrolls to it
SHOWN = "desk-cursor-shown"  # the move the page last scrolled to
SAVE_AND_NEXT = "Ctrl+Enter"
NEXT, PREVIOUS = "Alt+Down", "Alt+Up"
MARK, APPROVE = "Alt+M", "Alt+A"
_SHOWN_KEYS = {NEXT: "Alt+↓", PREVIOUS: "Alt+↑"}  # as the buttons show them
# Streamlit's hint in each paragraph's box says Ctrl+Enter "applies"; there it saves (the
# legend says so). Other boxes keep their hint.
_NO_APPLY_HINT = "[class*=' st-key-text-'] [data-testid='InputInstructions'] {display: none;}"
# The bar stays in view under the app's header while the paragraphs scroll past: the block of
# the page that holds the bar's fragment sticks (a layout Streamlit may change: then it scrolls).
_STICKY = (
    ".stMainBlockContainer > .stVerticalBlock > div:has(.st-key-keyboard-bar) "
    "{position: sticky; top: 3.75rem; z-index: 99;} "
    ".st-key-keyboard-bar {background-color: %s;}"
)


def keyboard_bar(desk: VersionDesk, person: Person, *, attention_only: bool) -> None:
    """The bar of keys over the version's paragraphs, as a fragment of its own. `desk` is what
    the page run read; `attention_only`: the desk shows only what needs attention."""
    head = desk.head
    st.fragment(_bar, key=KEYBOARD)(
        head.story_id, head.lang, desk.rows, head.state, person, attention_only
    )


def _bar(
    story_id: int,
    lang: str,
    rows: list[DeskRow],
    state: VersionState,
    person: Person,
    attention_only: bool,
) -> None:
    if drawn_before(KEYBOARD):
        # Rerun alone, after a key or a paragraph's button: the page run's rows are out of
        # date, and the current paragraph is all the bar shows (the keys read the story).
        with db() as session:
            rows = _current_rows(session, story_id, lang) or rows
            state = version_progress(session, story_id, lang).state
    if not rows:
        return
    # Someone who approves reviews too: a translated paragraph waits for them, unless the desk
    # shows only what needs attention (it is not on the page then).
    reviewing = permitted(person, Action.APPROVE, lang, state) and not attention_only
    row = current_row(rows, lang, attention_only=attention_only, reviewing=reviewing)
    t = row.translations[lang]
    ss[CURSOR] = t.id
    offered = _keys(story_id, lang, person, state, reviewing)
    if all(key.act is _move for key in offered):
        return  # keys to move about, none to act: this person cannot change the version now
    with st.container(border=True, key="keyboard-bar"):
        where = "Headline" if row.is_headline else md("Paragraph {}", row.position)
        reasons = ", ".join(t.attention_reasons(reviewing=reviewing)) or "nothing to do"
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(md("**Current: {}** · {}", where, reasons))
            for key in offered:
                st.button(
                    key.label, key=key.id, shortcut=key.shortcut, on_click=key.act,
                    args=key.args,
                )  # fmt: skip
        # The legend says what the buttons' own labels cannot: what each key is for.
        st.caption(md("Keys: " + " · ".join(["**{}** {}"] * len(offered)), *_legend(offered)))
    _mark(t.id)


@dataclass(frozen=True)
class Key:
    """One key of the bar: its button (label, widget key, callback and its arguments), its
    shortcut, and what it does in the legend's words."""

    label: str
    id: str
    shortcut: str
    said: str
    act: Callable[..., None]
    args: tuple[object, ...]


def _keys(
    story_id: int, lang: str, person: Person, state: VersionState, reviewing: bool
) -> list[Key]:
    """The keys this person may use on the version's paragraphs now. Each acts on the
    paragraph current when it is pressed: typing in a box makes it current without drawing
    the bar again."""
    on = partial(_on_current, story_id, lang, person.id or 0)
    offered = []
    if permitted(person, Action.SAVE, lang, state):
        offered.append(
            Key("Save and next", "key-save-next", SAVE_AND_NEXT,
                "save and go to the next paragraph that needs attention",
                on, (partial(_save_and_next, reviewing=reviewing),))
        )  # fmt: skip
    offered += [
        Key("Previous", "key-previous", PREVIOUS, "previous that needs attention",
            _move, (story_id, lang, True, reviewing)),
        Key("Next", "key-next", NEXT, "next that needs attention",
            _move, (story_id, lang, False, reviewing)),
    ]  # fmt: skip
    for action, shortcut in ((Action.MARK_TRANSLATED, MARK), (Action.APPROVE, APPROVE)):
        if permitted(person, action, lang, state):
            step = partial(_carry_out, action=action)
            offered.append(
                Key(action.capitalize(), f"key-{action}", shortcut, action.lower(), on, (step,))
            )  # fmt: skip
    return offered


def _legend(offered: list[Key]) -> list[str]:
    """(shortcut, words) of each key, flat, for the legend's template."""
    return [
        part for key in offered for part in (_SHOWN_KEYS.get(key.shortcut, key.shortcut), key.said)
    ]


def _current_rows(session: Session, story_id: int, lang: str) -> list[DeskRow]:
    """The current paragraph's row alone, when the cursor is on this version (else none)."""
    found = session.get(Translation, ss.get(CURSOR) or 0)
    if found is None or (found.story_id, found.lang) != (story_id, lang):
        return []
    return desk_rows(session, story_id, paragraph_id=found.paragraph_id)


def current_row(
    rows: list[DeskRow], lang: str, *, attention_only: bool, reviewing: bool
) -> DeskRow:
    """The current paragraph among `rows`: the cursor's, else the first that needs attention,
    else the first. When the desk shows only what needs attention, one that does not is not
    current (it is not on the page): the next one that does is."""
    cursor = ss.get(CURSOR)
    found = next((row for row in rows if row.translations[lang].id == cursor), None)
    if found is not None and (not attention_only or found.translations[lang].needs_attention):
        return found
    after = None if found is None else found.paragraph_id
    return next_needing_attention(rows, lang, after, reviewing=reviewing) or found or rows[0]


def _move(story_id: int, lang: str, backwards: bool, reviewing: bool) -> None:
    """Next / Previous: the cursor to the next (previous) paragraph that needs attention."""
    with db() as session:
        rows = desk_rows(session, story_id)
    cursor = ss.get(CURSOR)
    at = next((r.paragraph_id for r in rows if r.translations[lang].id == cursor), None)
    found = next_needing_attention(rows, lang, at, backwards=backwards, reviewing=reviewing)
    if found is not None:
        _move_to(found.translations[lang].id)
    st.rerun(KEYBOARD)


def _move_to(translation_id: int) -> None:
    ss[CURSOR] = translation_id
    ss[MOVES] = ss.get(MOVES, 0) + 1


def _on_current(story_id: int, lang: str, person_id: int, step: Callable[..., None]) -> None:
    """A key's callback: `step` (called with the place and keys of the current paragraph, the
    session and the person) on the paragraph current now, through the paragraph's own
    action (`paragraph_actions.act`), which reruns it, the head if a count moved, and the bar."""
    with db() as session:
        found = session.get(Translation, ss.get(CURSOR) or 0)
    if found is None or found.id is None or (found.story_id, found.lang) != (story_id, lang):
        return  # no current paragraph of this version: the bar draws one again
    place = Place(story_id, found.paragraph_id, lang, person_id)
    keys = ParagraphKeys(found.id)
    act(keys, place, partial(step, place, keys))


def _carry_out(
    place: Place, keys: ParagraphKeys, session: Session, person: Person, *, action: Action
) -> None:
    carry_out(session, person, action, keys)


def _save_and_next(
    place: Place, keys: ParagraphKeys, session: Session, person: Person, *, reviewing: bool
) -> None:
    """Save the current paragraph's box (when it holds text not saved), then make the next
    paragraph that needs attention current; a save refused or in conflict stays where it is,
    with the paragraph saying why."""
    if keys.unsaved:
        carry_out(session, person, Action.SAVE, keys)
        if keys.refused in ss or keys.conflict in ss:
            return
    rows = desk_rows(session, place.story_id)
    found = next_needing_attention(rows, place.lang, place.paragraph_id, reviewing=reviewing)
    if found is not None:
        _move_to(found.translations[place.lang].id)


def _mark(translation_id: int) -> None:
    """Outline the current paragraph's box; after a key moved the cursor, scroll to the box
    and put the caret in it (once per move: a rerun that moved nothing leaves the page be)."""
    outline = (
        f".st-key-text-{translation_id} [data-testid='stTextAreaRootElement'] "
        "{outline: 3px solid #f0a020; outline-offset: 2px;}"
    )
    background = "#0e1117" if st.context.theme.type == "dark" else "#ffffff"
    st.html(f"<style>{outline} {_NO_APPLY_HINT} {_STICKY % background}</style>")
    if (moves := ss.get(MOVES, 0)) and ss.get(SHOWN) != moves:
        ss[SHOWN] = moves
        st.html(_SCROLL % (moves, translation_id), unsafe_allow_javascript=True)


# Scrolls to the current box once it is on the page and puts the caret in it. A whole-page
# run draws the bar before the paragraphs, and on a slow server it may draw the box anew after
# the caret went in: so the script watches for up to 30 s. It puts the caret in the box when
# the box appears, unless the person did anything since the key that moved (a click, a key:
# the page's own record, `window.lockstepKeys`, kept by `focus_report`); again whenever nothing
# holds the caret and they have not clicked since; and stops once the caret stayed a second
# with no run going, when they moved the caret, or when a later move takes over. The move
# count makes each move's script new, so it runs again.
_SCROLL = """<script data-move="%d">
(() => {
  const selector = ".st-key-text-%d textarea";
  const keys = window.lockstepKeys || {move: 0, touch: 0, point: 0};
  const moved = keys.move, until = performance.now() + 30000;
  let held = null, placedAt = 0, steady = 0;
  const running = () => {
    const app = document.querySelector("[data-testid=stApp]");
    return !!app && app.getAttribute("data-test-script-state") !== "notRunning";
  };
  const go = () => {
    if (keys.move !== moved) return;  // a later move: its own script takes over
    const box = document.querySelector(selector);
    const active = document.activeElement;
    const free = !active || active === document.body;
    if (held && (keys.point > placedAt || (!free && active !== box))) return;  // moved it
    if (!held && keys.touch > moved) return;  // they did something else before the box came
    if (box && active === box) {
      held = held || box;
      steady = running() ? 0 : steady + 1;
      if (steady >= 20) return;  // the caret stayed a second, the page drawn
    } else if (box && (!held || free)) {
      if (!held) box.scrollIntoView({block: "center"});
      box.focus({preventScroll: true});
      held = box;
      placedAt = performance.now();
      steady = 0;
    }
    if (performance.now() < until) setTimeout(go, 50);
  };
  go();
})();
</script>"""
