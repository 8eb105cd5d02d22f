"""Others' changes reach an open desk on its next beat: a colleague's save, approval or send
back of a paragraph on the page is drawn again within `presence.BEAT` seconds, not when the
page next runs whole.

Each beat of the presence bar compares every paragraph the page drew with its lock counter
now (`desk.counters`, one statement). A paragraph whose counter moved under the page is drawn
again, alone, with the version's head:
- a box the person is not in takes the new text, and the paragraph says who changed it;
- the box the person is in (they may be typing there, unsent: `EDITING`, or the box their
  page reported the focus of) keeps what it holds, and the new text is offered beside it, as
  a draft that arrives is (`paragraph.show_paragraph`);
- a box holding text the person typed and has not saved keeps it, and the paragraph warns
  that saving will show both texts (the save's check, the last line of defence, is unchanged).

Machine and memory drafts that arrive while this page watches its version's draft job are left
to that job's poll (`drafting`), which offers them beside their boxes.
"""

import streamlit as st
from sqlmodel import Session

from workflow.desk import TranslationView, counters
from workflow.ui.common import clock
from workflow.ui.paragraph_actions import ParagraphKeys
from workflow.vocabulary import Origin

ss = st.session_state

DRAWN_AT = "desk-drawn-at"  # translation id -> the counter its paragraph was last drawn with
CHANGED = "desk-changed-under"  # translation ids drawn again for someone else's change
BESIDE = "desk-offer-beside"  # of those, the ones whose box the person is in
MADE = (Origin.MACHINE, Origin.MEMORY)  # texts a draft job put in, not a person


def drawn_with(t: TranslationView) -> None:
    """Note the counter a paragraph is drawn with: a beat that finds it moved since draws it
    again (one entry for the page, not one a paragraph: see `ParagraphKeys`)."""
    ss.setdefault(DRAWN_AT, {})[t.id] = t.lock_version


def changed_under(
    session: Session,
    story_id: int,
    lang: str,
    shown: set[int],
    in_box: set[int],
    *,
    drafting: bool,
) -> list[int]:
    """The paragraphs on the page (`shown`: translation ids) whose counter moved since each
    was last drawn; those the person is in (`in_box`) are to keep what their box holds (see
    the module's docstring). `drafting`: this page polls a draft job of the version, which
    offers its drafts. A redraw that did not happen is asked for again on the next beat."""
    if not shown:
        return []  # a whole-page run: the paragraphs are drawn after the bar, as they are now
    drawn_at: dict[int, int] = ss.get(DRAWN_AT, {})
    found = [
        tid
        for tid, (lock, origin) in counters(session, story_id, lang).items()
        if tid in shown and drawn_at.get(tid, lock) != lock and not (drafting and origin in MADE)
    ]
    ss.setdefault(CHANGED, set()).update(found)
    ss.setdefault(BESIDE, set()).update(set(found) & in_box)
    return found


def offered_beside(translation_id: int) -> bool:
    """Whether this paragraph is drawn for a change made under the box the person is in:
    then the box keeps what it holds, and the new text is offered beside it."""
    beside: set[int] = ss.get(BESIDE, set())
    if translation_id in beside:
        beside.discard(translation_id)
        return True
    return False


def news_of(t: TranslationView) -> str | None:
    """What a paragraph drawn again for someone else's change says of it, once."""
    changed: set[int] = ss.get(CHANGED, set())
    if t.id not in changed:
        return None
    changed.discard(t.id)
    if t.origin in MADE:
        return f"A {t.origin.label.lower()} draft arrived here at {clock(t.updated_at)}."
    return f"{t.updated_by or 'Someone'} changed this paragraph at {clock(t.updated_at)}."


def saved_over(t: TranslationView, keys: ParagraphKeys) -> str | None:
    """When the person's unsaved text is over a text someone saved since they started: the
    warning to give them, before their save meets the check."""
    if keys.text not in ss or ss[keys.text] == keys.loaded or keys.base == t.lock_version:
        return None
    if t.text == keys.loaded or keys.conflict in ss:
        return None  # only its state moved; or the conflict box already shows both texts
    who = t.updated_by or "Someone"
    return (
        f"{who} saved this paragraph at {clock(t.updated_at)}, after you started editing it: "
        "saving shows both texts, to keep yours or take theirs."
    )
