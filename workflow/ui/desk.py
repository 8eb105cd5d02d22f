"""The desk: a story's English beside its Russian and Ukrainian, to read, edit and review.

This page chooses the story and the view; the widgets of the editing view live beside it: the
version's head (`version_header`), each paragraph (`paragraph`, `paragraph_actions`,
`conflict`) and the downloads (`exports`).
"""

from functools import partial

import streamlit as st

from workflow import LANGUAGES
from workflow.desk import DeskRow, counts_of, desk_rows, read_version_desk
from workflow.models import Person
from workflow.states import Role, VersionState, works_in
from workflow.ui.common import (
    current_person,
    db,
    language_name,
    md,
    remember,
    restore,
    state_badge,
    version_badge,
)
from workflow.ui.drafting import carry_out_dismissal, embargo_toggle, machine_summary
from workflow.ui.english import english_view
from workflow.ui.exchange import exchange_panel
from workflow.ui.history import HISTORY
from workflow.ui.keyboard import keyboard_bar
from workflow.ui.paragraph import paragraph_editor
from workflow.ui.paragraph_actions import DRAWN, WHOLE_PAGE, ParagraphKeys
from workflow.ui.presence import presence_bar
from workflow.ui.story_url import (
    VIEW,
    keep_view_in_address,
    pick_story,
    said_of,
    view_in_address,
)
from workflow.ui.unsaved import warn_before_leaving
from workflow.ui.version_header import shown_key, version_header
from workflow.versions import get_version

READ = "read"
ENGLISH = "en"
ss = st.session_state


VIEW_NAMES = {READ: "Read English | Russian | Ukrainian", ENGLISH: "English", **{
    lang: f"Edit {name}" for lang, name in LANGUAGES.items()
}}  # fmt: skip


def view_name(person: Person, view: str) -> str:
    """A view as the person sees it offered: "Edit Russian" only in a language they work in;
    another language is theirs to read ("Russian")."""
    if view in LANGUAGES and not works_in(person, view):
        return language_name(view)
    return VIEW_NAMES[view]


def pick_view(person: Person) -> str:
    options = [READ, *LANGUAGES, ENGLISH]
    restore("desk_view")
    restore("attention_only")
    restore(HISTORY)
    if (asked := view_in_address(options)) is not None:
        ss["desk_view"] = asked  # the address decides; a click on the views changes it
    elif ss.get("desk_view") not in options:
        own = [lang for lang in LANGUAGES if lang in person.language_codes]
        ss["desk_view"] = own[0] if person.role is Role.TRANSLATOR and own else READ
    left, right = st.columns([3, 1], vertical_alignment="center")
    with left:
        view = st.radio(
            "View",
            options,
            format_func=partial(view_name, person),
            horizontal=True,
            key="desk_view",
            label_visibility="collapsed",
            on_change=lambda: st.query_params.update({VIEW: ss["desk_view"]}),
        )
    with right:
        if view != ENGLISH:
            st.toggle("Only what needs attention", key="attention_only")
        if view not in (READ, ENGLISH):
            st.toggle(
                "History",
                key=HISTORY,
                help="Each paragraph's saved texts, what changed between them, and revert.",
            )
            remember(HISTORY)
    remember("desk_view")
    remember("attention_only")
    keep_view_in_address(view)
    return view


def reading_view(story_id: int) -> None:
    with db() as session:
        rows = desk_rows(session, story_id)
        versions = {lang: get_version(session, story_id, lang).state for lang in LANGUAGES}
    show_reading(rows, versions, attention_only=ss.get("attention_only", False))


def show_reading(
    rows: list[DeskRow], versions: dict[str, VersionState], *, attention_only: bool
) -> None:
    """Every paragraph's English, Russian and Ukrainian side by side, with their states."""
    counts = counts_of(rows)  # the story's totals, under each language's name
    heads = st.columns(1 + len(LANGUAGES))
    heads[0].markdown("**English**")
    heads[0].caption(md("{}", counts.english.detailed))
    for column, lang in zip(heads[1:], LANGUAGES, strict=True):
        with column:
            st.markdown(md("**{}**", language_name(lang)))
            version_badge(versions[lang])
            st.caption(md("{}", counts.of(lang).detailed))
    for row in rows:
        if attention_only and not row.needs_attention:
            continue
        with st.container(border=True):
            columns = st.columns(1 + len(LANGUAGES))
            columns[0].text(row.english)
            for column, lang in zip(columns[1:], LANGUAGES, strict=True):
                translation = row.translations[lang]
                with column:
                    if translation.text:
                        st.text(translation.text)
                    else:
                        st.caption("Not translated yet")
                    state_badge(translation.state)
                    if translation.stale:
                        st.badge("English changed", icon=":material/warning:", color="red")
                    elif translation.check_from is not None:
                        st.badge("Check", icon=":material/visibility:", color="yellow")


def editing_view(story_id: int, lang: str, person: Person) -> None:
    """The version's head, then each paragraph: fragments drawn from one read of the story,
    so that a click on one paragraph reruns that paragraph (and the head), not the page."""
    carry_out_dismissal()
    with db() as session:
        desk = read_version_desk(session, story_id, lang, person_id=person.id)
    ss[DRAWN] = set()  # tells a fragment's own reruns apart (`paragraph_actions.drawn_before`)
    ss.pop(WHOLE_PAGE, None)  # this run is the whole page a paragraph may have asked for
    version_header(desk.head, person)
    presence_bar(story_id, lang, person)  # under the head: who else is here
    exchange_panel(story_id, lang, person)
    machine_summary(desk.rows, lang)
    attention_only = ss.get("attention_only", False)
    keyboard_bar(desk, person, attention_only=attention_only)
    shown = []
    ss[shown_key(story_id, lang)] = [row.translations[lang].id for row in desk.rows]
    for row in desk.rows:
        translation = row.translations[lang]
        # A paragraph the filter hides counts as shown as it was first read: a later change
        # to it still stops "Approve version" (see version_header.shown_counters).
        if not (keys := ParagraphKeys(translation.id)).known:
            keys.base = translation.lock_version
        if not attention_only or translation.needs_attention or translation.unsaved:
            shown.append(row)
        elif message := ss.pop(ParagraphKeys(translation.id).flash, None):
            # Just resolved, so filtered out: say so where the paragraph was.
            st.success(said_of(message, story_id, row.name))
    if attention_only and not shown:
        st.success(md("Nothing in the {} version needs attention.", language_name(lang)))
    for row in shown:
        paragraph_editor(story_id, row, lang, person, desk.head.state)
    warn_before_leaving()


person = current_person()
st.title("Desk")
if person is not None and (story_id := pick_story()) is not None:
    embargo_toggle(story_id, person)
    view = pick_view(person)
    if view == READ:
        presence_bar(story_id, view, person)
        reading_view(story_id)
    elif view == ENGLISH:
        presence_bar(story_id, view, person)
        english_view(story_id, person)
    else:
        editing_view(story_id, view, person)
