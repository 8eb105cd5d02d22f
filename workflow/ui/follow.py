"""Others' changes reach an open desk on its next beat: a colleague's save, approval or send
back of a paragraph on the page is drawn again within `presence.BEAT` seconds, not when the
page next runs whole.

Each beat of the presence bar compares every paragraph the page drew with its lock counter
now (`desk.counters`, one statement). A paragraph whose counter moved under the page is drawn
again, alone, with the version's head:
- a box the person is not in takes the new text, and the paragraph says who did what, when
  (the audit log's words: "Irina Sokolova approved this paragraph at 10:42");
- the box the person is in (they may be typing there, unsent: `EDITING`, or the box their
  page reported the focus of) keeps what it holds, and the new text is offered beside it;
- a draft is offered beside its box wherever the person is, as the draft job's poll offers
  its drafts (`drafting`), whoever's job put it there;
- a box holding text the person typed and has not saved keeps it, and the paragraph warns
  that saving will show both texts (the save's check, the last line of defence, is unchanged).

An offer stands until the person takes it or types over it: a later redraw of the paragraph,
for whatever reason, never puts the new text into a box they may be typing in.
"""

from contextlib import suppress
from datetime import datetime

import streamlit as st
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from workflow.desk import TranslationView, counters
from workflow.models import Translation
from workflow.ui.common import clock, db
from workflow.ui.paragraph_actions import (
    OFFERED,
    ParagraphKeys,
    Place,
    use_arrived,
    withdraw_offer,
)
from workflow.unsaved import discard_unsaved
from workflow.vocabulary import Origin
from workflow.writes import last_write

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
    session: Session, story_id: int, lang: str, shown: set[int], in_box: set[int]
) -> list[int]:
    """The paragraphs on the page (`shown`: translation ids) whose counter moved since each
    was last drawn. Those the person is in (`in_box`), and those a draft reached, are to keep
    what their box holds (see the module's docstring). A redraw that did not happen is asked
    for again on the next beat."""
    if not shown:
        return []  # a whole-page run: the paragraphs are drawn after the bar, as they are now
    drawn_at: dict[int, int] = ss.get(DRAWN_AT, {})
    found, beside = [], set()
    for tid, (lock, origin) in counters(session, story_id, lang).items():
        if tid in shown and drawn_at.get(tid, lock) != lock:
            found.append(tid)
            if tid in in_box or origin in MADE:
                beside.add(tid)
    ss.setdefault(CHANGED, set()).update(found)
    ss.setdefault(BESIDE, set()).update(beside)
    return found


def offered_beside(translation_id: int) -> bool:
    """Whether this paragraph is drawn for a change made under a box that keeps what it
    holds: then the new text is offered beside it."""
    beside: set[int] = ss.get(BESIDE, set())
    if translation_id in beside:
        beside.discard(translation_id)
        return True
    return False


def arrive(t: TranslationView, keys: ParagraphKeys) -> None:
    """A text that reached the paragraph while the page was open, not by the person's hand
    (a draft, a colleague's save): they may be typing in this box right now, so it keeps what
    it holds and the new text is offered beside it until they take it or type over it."""
    if t.text == keys.loaded:
        keys.base = t.lock_version  # only its state moved (or its text came back to the box's)
        withdraw_offer(keys)
        return
    if (offered := ss.get(keys.arrived)) is not None and offered[1] == t.lock_version:
        return  # offered already, as it is now
    draft = t.origin in MADE
    ss[keys.arrived] = (t.text, t.lock_version, None if draft else said_of_change(t.id))
    if draft:
        ss.setdefault(OFFERED, set()).add(t.id)  # "Put the drafts that arrived…"
    else:
        ss.get(OFFERED, set()).discard(t.id)


def use_offered(keys: ParagraphKeys, place: Place) -> None:
    """The text offered beside the box into it; what the person had typed there is dropped,
    on the server too (a reload must not bring it back)."""
    if keys.arrived not in ss:
        return  # withdrawn by a redraw meanwhile: the box is as the paragraph shows it
    if keys.unsaved:
        with suppress(OperationalError), db() as session:
            discard_unsaved(session, person_id=place.person_id, translation_id=keys.id)
    use_arrived(keys)


def said_of_change(translation_id: int) -> str:
    """Who last changed a paragraph, what they did, and when, in the audit log's words:
    "Irina Sokolova approved this paragraph at 10:42"."""
    with db() as session:
        t = session.get(Translation, translation_id)
        if t is None:
            return "Someone changed this paragraph"
        who, did, when = last_write(session, t)
    at = f"at {clock(when)}" if isinstance(when, datetime) else "just now"
    return f"{who or 'Someone'} {did} {at}"


def took_news(translation_id: int) -> bool:
    """Whether this paragraph is drawn for someone else's change (said once)."""
    changed: set[int] = ss.get(CHANGED, set())
    if translation_id in changed:
        changed.discard(translation_id)
        return True
    return False


def saved_over(t: TranslationView, keys: ParagraphKeys) -> str | None:
    """When the person's unsaved text is over a text that changed since they started: the
    warning to give them, before their save meets the check."""
    if keys.text not in ss or not keys.unsaved or keys.base == t.lock_version:
        return None
    if t.text == keys.loaded or keys.conflict in ss:
        return None  # only its state moved; or the conflict box already shows both texts
    return (
        f"This paragraph's text changed since you started editing it (last: "
        f"{said_of_change(t.id)}): saving shows both texts, to keep yours or take theirs."
    )
