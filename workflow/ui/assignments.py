"""Who holds a language version: translator, reviewer and due time, shown and (for editors)
changed on the desk."""

from datetime import UTC, datetime, time, timedelta
from functools import partial

import streamlit as st

from workflow.assignments import Assignment, assign, candidates
from workflow.models import Person
from workflow.states import Action, permitted
from workflow.ui.common import attempt, db, format_time, local_zone, md
from workflow.versions import get_version

NOBODY = 0


def assignment_panel(
    held: Assignment,
    story_id: int,
    lang: str,
    person: Person,
    *,
    published_at: datetime | None = None,
) -> None:
    """Who holds the version and until when (a published version: when it was published, no
    due time to miss); editors change it from here."""
    overdue = held.due_at is not None and held.due_at < datetime.now(UTC)
    due = format_time(held.due_at) if held.due_at else "no due time"
    when = (
        md("Published {}", format_time(published_at))
        if published_at is not None
        else md(":red[**Due {}: overdue**]", due)
        if overdue
        else md("Due: {}", due)
    )
    st.caption(
        md(
            "Translator: **{}** · Reviewer: **{}** · {}",
            held.translator or "nobody",
            held.reviewer or "nobody",
            when,
        )
    )
    if permitted(person, Action.ASSIGN, lang):
        with st.popover("Assign", icon=":material/assignment_ind:"):
            assign_form(story_id, lang, person)


def assign_form(story_id: int, lang: str, person: Person) -> None:
    with db() as session:
        translators, reviewers = candidates(session, lang)
        version = get_version(session, story_id, lang)
    names = {p.id: p.name for p in (*translators, *reviewers)} | {NOBODY: "Nobody"}
    zone = local_zone()
    current_due = version.due_at.astimezone(zone) if version.due_at else None
    default_due = current_due or (datetime.now(zone) + timedelta(hours=4)).replace(
        minute=0, second=0, microsecond=0
    )
    with st.form(f"assign-{story_id}-{lang}"):
        translator = st.selectbox(
            "Translator",
            [NOBODY, *(p.id for p in translators)],
            index=_index([p.id for p in translators], version.translator_id),
            format_func=names.__getitem__,
        )
        reviewer = st.selectbox(
            "Reviewer",
            [NOBODY, *(p.id for p in reviewers)],
            index=_index([p.id for p in reviewers], version.reviewer_id),
            format_func=names.__getitem__,
        )
        has_due = st.checkbox("Due", value=current_due is not None)
        day, hour = st.columns(2)
        due_day = day.date_input("Day", value=default_due.date())
        due_time = hour.time_input("Time", value=default_due.time().replace(tzinfo=None))
        st.caption(md("Times in {}.", zone.key))
        if st.form_submit_button("Save assignment", type="primary"):
            due_at = (
                datetime.combine(due_day, due_time or time(), tzinfo=zone)
                if has_due and due_day is not None
                else None
            )
            with db() as session:
                done = attempt(
                    partial(
                        assign, session, story_id=story_id, lang=lang, person=person,
                        translator_id=translator or None, reviewer_id=reviewer or None,
                        due_at=due_at,
                    )
                )  # fmt: skip
            if done is not None:
                st.rerun()


def _index(ids: list[int | None], chosen: int | None) -> int:
    return ids.index(chosen) + 1 if chosen in ids else 0
