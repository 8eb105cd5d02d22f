"""The audit log: every recorded change (to a story, a person, or the desk as a whole),
filterable by story (or desk-wide only), person and date."""

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from workflow.audit import audit_log
from workflow.languages import language_name
from workflow.people import list_people
from workflow.stories import list_stories
from workflow.ui.common import current_person, db, md

ANY = 0
DESK_WIDE = -1  # lines that concern no story: people, settings, the glossary, sign-ins

person = current_person()
st.title("Audit log")
with db() as session:
    stories = {s.id: s.headline for s in list_stories(session)}
    people = {p.id: p.name for p in list_people(session)}
story_col, person_col, date_col = st.columns([3, 2, 2])
story_labels = {ANY: "All stories", DESK_WIDE: "Desk-wide: people, settings, glossary, sign-ins"}
story_id = story_col.selectbox(
    "Story", [ANY, DESK_WIDE, *stories], format_func=lambda i: story_labels.get(i) or stories[i]
)
person_id = person_col.selectbox(
    "Person",
    [ANY, *people],
    format_func=lambda i: "Everyone" if i == ANY else people[i],
    help="What the person did, and what was done to their account.",
)
today = datetime.now(UTC).date()
period = date_col.date_input("Dates", value=(today - timedelta(days=30), today))
since = until = None
if isinstance(period, tuple) and len(period) == 2:
    since = datetime.combine(period[0], time.min, tzinfo=UTC)
    until = datetime.combine(period[1], time.min, tzinfo=UTC) + timedelta(days=1)
with db() as session:
    lines = audit_log(
        session,
        story_id=story_id if story_id not in (ANY, DESK_WIDE) else None,
        desk_wide=story_id == DESK_WIDE,
        person_id=None if person_id == ANY else person_id,
        since=since,
        until=until,
    )
if not lines:
    st.info("Nothing happened that matches these filters.")
else:
    st.dataframe(
        [
            {
                "When (UTC)": line.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                "Concerns": line.concerns,
                "Language": language_name(line.lang) if line.lang else "",
                "Action": line.action,
                "Who": line.who,
                "From": line.from_state,
                "To": line.to_state,
                "Details": line.detail,
                "Comment": line.comment,
            }
            for line in lines
        ],
        hide_index=True,
        width="stretch",
        # Rows tall enough for text to wrap (the grid wraps from 4rem up), and widths that fit
        # the main column at 1440 px, so From, To and the comment are read whole.
        row_height=66,
        height=600,
        column_config={
            "When (UTC)": st.column_config.TextColumn(width=95),
            "Concerns": st.column_config.TextColumn(width=170),
            "Language": st.column_config.TextColumn(width=80),
            "Action": st.column_config.TextColumn(width=95),
            "Who": st.column_config.TextColumn(width=105),
            "From": st.column_config.TextColumn(width=100),
            "To": st.column_config.TextColumn(width=100),
            "Details": st.column_config.TextColumn(width=95),
            "Comment": st.column_config.TextColumn(width=135),
        },
    )
    st.caption(md("{} actions, newest first.", len(lines)))
