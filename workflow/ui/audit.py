"""The audit log: every action on every story, filterable by story, person and date."""

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from workflow.history import audit_log
from workflow.people import list_people
from workflow.states import TranslationState, VersionState
from workflow.stories import list_stories
from workflow.ui.common import current_person, db, md

ANY = 0


def _state(value: int | None, translation: bool) -> str:
    if value is None:
        return ""
    enum = TranslationState if translation else VersionState
    try:
        return enum(value).label
    except ValueError:
        return str(value)


person = current_person()
st.title("Audit log")
with db() as session:
    stories = {s.id: s.headline for s in list_stories(session)}
    people = {p.id: p.name for p in list_people(session)}
story_col, person_col, date_col = st.columns([3, 2, 2])
story_id = story_col.selectbox(
    "Story", [ANY, *stories], format_func=lambda i: "All stories" if i == ANY else stories[i]
)
person_id = person_col.selectbox(
    "Person", [ANY, *people], format_func=lambda i: "Everyone" if i == ANY else people[i]
)
today = datetime.now(UTC).date()
period = date_col.date_input("Dates", value=(today - timedelta(days=30), today))
since = until = None
if isinstance(period, tuple) and len(period) == 2:
    since = datetime.combine(period[0], time.min, tzinfo=UTC)
    until = datetime.combine(period[1], time.min, tzinfo=UTC) + timedelta(days=1)
with db() as session:
    rows = audit_log(
        session,
        story_id=None if story_id == ANY else story_id,
        person_id=None if person_id == ANY else person_id,
        since=since,
        until=until,
    )
if not rows:
    st.info("Nothing happened that matches these filters.")
else:
    st.dataframe(
        [
            {
                "When (UTC)": change.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                "Story": headline,
                "Language": (change.lang or "").upper(),
                "Action": change.action,
                "Who": name or "command line",
                "From": _state(change.from_state, change.translation_id is not None),
                "To": _state(change.to_state, change.translation_id is not None),
                "Comment": change.comment,
            }
            for change, name, headline in rows
        ],
        hide_index=True,
        use_container_width=True,
    )
    st.caption(md("{} actions, newest first.", len(rows)))
