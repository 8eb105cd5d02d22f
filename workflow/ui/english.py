"""The English of a story at the desk: edit it whole or a paragraph at a time, see its versions."""

from difflib import SequenceMatcher
from functools import partial

import streamlit as st

from workflow import sources
from workflow.errors import SourceConflict
from workflow.models import Person
from workflow.segmentation import split_paragraphs
from workflow.states import Action, permitted
from workflow.ui.common import attempt, db, escape_markdown, md, show_diff
from workflow.ui.story_url import said_of

ss = st.session_state


def english_view(story_id: int, person: Person) -> None:
    with db() as session:
        latest = sources.latest_version(session, story_id)
        # The version the editor sees and edits; an edit based on an older one is refused. The
        # boxes are keyed by it, so a saved or refused edit gives fresh boxes: a box never
        # keeps text of an English that has since changed, to be saved over a colleague's.
        shown = ss.setdefault(f"english-based-on-{story_id}", latest)
        paragraphs = sources.english_paragraphs(session, story_id, shown)
    if message := ss.pop("english-updated", None):
        st.success(said_of(message, story_id), icon=":material/check:")
    if shown != latest and not ss.get(f"english-conflict-{story_id}"):
        st.info(
            md(
                "English version {} was saved while you had version {} open. What you type "
                "here is kept until you save (your change is then applied to theirs) or look "
                "at theirs.",
                latest,
                shown,
            ),
            icon=":material/sync:",
        )
        st.button("Show the new English", key=f"english-refresh-{story_id}", on_click=_forget_edits)
    if ss.get(f"english-conflict-{story_id}"):
        conflict_box(story_id, person)
    elif not permitted(person, Action.EDIT_SOURCE):
        st.caption("Editors and admins edit the English; here it is as it stands.")
        for text in paragraphs:
            st.text(text)
    else:
        whole, one_by_one = st.tabs(["Whole text", "Paragraph by paragraph"])
        with whole:
            edit_whole(story_id, person, paragraphs, shown)
        with one_by_one:
            edit_paragraphs(story_id, person, paragraphs, shown)
    versions(story_id)


def _update(story_id: int, person: Person, paragraphs: list[str], based_on: int) -> None:
    if _save(story_id, person, paragraphs, based_on):
        st.rerun()


def _save(story_id: int, person: Person, paragraphs: list[str], based_on: int) -> bool:
    """Save the English; True when the page must be drawn again (saved, or a conflict)."""
    with db() as session:
        try:
            update = attempt(
                partial(
                    sources.update_source,
                    session,
                    story_id=story_id,
                    paragraphs=paragraphs,
                    person=person,
                    based_on=based_on,
                )
            )
        except SourceConflict as conflict:
            # Plain data, not the exception: its traceback would keep the closed session and
            # the whole alignment alive for as long as the box is shown.
            ss[f"english-conflict-{story_id}"] = {
                "message": str(conflict),
                "theirs": conflict.theirs,
                "yours": conflict.yours,
                "merged": sources.merge_edit(conflict.base, conflict.yours, conflict.theirs),
                "current_version": conflict.current_version,
                "saved_by": conflict.saved_by,
            }
            return True
    if update is None:
        return False
    _forget_edits()  # the boxes show the English as it now is
    ss["english-updated"] = update.summary()
    return True


def conflict_box(story_id: int, person: Person) -> None:
    """Someone saved the English while this editor was editing it: what differs, and a way on.

    When the two edits touched different paragraphs, the editor's change is applied to the
    colleague's English with one click; when both changed the same paragraphs, the editor
    chooses whose text stands, having seen both.
    """
    conflict = ss[f"english-conflict-{story_id}"]
    st.warning(escape_markdown(conflict["message"]), icon=":material/sync_problem:")
    theirs, yours = conflict["theirs"], conflict["yours"]
    st.caption(
        md(
            "The paragraphs where their English (version {}, by {}) and yours differ: "
            "struck through is only in theirs, bold only in yours.",
            conflict["current_version"],
            conflict["saved_by"] or "someone",
        )
    )
    for old, new in differing_paragraphs(theirs, yours):
        with st.container(border=True):
            show_diff(old, new)
    again = partial(_resolve, story_id, person, based_on=conflict["current_version"])
    with st.container(horizontal=True):
        if conflict["merged"] is not None:
            st.button(
                "Apply my change to their English",
                key=f"english-merge-{story_id}",
                type="primary",
                on_click=again,
                args=(conflict["merged"],),
                help="Your edit, made on their version: what they changed stays.",
            )
        else:
            st.caption("You both changed the same paragraphs: choose whose text stands.")
            st.button(
                "Replace theirs with mine",
                key=f"english-keep-{story_id}",
                on_click=again,
                args=(yours,),
            )
        st.button("Take theirs", key=f"english-take-{story_id}", on_click=_forget_edits)


def differing_paragraphs(theirs: list[str], yours: list[str]) -> list[tuple[str, str]]:
    """Each run of paragraphs where the two Englishes differ, as (theirs, yours) texts."""
    matcher = SequenceMatcher(None, theirs, yours, autojunk=False)
    return [
        (" ¶ ".join(theirs[i1:i2]), " ¶ ".join(yours[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _resolve(story_id: int, person: Person, paragraphs: list[str], *, based_on: int) -> None:
    del ss[f"english-conflict-{story_id}"]
    _save(story_id, person, paragraphs, based_on)  # a callback: the page is drawn after it


def _forget_edits() -> None:
    for key in [k for k in ss if str(k).startswith("english-")]:
        del ss[key]


def edit_whole(story_id: int, person: Person, paragraphs: list[str], shown: int) -> None:
    with st.form(f"english-whole-{story_id}-{shown}"):
        text = st.text_area(
            "English, headline first; blank lines separate paragraphs",
            value="\n\n".join(paragraphs),
            height=420,
            key=f"english-whole-text-{story_id}-{shown}",
        )
        if st.form_submit_button("Update English", type="primary"):
            _update(story_id, person, split_paragraphs(text), shown)


def edit_paragraphs(story_id: int, person: Person, paragraphs: list[str], shown: int) -> None:
    for position, text in enumerate(paragraphs):
        key = f"english-paragraph-{story_id}-{shown}-{position}"
        label = "Headline" if position == 0 else f"Paragraph {position}"
        new = st.text_area(label, value=text, key=key, height="content")
        if st.button("Save paragraph", key=f"english-save-{story_id}-{shown}-{position}"):
            edited = [*paragraphs]
            edited[position : position + 1] = [new] if new.strip() else []
            _update(story_id, person, edited, shown)


def versions(story_id: int) -> None:
    with db() as session:
        found = sources.source_versions(session, story_id)
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
