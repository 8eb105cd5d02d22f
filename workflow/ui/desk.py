"""The desk: a story's English beside its Russian and Ukrainian, to read, edit and review."""

from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow import LANGUAGES
from workflow.desk import desk_rows
from workflow.errors import EditConflict
from workflow.models import Person
from workflow.progress import version_progress
from workflow.states import (
    Action,
    Role,
    TranslationState,
    VersionState,
    permitted,
    translation_actions,
    version_actions,
)
from workflow.stories import list_stories
from workflow.translations import approve_translation, mark_translated, save_translation, send_back
from workflow.ui.common import (
    attempt,
    current_person,
    engine,
    escape_markdown,
    language_name,
    state_badge,
    version_badge,
)
from workflow.versions import (
    approve_version,
    get_version,
    latest_request,
    publish_version,
    request_changes,
    submit_version,
)

READ = "read"
ss = st.session_state


def pick_story() -> int | None:
    with Session(engine()) as session:
        stories = {story.id: story.headline for story in list_stories(session)}
    if not stories:
        st.info("No stories yet: import one on the Stories page.")
        return None
    if ss.get("story_id") not in stories:
        ss["story_id"] = next(iter(stories))
    st.selectbox("Story", list(stories), format_func=stories.__getitem__, key="story_id")
    return int(ss["story_id"])


def pick_view(person: Person) -> str:
    options = [READ, *LANGUAGES]
    if ss.get("desk_view") not in options:
        own = [lang for lang in LANGUAGES if lang in person.language_codes]
        ss["desk_view"] = own[0] if person.role is Role.TRANSLATOR and own else READ
    return st.radio(
        "View",
        options,
        format_func=lambda v: "Read EN | RU | UK" if v == READ else f"Edit {language_name(v)}",
        horizontal=True,
        key="desk_view",
        label_visibility="collapsed",
    )


def reading_view(story_id: int) -> None:
    with Session(engine()) as session:
        rows = desk_rows(session, story_id)
        versions = {lang: get_version(session, story_id, lang).state for lang in LANGUAGES}
    heads = st.columns(1 + len(LANGUAGES))
    heads[0].markdown("**English**")
    for column, lang in zip(heads[1:], LANGUAGES, strict=True):
        with column:
            st.markdown(f"**{language_name(lang)}**")
            version_badge(versions[lang])
    for row in rows:
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
                        st.badge("English changed", color="red")


def version_panel(story_id: int, lang: str, person: Person) -> None:
    with Session(engine()) as session:
        state = VersionState(get_version(session, story_id, lang).state)
        progress = version_progress(session, story_id, lang)
        request = latest_request(session, story_id, lang)
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"#### {language_name(lang)} version")
        version_badge(state)
        approved = progress.count(TranslationState.APPROVED)
        summary = " · ".join(
            f"{progress.count(s)} {s.label.lower()}" for s in TranslationState if progress.count(s)
        )
        st.progress(
            approved / max(progress.paragraphs, 1),
            text=f"{approved} of {progress.paragraphs} approved · {summary}",
        )
        if progress.stale:
            st.warning(f"{progress.stale} paragraphs changed in English after translation.")
        if request and state is VersionState.IN_TRANSLATION:
            comment, who = request
            who = escape_markdown(who or "an editor")
            st.warning(f"Changes requested by {who}: {escape_markdown(comment)}")
    with right:
        version_actions_bar(story_id, lang, person, state)


def version_actions_bar(story_id: int, lang: str, person: Person, state: VersionState) -> None:
    simple = {
        Action.SUBMIT: ("Submit for review", submit_version),
        Action.APPROVE_VERSION: ("Approve version", approve_version),
        Action.PUBLISH: ("Publish", publish_version),
    }
    actions = version_actions(person, lang, state)
    for action in actions:
        if action in simple:
            label, move = simple[action]
            if st.button(label, key=f"version-{action}-{lang}", type="primary"):
                with Session(engine()) as session:
                    if attempt(partial(move, session, story_id=story_id, lang=lang, person=person)):
                        st.rerun()
    if Action.REQUEST_CHANGES in actions:
        with st.popover("Request changes"):
            comment = st.text_area("What needs changing", key=f"request-comment-{lang}")
            if st.button("Send back to translation", key=f"request-{lang}"):
                with Session(engine()) as session:
                    done = attempt(
                        lambda: request_changes(
                            session, story_id=story_id, lang=lang, person=person, comment=comment
                        )
                    )
                if done:
                    st.rerun()
    if not actions:
        st.caption(f"As a {person.role.value} you have no action on this version now.")


@st.fragment
def paragraph_editor(story_id: int, paragraph_id: int, lang: str, person_id: int) -> None:
    """One paragraph beside its English; saving reruns only this fragment, not the page."""
    with Session(engine()) as session:
        row = desk_rows(session, story_id, paragraph_id=paragraph_id)[0]
        version_state = VersionState(get_version(session, story_id, lang).state)
        person = session.get(Person, person_id)
    assert person is not None
    t = row.translations[lang]
    key, base_key, loaded_key = f"text-{t.id}", f"base-{t.id}", f"loaded-{t.id}"
    if key not in ss or (ss[key] == ss.get(loaded_key) and ss.get(base_key) != t.version):
        # Show the stored text unless the person has typed something not yet saved.
        ss[key], ss[loaded_key], ss[base_key] = t.text, t.text, t.version

    with st.container(border=True):
        english, target = st.columns(2)
        with english:
            st.caption("Headline" if row.is_headline else f"Paragraph {row.position}")
            st.text(row.english)
            for other in LANGUAGES:
                if other != lang and row.translations[other].text:
                    st.caption(
                        f"{language_name(other)}: {escape_markdown(row.translations[other].text)}"
                    )
        with target:
            badges = st.container(horizontal=True)
            with badges:
                state_badge(t.state)
                if t.stale:
                    st.badge("English changed since translation", color="red")
                if t.origin.startswith("machine"):
                    st.badge("Machine text", color="violet")
            can_edit = permitted(person, Action.SAVE, lang, version_state)
            st.text_area(
                f"{language_name(lang)} translation",
                key=key,
                height="content",
                disabled=not can_edit,
                label_visibility="collapsed",
            )
            if t.stale and t.made_from:
                with st.expander("English this was translated from"):
                    st.text(t.made_from)
            if flash := ss.pop(f"flash-{t.id}", None):
                st.success(flash, icon=":material/check:")
            if not can_edit and version_state is VersionState.IN_REVIEW:
                st.caption("Submitted for review: the editors have this version now.")
            conflict_box(t.id, key, base_key, loaded_key)
            paragraph_actions(
                t.id, t.state, lang, version_state, person, key, base_key, loaded_key, can_edit
            )


def paragraph_actions(
    translation_id: int,
    state: TranslationState,
    lang: str,
    version_state: VersionState,
    person: Person,
    key: str,
    base_key: str,
    loaded_key: str,
    can_edit: bool,
) -> None:
    bar = st.container(horizontal=True)
    with bar:
        if can_edit and st.button("Save", key=f"save-{translation_id}", type="primary"):
            save(translation_id, person, key, base_key, loaded_key, ss[base_key])
        simple = {
            Action.MARK_TRANSLATED: ("Mark translated", mark_translated, "Marked translated."),
            Action.APPROVE: ("Approve", approve_translation, "Approved."),
        }
        actions = translation_actions(person, lang, version_state, state)
        for action in actions:
            if action in simple:
                label, change, message = simple[action]
                if st.button(label, key=f"{action}-{translation_id}"):
                    with Session(engine()) as session:
                        done = attempt(
                            partial(change, session, translation_id=translation_id, person=person)
                        )
                    if done:
                        ss[f"flash-{translation_id}"] = message
                        st.rerun(scope="fragment")
        if Action.SEND_BACK in actions:
            with st.popover("Send back"):
                comment = st.text_input("Why", key=f"send-back-comment-{translation_id}")
                if st.button("Send back to translator", key=f"send-back-{translation_id}"):
                    with Session(engine()) as session:
                        done = attempt(
                            lambda: send_back(
                                session,
                                translation_id=translation_id,
                                person=person,
                                comment=comment,
                            )
                        )
                    if done:
                        ss[f"flash-{translation_id}"] = "Sent back to the translator."
                        st.rerun(scope="fragment")


def save(
    translation_id: int, person: Person, key: str, base_key: str, loaded_key: str, base: int
) -> None:
    text = ss[key]
    with Session(engine()) as session:
        try:
            saved = attempt(
                lambda: save_translation(
                    session,
                    translation_id=translation_id,
                    text=text,
                    person=person,
                    base_version=base,
                )
            )
        except EditConflict as conflict:
            ss[f"conflict-{translation_id}"] = conflict
            st.rerun(scope="fragment")
    if saved is not None:
        ss[loaded_key], ss[base_key] = saved.text, saved.version
        ss.pop(f"conflict-{translation_id}", None)
        ss[f"flash-{translation_id}"] = "Saved."
        st.rerun(scope="fragment")


def _take_theirs(key: str, base_key: str, loaded_key: str, conflict_key: str) -> None:
    conflict: EditConflict = ss.pop(conflict_key)
    ss[key] = ss[loaded_key] = conflict.current_text
    ss[base_key] = conflict.current_version


def conflict_box(translation_id: int, key: str, base_key: str, loaded_key: str) -> None:
    conflict_key = f"conflict-{translation_id}"
    conflict: EditConflict | None = ss.get(conflict_key)
    if conflict is None:
        return
    st.warning(str(conflict), icon=":material/sync_problem:")
    st.caption(f"Saved by {escape_markdown(conflict.saved_by or 'someone')}:")
    st.text(conflict.current_text or "(empty)")
    st.caption("Your text is still in the box above and has not been saved.")
    keep, take = st.columns(2)
    if keep.button("Keep mine", key=f"keep-{translation_id}"):
        ss[base_key] = conflict.current_version
        ss.pop(conflict_key)
        st.rerun(scope="fragment")
    take.button(
        "Take theirs",
        key=f"take-{translation_id}",
        on_click=_take_theirs,
        args=(key, base_key, loaded_key, conflict_key),
    )


def editing_view(story_id: int, lang: str, person: Person) -> None:
    version_panel(story_id, lang, person)
    with Session(engine()) as session:
        paragraph_ids = [row.paragraph_id for row in desk_rows(session, story_id)]
    for paragraph_id in paragraph_ids:
        assert person.id is not None
        paragraph_editor(story_id, paragraph_id, lang, person.id)


person = current_person()
st.title("Desk")
if person is not None and (story_id := pick_story()) is not None:
    view = pick_view(person)
    if view == READ:
        reading_view(story_id)
    else:
        editing_view(story_id, view, person)
