"""Presence at the desk: the heartbeat, who is here, and the soft lock on a paragraph.

The desk's presence bar is a fragment of its own that runs every `BEAT` seconds: it beats
(`presence.beat`: this tab, its story, view and current paragraph, and whether that paragraph's
box holds unsaved text), reads who else is on the story, and says so in one line under the
story picker and the version's head ("Olena is in the Ukrainian version"). It draws nothing
else: the paragraphs are not run on a beat. When what a paragraph says about the others on it
changed (someone came or left, someone chose to edit it anyway), the bar asks for that
paragraph alone to be drawn again (`drafting.rerun_fragments`).

A paragraph reads what it says from the bar's last beat (`NOTICES`, one session-state entry
for the page: no query a paragraph): "Olena is editing this paragraph since 10:41, unsaved
changes" with Edit anyway / Wait while its box stays closed (only unsaved text holds a
paragraph: `soft_lock.ahead_of`; text left unsaved in a box holds it too, "Olena left unsaved
text here at 10:41"); a line when others are on it but
it is the person's own to edit; and, to the one who was there first, that someone chose to
edit it anyway.

The paragraph a person is on is the one they last typed in (its box's on_change): `EDITING`;
coming to a paragraph beats at once (`paragraph_actions.now_on`). Clicking a paragraph's
button (approve, send back) is not editing it. A box being typed in and not left yet is not
known to the server's session: the page reports its focus and first keystroke itself
(`focus_report`), so colleagues see the person there while they type. The box a tab is
editing, or holds unsaved text in, never closes under its person.
"""

from dataclasses import dataclass
from uuid import uuid4

import streamlit as st
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from workflow.errors import LockstepError, PermissionDenied
from workflow.languages import LANGUAGES
from workflow.models import Person
from workflow.presence import (
    Here,
    Overtaken,
    beat,
    edit_anyway,
    forget,
    on_story,
    purge_closed,
    who_is_here,
)
from workflow.soft_lock import ahead_of, as_on, held_by_others
from workflow.ui.common import clock, db, md
from workflow.ui.drafting import rerun_fragments
from workflow.ui.focus_report import report_focus
from workflow.ui.follow import changed_under
from workflow.ui.paragraph_actions import (
    BOXES,
    CURSOR,
    DESK,
    DRAWN,
    EDITING,
    HEADER,
    PRESENCE,
    ParagraphKeys,
    Place,
)

ss = st.session_state

BEAT = 5  # seconds between a desk's heartbeats: a colleague is seen, or told, within this
NOTICES = "presence-notices"  # translation id -> Notice, as the bar's last beat found them
SHOWN = "presence-shown"  # translation id -> what its paragraph last drew of its notice
ANYWAY = "presence-anyway"  # translation ids the person chose to edit anyway
WAITING = "presence-waiting"  # translation ids the person chose to wait for
PURGE = "presence-purge"  # a new tab's first beat clears the rows of tabs closed long ago


@dataclass(frozen=True)
class Notice:
    """What a paragraph says of the people on it, for this person: who holds it before them
    (its box closed until they choose), who else is on it, and who edited it over them."""

    held_by: Here | None = None
    others: tuple[Here, ...] = ()
    overtaken: Overtaken | None = None


def presence_bar(story_id: int, view: str, person: Person) -> None:
    """The heartbeat and who else is on the story, as a fragment run every `BEAT` seconds,
    and the page's report of the box being typed in (`focus_report`)."""
    if DESK not in ss:
        ss[DESK], ss[PURGE] = uuid4().hex, True
    if view in LANGUAGES:
        report_focus(ss[DESK])
    st.fragment(_presence, run_every=BEAT, key=PRESENCE)(story_id, view, person)


def leave_desk() -> None:
    """This tab left the desk (another page): its presence goes at once, not in 30 s."""
    if (desk := ss.pop(DESK, None)) is None:
        return
    ss.pop(NOTICES, None)
    ss.pop(ANYWAY, None)  # a choice to edit anyway is for while its maker stays on it
    try:
        with db() as session:
            forget(session, desk)
    except OperationalError:
        pass  # the database is out of reach: the presence goes by itself in 30 s


def _presence(story_id: int, view: str, person: Person) -> None:
    person_id = person.id or 0
    story, lang, editing = ss.get(EDITING) or (None, None, None)
    on = editing if (story, lang) == (story_id, view) else None
    if on is None:
        # Another story or view: back at this paragraph later, the person is a newcomer to
        # it (a colleague holding it asks them first), not someone editing it all along.
        ss.pop(EDITING, None)
    keys = ParagraphKeys(on) if on is not None else None
    unsaved = keys is not None and keys.unsaved
    try:
        with db() as session:
            if ss.pop(PURGE, False):
                purge_closed(session)  # a new tab clears the rows of tabs closed long ago
            desk = ss.setdefault(DESK, uuid4().hex)
            told = beat(
                session, desk=desk, person=person, story_id=story_id, view=view,
                translation_id=on, unsaved=unsaved,
            )  # fmt: skip
            heres = on_story(session, story_id)
            changed = _changed_under(session, story_id, view, heres, on)
    except OperationalError:
        st.caption("Who else is here is not known right now: the database is out of reach.")
        return
    except PermissionDenied:  # on a paragraph they may no longer edit: on the story alone
        ss.pop(EDITING, None)
        return
    chosen = _still_chosen(heres, desk, view, person_id)
    if lines := who_is_here(heres, person_id):
        st.caption(md(":material/group: " + " · ".join(["{}"] * len(lines)), *lines))
    if view in LANGUAGES:
        _follow_notices(_notices(heres, person_id, view, told, chosen), changed)


def _changed_under(
    session: Session, story_id: int, view: str, heres: list[Here], editing: int | None
) -> list[str]:
    """The fragments to draw again for others' changes since the page drew its paragraphs
    (`follow`): those paragraphs, and the version's head with them. The box this tab is in
    (`editing`, or the one its page reported the focus of) keeps what it holds."""
    if view not in LANGUAGES:
        return []
    in_box = {tid for tid in (_here(heres, ss.get(DESK), view), editing) if tid is not None}
    drawn: set[str] = ss.get(DRAWN, set())
    shown = {tid for tid in ss.get(BOXES, {}) if ParagraphKeys(tid).fragment in drawn}
    found = changed_under(session, story_id, view, shown, in_box)
    return [HEADER, *(ParagraphKeys(tid).fragment for tid in found)] if found else []


def _here(heres: list[Here], desk: str | None, view: str) -> int | None:
    """The paragraph this tab is on in `view`, as its last beat or focus report said."""
    return next((h.translation_id for h in heres if h.desk == desk and h.view == view), None)


def _still_chosen(heres: list[Here], desk: str, view: str, person_id: int) -> set[int]:
    """The paragraphs this tab's choice to edit anyway still holds for, kept as such.

    A choice goes when its maker leaves the paragraph (types or clicks into another box, or
    goes to another story or view), and once nobody else holds unsaved text there (the stored
    choice, `overtaken_by`, is over each of them): whoever comes next is asked again."""
    chosen = ss.get(ANYWAY, set()) & {_here(heres, desk, view)} & held_by_others(heres, person_id)
    ss[ANYWAY] = chosen
    return chosen


def _notices(
    heres: list[Here], person_id: int, lang: str, told: Overtaken | None, chosen: set[int]
) -> dict[int, Notice]:
    """Each paragraph of the version with something to say about its people, for this one
    (`chosen`: those it chose to edit anyway, asked nothing)."""
    found: dict[int, Notice] = {}
    on = {h.translation_id for h in heres if h.view == lang and h.translation_id is not None}
    on |= {tid for h in heres if h.view == lang for tid, _ in h.kept}
    for tid in on:
        here = as_on(heres, tid)
        others = tuple(h for h in here if h.person_id != person_id)
        held = None if tid in chosen else ahead_of(here, person_id, tid)
        if others or held:
            found[tid] = Notice(held, others)
    if told is not None:
        before = found.get(told.translation_id, Notice())
        found[told.translation_id] = Notice(before.held_by, before.others, told)
    return found


def _follow_notices(notices: dict[int, Notice], also: list[str]) -> None:
    """Keep the paragraphs' notices; draw again those paragraphs on the page that last drew
    another notice (none on a whole-page run: they are drawn after the bar), and the fragments
    `also` names. What a paragraph drew is its own record (`SHOWN`), so a redraw that did not
    happen is asked for again."""
    ss[NOTICES] = notices
    shown: dict[int, tuple[object, ...]] = ss.get(SHOWN, {})
    changed = {t for t in shown.keys() | notices.keys() if shown.get(t, ()) != _said(notices, t)}
    drawn: set[str] = ss.get(DRAWN, set())
    keys = [k for tid in sorted(changed) if (k := ParagraphKeys(tid).fragment) in drawn]
    keys += [k for k in also if k not in keys]
    if keys and PRESENCE in drawn:
        rerun_fragments(keys)
    drawn.add(PRESENCE)


def _said(notices: dict[int, Notice], tid: int) -> tuple[object, ...]:
    """What a paragraph shows of its notice (a beat that changed nothing shown reruns none)."""
    notice = notices.get(tid)
    if notice is None:
        return ()
    held = notice.held_by
    return (
        held and (held.name, held.unsaved, held.editing_since),
        tuple((h.name, h.unsaved) for h in notice.others),
        notice.overtaken,
    )


def paragraph_presence(keys: ParagraphKeys, place: Place, *, can_edit: bool) -> bool:
    """What the paragraph says of the people on it, drawn above its box; True when the box
    stays closed: someone else holds unsaved text in it, was there first, and the person
    (who may edit it) has not chosen to edit anyway."""
    notices: dict[int, Notice] = ss.get(NOTICES, {})
    notice = notices.get(keys.id)
    shown: dict[int, tuple[object, ...]] = ss.setdefault(SHOWN, {})
    if notice is None:
        shown.pop(keys.id, None)  # nothing drawn, nothing kept: most paragraphs
        return False
    shown[keys.id] = _said(notices, keys.id)
    if (told := notice.overtaken) is not None:
        st.warning(
            md(
                "{} chose to edit this paragraph anyway at {}. What you typed stays yours: "
                "if they save first, your Save shows both texts.",
                told.by,
                clock(told.at),
            ),
            icon=":material/group:",
        )
    # The box this tab is editing, or holds unsaved text in, never closes under the person.
    own = ss.get(EDITING) == (place.story_id, place.lang, keys.id) or keys.unsaved
    if (held := notice.held_by) is not None and can_edit and not own:
        _ask(held, keys, place)
        return True
    for other in notice.others:
        st.caption(md(":material/group: {}", _editing(other)))
    return False


def _editing(here: Here) -> str:
    if here.away:
        return f"{here.name} left unsaved text in this paragraph, and is still in this version"
    unsaved = ", unsaved changes" if here.unsaved else ""
    return f"{here.name} is editing this paragraph{unsaved}"


def _ask(held: Here, keys: ParagraphKeys, place: Place) -> None:
    since = f" since {clock(held.editing_since)}" if held.editing_since else ""
    if held.away:
        at = f" at {clock(held.editing_since)}" if held.editing_since else ""
        said = (
            f"{held.name} left unsaved text in this paragraph{at}, and is still in this "
            "version: it is saved, or let go, when they come back to it."
        )
    else:
        unsaved = ", unsaved changes" if held.unsaved else ""
        said = f"{held.name} is editing this paragraph{since}{unsaved}."
    st.warning(md("{}", said), icon=":material/edit_off:")
    waiting = keys.id in ss.get(WAITING, set())
    with st.container(horizontal=True, vertical_alignment="center"):
        # Keyed by paragraph: one person may hold several, and their buttons read alike.
        st.button(
            "Edit anyway", key=f"edit-anyway-{keys.id}", on_click=_edit_anyway,
            args=(keys, place), help=md("Edit it too: {} is told at once.", held.name),
        )  # fmt: skip
        if waiting:
            opens = (
                "saves or lets go of their text, or leaves the version"
                if held.away
                else "leaves this paragraph"
            )
            st.caption(md("Waiting: the box opens when {} {}.", held.name, opens))
        else:
            st.button(
                "Wait", key=f"wait-{keys.id}", on_click=_wait, args=(keys,),
                help="Leave it to them for now.",
            )  # fmt: skip


def _edit_anyway(keys: ParagraphKeys, place: Place) -> None:
    ss.setdefault(ANYWAY, set()).add(keys.id)
    ss.get(WAITING, set()).discard(keys.id)
    ss[CURSOR] = keys.id
    ss[EDITING] = (place.story_id, place.lang, keys.id)
    try:
        with db() as session:
            if (person := session.get(Person, place.person_id)) is not None:
                edit_anyway(
                    session, desk=ss.get(DESK) or uuid4().hex, person=person,
                    story_id=place.story_id, view=place.lang, translation_id=keys.id,
                )  # fmt: skip
    except OperationalError:
        pass  # the box opens all the same: a soft lock never holds anyone back
    except LockstepError as refusal:  # they may not edit it now: the box stays closed
        ss.setdefault(ANYWAY, set()).discard(keys.id)
        ss.pop(EDITING, None)
        ss[keys.refused] = str(refusal)


def _wait(keys: ParagraphKeys) -> None:
    ss.setdefault(WAITING, set()).add(keys.id)
