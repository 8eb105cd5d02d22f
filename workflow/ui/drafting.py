"""Drafts at the desk: the drafting button, suggestions beside a paragraph, post-editing figures."""

from functools import partial

import streamlit as st

from workflow.desk import DeskRow, TranslationView
from workflow.drafts import dismiss_suggestion, draft_version, set_embargo
from workflow.models import Person, Story
from workflow.states import Action, VersionState, permitted
from workflow.ui.common import attempt, db, desk_engine, escape_markdown, md, show_diff
from workflow.ui.paragraph_actions import ParagraphKeys
from workflow.vocabulary import Origin

ss = st.session_state


def embargo_toggle(story_id: int, person: Person) -> None:
    with db() as session:
        story = session.get(Story, story_id)
    if story is None:
        return
    if not permitted(person, Action.EMBARGO):
        if story.embargoed:
            st.caption(":material/lock: Under embargo: never sent to an outside engine.")
        return
    wanted = st.toggle(
        "Embargoed",
        value=story.embargoed,
        key=f"embargo-{story_id}",
        help="An embargoed story is never sent to an outside machine-translation engine.",
    )
    if wanted != story.embargoed:
        with db() as session:
            attempt(
                partial(set_embargo, session, story_id=story_id, embargoed=wanted, person=person)
            )


def draft_button(story_id: int, lang: str, person: Person, state: VersionState) -> None:
    """Draft every empty or stale paragraph: memory first, then the engine, with progress."""
    if message := ss.pop(f"draft-report-{lang}", None):
        text, failed = message
        (st.warning if failed else st.success)(escape_markdown(text))
    if not permitted(person, Action.DRAFT, lang, state):
        return
    if not st.button(
        "Draft empty and stale paragraphs",
        key=f"draft-{lang}",
        help="Translation memory first; the machine engine only for what memory lacks.",
    ):
        return
    bar = st.progress(0.0, text="Drafting…")

    def advance(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Drafting: {done} of {total} paragraphs")

    with db() as session:
        report = attempt(
            lambda: draft_version(
                session,
                story_id=story_id,
                lang=lang,
                engine=desk_engine(),  # a wrong setting is a message too, not a traceback
                person=person,
                progress=advance,
            )
        )
    if report is not None:
        ss[f"draft-report-{lang}"] = (report.summary(), report.fault is not None)
        st.rerun()


def machine_summary(rows: list[DeskRow], lang: str) -> None:
    """How much of the version started as machine text, and how much people changed it."""
    started = [r.translations[lang] for r in rows if r.translations[lang].draft_change is not None]
    machine = [t for t in started if t.draft_origin is Origin.MACHINE]
    if not machine:
        return
    unedited = sum(t.unedited_machine_text for t in machine)
    edited = [t.draft_change or 0 for t in machine if t.text]
    mean = sum(edited) / len(edited) if edited else 0
    st.caption(
        md(
            "{} paragraphs started from a machine draft: {} unedited, {:.0f}% changed on "
            "average by people.",
            len(machine),
            unedited,
            mean,
        )
    )


def origin_badge(t: TranslationView) -> None:
    if not t.draft_origin or t.draft_change is None or not t.text:
        return
    source = t.draft_origin.label
    if t.draft_change == 0:
        st.badge(f"{source} text, unedited", color="violet")
    else:
        st.badge(f"{source} draft, {t.draft_change}% edited", color="gray")


def suggestions(t: TranslationView, english: str, keys: ParagraphKeys, person: Person) -> None:
    """Drafts offered beside a person's text: use one (into the box, not saved) or dismiss it."""
    for suggestion in t.suggestions:
        kind = suggestion.origin.label
        with st.container(border=True):
            st.caption(md("Suggestion · {} · {}% match", kind, suggestion.match))
            st.text(suggestion.text)
            if suggestion.source_text != english:
                st.caption("How its English differs from this paragraph's:")
                show_diff(suggestion.source_text, english)
            with st.container(horizontal=True):
                st.button(
                    "Use",
                    key=f"use-{suggestion.id}",
                    on_click=_use,
                    args=(keys, suggestion.text, suggestion.origin, suggestion.id, person.id),
                    help="Puts the suggestion in the box; nothing is saved until you save.",
                )
                st.button(
                    "Dismiss",
                    key=f"dismiss-{suggestion.id}",
                    on_click=_dismiss,
                    args=(suggestion.id, person.id),
                )


def _use(
    keys: ParagraphKeys, text: str, origin: Origin, suggestion_id: int, person_id: int
) -> None:
    ss[keys.text] = ss[keys.draft] = text
    # Saved as it is, it counts as machine or memory text, not as a person's work.
    ss[keys.used] = (text, origin)
    _dismiss(suggestion_id, person_id)


def _dismiss(suggestion_id: int, person_id: int) -> None:
    ss["dismiss-suggestion"] = (suggestion_id, person_id)


def carry_out_dismissal() -> None:
    """Dismissals asked by buttons, carried out at the start of the next run."""
    if asked := ss.pop("dismiss-suggestion", None):
        suggestion_id, person_id = asked
        with db() as session:
            person = session.get(Person, person_id)
            if person is not None:
                attempt(
                    partial(dismiss_suggestion, session, suggestion_id=suggestion_id, person=person)
                )
