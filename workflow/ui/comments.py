"""Comment threads as the desk shows them: the editor's comment, the answers, and a reply box."""

from functools import partial

import streamlit as st

from workflow.comments import Remark, Thread, answer, thread_of
from workflow.models import Person
from workflow.states import Action, permitted
from workflow.ui.common import attempt, db, format_time, md

ss = st.session_state


def _remark(remark: Remark, *, first: bool) -> None:
    who = remark.author or "Someone"
    when = format_time(remark.created_at)
    if first:
        st.markdown(md(":orange[**{}**] · {}  \n{}", who, when, remark.text))
    else:
        st.markdown(
            md(":material/subdirectory_arrow_right: **{}** · {}  \n{}", who, when, remark.text)
        )


def _send(box: str) -> None:
    # The form empties its box once submitted: keep the text for the run that stores it.
    ss[f"{box}-asked"] = ss.get(box, "")


def thread_box(thread: Thread, person: Person, *, key: str) -> None:
    """Show a thread; people who work in its language may answer it.

    The Answer button records the wish; the answer is stored here, on the next run, before the
    thread and the box are drawn, so the thread shows it. Refused, the text goes back in the box.
    """
    box = f"answer-{key}"
    can_answer = permitted(person, Action.COMMENT, thread.lang)
    if can_answer and (text := ss.pop(f"{box}-asked", None)) is not None:
        with db() as session:
            done = attempt(
                partial(answer, session, comment_id=thread.comment.id, person=person, text=text)
            )
            # Refused, the text goes back in the box (nothing typed is lost); stored, it empties.
            ss[box] = text if done is None else ""
            if done is not None:
                thread = thread_of(session, thread.comment.id) or thread
    with st.container(border=True):
        _remark(thread.comment, first=True)
        for reply in thread.answers:
            _remark(reply, first=False)
        if can_answer:
            with st.form(f"{box}-form", clear_on_submit=True, border=False):
                st.text_area(
                    "Your answer",
                    key=box,
                    placeholder="Answer this comment",
                    label_visibility="collapsed",
                    height=68,
                )
                st.form_submit_button(
                    "Answer",
                    key=f"{box}-send",
                    icon=":material/reply:",
                    on_click=_send,
                    args=(box,),
                )
