"""The paragraph editor at the desk: one English paragraph beside its translation in the
language being edited, with its state, flags, what changed in the English, suggestions, the
comment thread, the text box, a conflict, its history and the buttons that move it on."""

from contextlib import nullcontext
from functools import partial

import streamlit as st

from workflow import LANGUAGES
from workflow.checks import Severity
from workflow.counts import count_text
from workflow.desk import DeskRow, TranslationView, desk_rows
from workflow.models import Person
from workflow.progress import version_progress
from workflow.states import (
    Action,
    TranslationState,
    VersionState,
    edit_refusal,
    permitted,
    translation_actions,
    works_in,
)
from workflow.ui.comments import thread_box
from workflow.ui.common import (
    STATE_COLORS,
    Markdown,
    badge,
    db,
    diff_markdown,
    escape_markdown,
    language_name,
    md,
)
from workflow.ui.conflict import conflict_box
from workflow.ui.drafting import arrived_while_typing, carry_out_dismissal, suggestions
from workflow.ui.flags import flag_list
from workflow.ui.follow import (
    arrive,
    drawn_with,
    offered_beside,
    said_of_change,
    saved_over,
    took_news,
    use_offered,
)
from workflow.ui.history import HISTORY, history_panel
from workflow.ui.paragraph_actions import (
    WHOLE_PAGE,
    ParagraphKeys,
    Place,
    act,
    carry_out,
    drawn_before,
    withdraw_offer,
)
from workflow.ui.presence import paragraph_presence
from workflow.ui.story_url import said_of
from workflow.ui.unsaved import keep_typing, restore_unsaved, unsaved_marker, unsaved_note

ss = st.session_state


def paragraph_editor(
    story_id: int, row: DeskRow, lang: str, person: Person, version_state: VersionState
) -> None:
    """One paragraph beside its English, as a fragment of its own (keyed by its translation):
    its buttons rerun it, and the version's head when they move a count, never the others.

    `row` and `version_state` are what the page run read for the whole story.
    """
    keys = ParagraphKeys(row.translations[lang].id)
    place = Place(story_id, row.paragraph_id, lang, person.id or 0)
    st.fragment(_paragraph, key=keys.fragment)(place, row, person, version_state)


def _paragraph(place: Place, row: DeskRow, person: Person, version_state: VersionState) -> None:
    if ss.pop(WHOLE_PAGE, False):
        st.rerun()  # the version's state moved: every paragraph's buttons follow
    carry_out_dismissal()
    keys = ParagraphKeys(row.translations[place.lang].id)
    if drawn_before(keys.fragment):
        # A rerun of this paragraph alone gets the page run's arguments, read before its own
        # action: read this one paragraph (and its version's state) again.
        with db() as session:
            found = desk_rows(session, place.story_id, paragraph_id=place.paragraph_id)
            version_state = version_progress(session, place.story_id, place.lang).state
        if not found:
            st.caption("This paragraph was removed from the English; reload the story.")
            return
        row = found[0]
    show_paragraph(row, place, person, version_state)


def show_paragraph(row: DeskRow, place: Place, person: Person, version_state: VersionState) -> None:
    """One paragraph as read (`row`, and the state of its version), beside its English."""
    t = row.translations[place.lang]
    keys = ParagraphKeys(t.id)
    if permitted(person, Action.SAVE, place.lang, version_state):
        restore_unsaved(t, keys)  # typed before a reload or a sign-out, kept on the server
    if keys.text not in ss and keys.draft in ss:
        ss[keys.text] = ss[keys.draft]  # unsaved typing, kept while the person looked elsewhere
    drawn_with(t)
    arrived = any([arrived_while_typing(t.id), offered_beside(t.id)])  # each said once
    if (offered := ss.get(keys.arrived)) is not None and offered[1] <= keys.base:
        withdraw_offer(keys)  # the box holds that text or a later one now (discard, theirs)
    if keys.text not in ss or (ss[keys.text] == keys.loaded and keys.base != t.lock_version):
        if (arrived or keys.arrived in ss) and keys.text in ss:
            arrive(t, keys)  # beside the box: an offer stands until taken or typed over
        else:
            # Show the stored text unless the person has typed something not yet saved.
            ss[keys.text] = keys.loaded = t.text
            keys.base = t.lock_version
            withdraw_offer(keys)

    with st.container(border=True):
        english, target = st.columns(2)
        with english:
            _english_side(row, place.lang)
        with target:
            _translation_side(row, t, keys, place, person, version_state)


def _arrived_draft(keys: ParagraphKeys, place: Place) -> None:
    """A draft, or a colleague's text, that arrived while the person may have been typing
    here: offered, not imposed."""
    text, _, said = ss[keys.arrived]
    if said is None:
        st.caption("A draft arrived for this paragraph while you were on the page:")
    else:
        st.caption(md("{}; the text now:", said))
    st.text(text)
    st.button(
        "Use the draft" if said is None else "Use this text",
        key=f"use-arrived-{keys.id}",
        on_click=use_offered,
        args=(keys, place),
    )


def _english_side(row: DeskRow, lang: str) -> None:
    """The English, with the other languages' text under it for reference."""
    st.caption("Headline" if row.is_headline else md("Paragraph {}", row.position))
    st.text(row.english)
    st.caption(md("{}", count_text(row.english).caption))
    for other in LANGUAGES:
        if other != lang and row.translations[other].text:
            reference = row.translations[other].text
            st.caption(md("{}: {}", language_name(other), reference))


def badge_line(t: TranslationView) -> Markdown:
    """The paragraph's state, whether its English changed, and how much of a draft is left,
    as one line of badges, then the words and characters of its saved text."""
    line = [badge(t.state.label, STATE_COLORS[t.state])]
    if t.stale:
        line.append(badge("English changed since translation", "red", ":material/warning:"))
    elif t.check_from is not None:
        line.append(badge("Check: minor English edit", "yellow", ":material/visibility:"))
    if t.draft_origin and t.draft_change is not None and t.text:
        source = t.draft_origin.label
        if t.draft_change == 0:
            line.append(badge(f"{source} text, unedited", "violet"))
        else:
            line.append(badge(f"{source} draft, {t.draft_change}% edited", "gray"))
    if t.text:  # the saved text's words and characters, quietly after the badges
        line.append(md(":gray[{}]", count_text(t.text).caption))
    return md(" ".join(["{}"] * len(line)), *line)


def english_change(t: TranslationView, english: str) -> Markdown | None:
    """What changed in the English since the paragraph was translated (or its minor edit), as
    a word diff under a line saying which; None when the English did not change."""
    if t.stale and t.made_from is not None:
        said, old = "What changed in the English since this was translated:", t.made_from
    elif t.check_from is not None:
        said, old = "Minor English edit:", t.check_from
    else:
        return None
    return md(":gray[{}]  \n{}", said, diff_markdown(old, english))


def _translation_side(
    row: DeskRow,
    t: TranslationView,
    keys: ParagraphKeys,
    place: Place,
    person: Person,
    state: VersionState,
) -> None:
    lang = t.lang
    st.markdown(badge_line(t))
    flag_list(t, person, keys, place)
    if (change := english_change(t, row.english)) is not None:
        st.markdown(md("{}", change))
    can_edit = permitted(person, Action.SAVE, lang, state)
    if can_edit:
        suggestions(t, row.english, keys, person)
    if t.thread is not None:
        thread_box(t.thread, person, key=f"paragraph-{t.id}")
    held = paragraph_presence(keys, place, can_edit=can_edit)
    st.text_area(
        f"{language_name(lang)} translation",
        key=keys.text,
        height="content",
        disabled=not can_edit or held,
        label_visibility="collapsed",
        on_change=keep_typing,
        args=(keys, place),
    )
    unsaved_marker(keys, place, row.name)
    if not can_edit:
        unsaved_note(t, keys, place, row.name)
    news = took_news(t.id)  # said once, and only when nothing below says more
    if keys.arrived in ss:
        _arrived_draft(keys, place)
    elif warning := saved_over(t, keys):
        st.warning(escape_markdown(warning), icon=":material/sync_problem:")
    elif news:
        st.caption(md(":material/sync: {}.", said_of_change(t.id)))
    if refusal := ss.pop(keys.refused, None):
        st.error(escape_markdown(refusal), icon=":material/block:")
    if message := ss.pop(keys.flash, None):
        st.success(said_of(message, place.story_id, row.name), icon=":material/check:")
    refusal = None if can_edit else edit_refusal(person, lang, state)
    if not can_edit and state is VersionState.IN_REVIEW and works_in(person, lang):
        st.caption(
            "Submitted for review: the editors have this version now."
            + (
                " To update it to the new English, an editor fixes it here or requests"
                " changes, which gives the version back to you."
                if t.stale
                else ""
            )
        )
    if (conflict := ss.get(keys.conflict)) is not None:
        conflict_box(conflict, keys, place)
    if ss.get(HISTORY):
        history_panel(t, keys, place, refusal)
    _buttons(t, row.name, keys, place, person, state, can_edit=can_edit)


def _buttons(
    t: TranslationView,
    name: str,
    keys: ParagraphKeys,
    place: Place,
    person: Person,
    state: VersionState,
    *,
    can_edit: bool,
) -> None:
    """Save, Still valid, Mark translated, Approve, Send back: those this person may use now,
    in a row when there are several (a lone Save needs no row: one block less a paragraph).

    The buttons have no keys: each key is a session-state entry, and Streamlit reads every
    entry for each text box it draws (see `ParagraphKeys`). What tells one paragraph's Save
    from another's is its tooltip, which names the paragraph (`name`)."""
    actions = translation_actions(person, t.lang, state, t.state)
    # Not while a check finds an error in it: the domain refuses to vouch for it then.
    erring = any(f.open and f.severity is Severity.ERROR for f in t.flags)
    confirm = (
        (t.stale or t.check_from is not None)
        and not erring
        and permitted(person, Action.CONFIRM, t.lang, state)
    )
    moves = [a for a in (Action.MARK_TRANSLATED, Action.APPROVE) if a in actions]
    send_back = Action.SEND_BACK in actions
    several = can_edit + confirm + len(moves) + send_back > 1
    with st.container(horizontal=True) if several else nullcontext():
        if can_edit:
            st.button(
                "Save",
                help=f"Save {name}",
                type="primary",
                on_click=act,
                args=(keys, place, partial(carry_out, action=Action.SAVE, keys=keys)),
            )
        if confirm:
            st.button(
                "Still valid",
                on_click=act,
                args=(keys, place, partial(carry_out, action=Action.CONFIRM, keys=keys)),
                help=f"The translation of {name} already says what the new English says."
                + (
                    " An editor approves it again: the version goes back to review."
                    if t.state is TranslationState.APPROVED
                    and not permitted(person, Action.APPROVE, t.lang, state)
                    else ""
                ),
            )
        for action in moves:
            st.button(
                action.capitalize(),
                help=f"{action.capitalize()}: {name}",
                on_click=act,
                args=(keys, place, partial(carry_out, action=action, keys=keys)),
            )
        if send_back:
            with st.popover("Send back"):
                st.text_input("Why", key=keys.comment)
                st.button(
                    "Send back to translator",
                    help=f"Send {name} back to its translator with your note",
                    on_click=act,
                    args=(keys, place, partial(carry_out, action=Action.SEND_BACK, keys=keys)),
                )
