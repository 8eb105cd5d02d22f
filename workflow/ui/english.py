"""The English of a story at the desk: edit it whole or a paragraph at a time, see its versions."""

from functools import partial

import streamlit as st

from workflow.errors import SourceConflict
from workflow.models import Person
from workflow.segmentation import split_paragraphs
from workflow.sources import current_paragraphs, latest_version, source_versions, update_source
from workflow.states import Action, permitted
from workflow.ui.common import attempt, db, escape_markdown, md, show_diff

ss = st.session_state


def english_view(story_id: int, person: Person) -> None:
    with db() as session:
        paragraphs = [p.text for p in current_paragraphs(session, story_id)]
        # The version the editor sees; an edit based on an older one is refused.
        ss.setdefault(f"english-based-on-{story_id}", latest_version(session, story_id))
    if message := ss.pop("english-updated", None):
        st.success(escape_markdown(message), icon=":material/check:")
    conflict_box(story_id)
    if not permitted(person, Action.EDIT_SOURCE):
        st.caption("Editors and admins edit the English; here it is as it stands.")
        for text in paragraphs:
            st.text(text)
    else:
        whole, one_by_one = st.tabs(["Whole text", "Paragraph by paragraph"])
        with whole:
            edit_whole(story_id, person, paragraphs)
        with one_by_one:
            edit_paragraphs(story_id, person, paragraphs)
    versions(story_id)


def _update(story_id: int, person: Person, paragraphs: list[str]) -> None:
    with db() as session:
        try:
            update = attempt(
                partial(
                    update_source,
                    session,
                    story_id=story_id,
                    paragraphs=paragraphs,
                    person=person,
                    based_on=ss.get(f"english-based-on-{story_id}"),
                )
            )
        except SourceConflict as conflict:
            # Shown above the boxes, which keep yours. Plain data, not the exception: its
            # traceback would keep the closed session and the whole alignment alive.
            ss[f"english-conflict-{story_id}"] = {
                "message": str(conflict),
                "theirs": conflict.theirs,
                "yours": conflict.yours,
                "current_version": conflict.current_version,
                "saved_by": conflict.saved_by,
            }
            st.rerun()
    if update is None:
        return
    _forget_edits()  # the boxes show the English as it now is
    ss["english-updated"] = update.summary()
    st.rerun()


def conflict_box(story_id: int) -> None:
    """Someone saved the English while this editor was editing it: both texts, and a choice."""
    conflict: dict | None = ss.get(f"english-conflict-{story_id}")
    if conflict is None:
        return
    st.warning(escape_markdown(conflict["message"]), icon=":material/sync_problem:")
    st.caption(
        md(
            "Their English (version {}, by {}) against yours: "
            "struck through is only in theirs, bold only in yours; ¶ separates paragraphs.",
            conflict["current_version"],
            conflict["saved_by"] or "someone",
        )
    )
    show_diff(" ¶ ".join(conflict["theirs"]), " ¶ ".join(conflict["yours"]))
    st.caption("Your text is still in the boxes below. Keep mine, then update, to replace theirs.")
    with st.container(horizontal=True):
        st.button(
            "Keep mine", key=f"english-keep-{story_id}", on_click=_keep_mine, args=(story_id,)
        )
        st.button("Take theirs", key=f"english-take-{story_id}", on_click=_forget_edits)


def _keep_mine(story_id: int) -> None:
    conflict = ss.pop(f"english-conflict-{story_id}")
    ss[f"english-based-on-{story_id}"] = conflict["current_version"]


def _forget_edits() -> None:
    for key in [k for k in ss if str(k).startswith("english-")]:
        del ss[key]


def edit_whole(story_id: int, person: Person, paragraphs: list[str]) -> None:
    with st.form(f"english-whole-{story_id}"):
        text = st.text_area(
            "English, headline first; blank lines separate paragraphs",
            value="\n\n".join(paragraphs),
            height=420,
            key=f"english-whole-text-{story_id}",
        )
        if st.form_submit_button("Update English", type="primary"):
            _update(story_id, person, split_paragraphs(text))


def edit_paragraphs(story_id: int, person: Person, paragraphs: list[str]) -> None:
    for position, text in enumerate(paragraphs):
        key = f"english-paragraph-{story_id}-{position}"
        label = "Headline" if position == 0 else f"Paragraph {position}"
        new = st.text_area(label, value=text, key=key, height="content")
        if st.button("Save paragraph", key=f"english-save-{story_id}-{position}"):
            edited = [*paragraphs]
            edited[position : position + 1] = [new] if new.strip() else []
            _update(story_id, person, edited)


def versions(story_id: int) -> None:
    with db() as session:
        found = source_versions(session, story_id)
    with st.expander(f"Versions of the English ({len(found)})"):
        for version, author in found:
            when = version.created_at.strftime("%Y-%m-%d %H:%M")
            who = author or "the command line"
            st.markdown(md("**Version {}** · {} UTC · {}", version.number, when, who))
            if version.summary:
                st.caption(escape_markdown(version.summary))
        if len(found) > 1:
            numbers = [v.number for v, _ in found]
            shown = st.selectbox(
                "Compare with the current English", numbers[1:], key="english-compare"
            )
            old = next(v for v, _ in found if v.number == shown)
            show_diff(old.text.replace("\n\n", " ¶ "), found[0][0].text.replace("\n\n", " ¶ "))
