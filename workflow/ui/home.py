"""My work: a person's home page. What is assigned to them, what came back with comments, what
went stale, soonest due first; for a manager, what is late and where the desk stands."""

from datetime import datetime
from functools import partial

import streamlit as st

from workflow import LANGUAGES
from workflow.assignments import WorkItem, came_back, my_work, open_to_take, take
from workflow.models import Person
from workflow.progress import version_totals
from workflow.states import Role, VersionState
from workflow.ui.common import (
    attempt,
    current_person,
    db,
    format_time,
    language_name,
    md,
    version_badge,
)
from workflow.ui.story_url import DESK, desk_address, open_story
from workflow.waiting import Waiting, waiting_on_translator

ss = st.session_state

TASKS = {
    "translate": "Translate",
    "review": "Review",
    "in review": "With the reviewer",
    "late": "Late",
}


def open_in_desk(story_id: int, lang: str, person: Person, *, attention: bool = False) -> None:
    """Open the story in the desk, in the view that suits the task; `attention` shows only
    what needs work (what came back, what went stale)."""
    view = lang if lang in person.language_codes or person.role is Role.ADMIN else "read"
    open_story(story_id, view, attention=attention)


def _take(story_id: int, lang: str, person: Person) -> None:
    with db() as session:
        taken = attempt(partial(take, session, story_id=story_id, lang=lang, person=person))
    if taken is not None:
        st.rerun()


def due_time(due_at: datetime | None, *, overdue: bool) -> None:
    text = format_time(due_at)
    if overdue:
        st.markdown(md(":red[**Overdue** · {}]", text))
    else:
        st.caption(md("Due {}", text) if due_at else "No due time")


def work_card(item: WorkItem, person: Person, key: str, *, free: bool = False) -> None:
    with st.container(border=True):
        head, due, action = st.columns([5, 2, 1], vertical_alignment="center")
        with head:
            st.markdown(
                md(
                    "**#{} {}** · {} · {}",
                    item.story_id,
                    item.headline,
                    language_name(item.lang),
                    TASKS.get(item.task, item.task),
                )
            )
            with st.container(horizontal=True):
                version_badge(item.state)
                if item.sent_back:
                    st.badge(f"{item.sent_back} sent back", icon=":material/reply:", color="orange")
                if item.stale:
                    st.badge(f"{item.stale} stale", icon=":material/warning:", color="red")
                if item.unfinished:
                    st.badge(f"{item.unfinished} of {item.paragraphs} to do", color="gray")
        with due:
            due_time(item.due_at, overdue=item.overdue)
        if free:
            if action.button("Take it", key=f"take-{key}", icon=":material/back_hand:"):
                _take(item.story_id, item.lang, person)
        elif action.button("Open", key=key, icon=":material/open_in_new:"):
            needs_work = bool(item.sent_back or item.stale) and item.task == "translate"
            open_in_desk(item.story_id, item.lang, person, attention=needs_work)


def worker_home(person: Person) -> None:
    with db() as session:
        items = my_work(session, person)
        returned = came_back(session, person)
        free = open_to_take(session, person)
    st.subheader("Assigned to you")
    if not items:
        st.info("Nothing is assigned to you right now.", icon=":material/done_all:")
    for n, item in enumerate(items):
        work_card(item, person, f"work-{n}")
    if returned:
        st.subheader("Came back with comments")
        for n, back in enumerate(returned):
            with st.container(border=True):
                head, action = st.columns([7, 1], vertical_alignment="center")
                where = {None: "the whole version", 0: "the headline"}.get(
                    back.position, f"paragraph {back.position}"
                )
                head.markdown(
                    md(
                        "**#{} {}** · {} · {}",
                        back.story_id,
                        back.headline,
                        language_name(back.lang),
                        where,
                    )
                )
                if back.thread is not None:
                    last = back.thread.last
                    head.caption(md("{}: {}", last.author or "Someone", last.text))
                if action.button("Open", key=f"back-{n}", icon=":material/open_in_new:"):
                    open_in_desk(back.story_id, back.lang, person, attention=True)
    if person.role in (Role.EDITOR, Role.ADMIN):
        waiting_list(person)
    if free:
        st.subheader("Nobody holds these yet")
        st.caption("In your languages, waiting for a translator or a reviewer.")
        for n, item in enumerate(free):
            work_card(item, person, f"free-{n}", free=True)


def _left_to_do(item: Waiting) -> str:
    if item.paragraphs:
        return f"{item.paragraphs} paragraph{'s' if item.paragraphs != 1 else ''} to fix"
    return "changes requested" if item.whole_version else "fixed, not submitted yet"


def waiting_list(editor: Person) -> None:
    """What this editor sent back and is with the translator, soonest due first; each row a
    link to the version on the desk."""
    with db() as session:
        waiting = waiting_on_translator(session, editor)
    if not waiting:
        return
    st.subheader("Sent back, waiting on the translator")
    st.caption("Back in translation until the translator submits it again.")
    for item in waiting:
        with st.container(border=True):
            head, due, action = st.columns([5, 2, 1], vertical_alignment="center")
            head.markdown(
                md(
                    "**#{} {}** · {} · {}",
                    item.story_id,
                    item.headline,
                    language_name(item.lang),
                    _left_to_do(item),
                )
            )
            head.caption(
                md(
                    "With {} · sent back {}",
                    item.translator or "nobody yet",
                    format_time(item.sent_back_at),
                )
            )
            with due:
                due_time(item.due_at, overdue=item.overdue)
            action.page_link(
                DESK, label="Open", icon=":material/open_in_new:",
                query_params=desk_address(item.story_id, item.lang),
            )  # fmt: skip


def manager_home(person: Person) -> None:
    with db() as session:
        late = my_work(session, person)
        totals = version_totals(session)
    columns = st.columns(len(LANGUAGES))
    for column, lang in zip(columns, LANGUAGES, strict=True):
        with column:
            st.markdown(md("**{}**", language_name(lang)))
            counts = totals.get(lang, {})
            for state in VersionState:
                if counts.get(state):
                    with st.container(horizontal=True):
                        version_badge(state)
                        st.markdown(md("{}", counts[state]))
    st.subheader("Late")
    if not late:
        st.success("Nothing is late.", icon=":material/schedule:")
    for n, item in enumerate(late):
        work_card(item, person, f"late-{n}")


person = current_person()
st.title("My work")
if person is not None:
    st.caption(md("{} · {}", person.name, person.role.label))
    if person.role is Role.MANAGER:
        manager_home(person)
    else:
        worker_home(person)
