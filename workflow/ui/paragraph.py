"""The paragraph editor at the desk: one English paragraph beside its translation in the
language being edited, with its state, flags, what changed in the English, suggestions, the
comment thread, the text box, a conflict, its history and the buttons that move it on."""

import streamlit as st

from workflow import LANGUAGES
from workflow.desk import DeskRow, TranslationView, desk_rows
from workflow.models import Person
from workflow.progress import version_progress
from workflow.states import Action, VersionState, permitted, translation_actions
from workflow.ui.comments import thread_box
from workflow.ui.common import db, escape_markdown, language_name, md, show_diff, state_badge
from workflow.ui.conflict import conflict_box
from workflow.ui.drafting import carry_out_dismissal, origin_badge, suggestions
from workflow.ui.flags import flag_list
from workflow.ui.history import history_panel
from workflow.ui.paragraph_actions import (
    ParagraphKeys,
    ask,
    asked_key,
    carry_out_asked,
    keep_draft,
    revert_key,
)

ss = st.session_state


@st.fragment
def paragraph_editor(story_id: int, paragraph_id: int, lang: str, person_id: int) -> None:
    """One paragraph beside its English; its buttons rerun only this fragment, not the page.

    Buttons only record what was asked; the fragment carries it out first thing on its next
    run, then draws the paragraph as it now is, so no extra rerun is needed.
    """
    carry_out_dismissal()
    with db() as session:
        person = session.get(Person, person_id)
        assert person is not None
        if carry_out_asked(session, person, story_id, paragraph_id, lang):
            st.rerun()  # a state moved: the version's progress at the top must follow
        found = desk_rows(session, story_id, paragraph_id=paragraph_id)
        version_state = version_progress(session, story_id, lang).state
    if not found:
        st.caption("This paragraph was removed from the English; reload the story.")
        return
    show_paragraph(found[0], lang, person, version_state)


def show_paragraph(row: DeskRow, lang: str, person: Person, version_state: VersionState) -> None:
    """One paragraph as read (`row`, and the state of its version), beside its English."""
    t = row.translations[lang]
    keys = ParagraphKeys(t.id)
    if keys.text not in ss and keys.draft in ss:
        ss[keys.text] = ss[keys.draft]  # unsaved typing, kept while the person looked elsewhere
    if keys.text not in ss or (
        ss[keys.text] == ss.get(keys.loaded) and ss[keys.base] != t.lock_version
    ):
        # Show the stored text unless the person has typed something not yet saved.
        ss[keys.text], ss[keys.loaded], ss[keys.base] = t.text, t.text, t.lock_version

    with st.container(border=True):
        english, target = st.columns(2)
        with english:
            _english_side(row, lang)
        with target:
            _translation_side(row, t, keys, person, version_state)


def _english_side(row: DeskRow, lang: str) -> None:
    """The English, with the other languages' text under it for reference."""
    st.caption("Headline" if row.is_headline else md("Paragraph {}", row.position))
    st.text(row.english)
    for other in LANGUAGES:
        if other != lang and row.translations[other].text:
            reference = row.translations[other].text
            st.caption(md("{}: {}", language_name(other), reference))


def _badges(t: TranslationView) -> None:
    with st.container(horizontal=True):
        state_badge(t.state)
        if t.stale:
            st.badge("English changed since translation", icon=":material/warning:", color="red")
        elif t.check_from is not None:
            st.badge("Check: minor English edit", icon=":material/visibility:", color="yellow")
        origin_badge(t)


def _translation_side(
    row: DeskRow, t: TranslationView, keys: ParagraphKeys, person: Person, state: VersionState
) -> None:
    paragraph_id, lang = row.paragraph_id, t.lang
    _badges(t)
    flag_list(t, person, paragraph_id)
    if t.stale and t.made_from is not None:
        st.caption("What changed in the English since this was translated:")
        show_diff(t.made_from, row.english)
    elif t.check_from is not None:
        st.caption("Minor English edit:")
        show_diff(t.check_from, row.english)
    can_edit = permitted(person, Action.SAVE, lang, state)
    if can_edit:
        suggestions(t, row.english, keys, person)
    if t.thread is not None:
        thread_box(t.thread, person, key=f"paragraph-{t.id}")
    st.text_area(
        f"{language_name(lang)} translation",
        key=keys.text,
        height="content",
        disabled=not can_edit,
        label_visibility="collapsed",
        on_change=keep_draft,
        args=(keys,),
    )
    if message := ss.pop(keys.flash, None):
        st.success(escape_markdown(message), icon=":material/check:")
    if not can_edit and state is VersionState.IN_REVIEW:
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
        conflict_box(conflict, keys)
    history_panel(t, keys.base, revert_key(paragraph_id, lang))
    _buttons(t, keys, person, state, asked_key(paragraph_id, lang), can_edit=can_edit)


def _buttons(
    t: TranslationView,
    keys: ParagraphKeys,
    person: Person,
    state: VersionState,
    asked: str,
    *,
    can_edit: bool,
) -> None:
    """Save, Still valid, Mark translated, Approve, Send back: those this person may use now."""
    with st.container(horizontal=True):
        if can_edit:
            st.button(
                "Save",
                key=f"save-{t.id}",
                type="primary",
                on_click=ask,
                args=(asked, Action.SAVE, keys),
            )
        actions = translation_actions(person, t.lang, state, t.state)
        if (t.stale or t.check_from is not None) and permitted(
            person, Action.CONFIRM, t.lang, state
        ):
            st.button(
                "Still valid",
                key=f"confirm-{t.id}",
                on_click=ask,
                args=(asked, Action.CONFIRM, keys),
                help="The translation already says what the new English says.",
            )
        for action in (Action.MARK_TRANSLATED, Action.APPROVE):
            if action in actions:
                st.button(
                    action.capitalize(),
                    key=f"{action}-{t.id}",
                    on_click=ask,
                    args=(asked, action, keys),
                )
        if Action.SEND_BACK in actions:
            with st.popover("Send back"):
                st.text_input("Why", key=keys.comment)
                st.button(
                    "Send back to translator",
                    key=f"send-back-{t.id}",
                    on_click=ask,
                    args=(asked, Action.SEND_BACK, keys),
                )
