"""The desk: a story's English beside its Russian and Ukrainian, to read, edit and review."""

from datetime import datetime
from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow import LANGUAGES
from workflow.desk import desk_rows
from workflow.errors import EditConflict, UneditedMachineText
from workflow.exports import MEDIA_TYPES, published_version
from workflow.exports import WRITERS as EXPORT_WRITERS
from workflow.flags import describe_errors, open_errors
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
from workflow.translations import (
    approve_translation,
    confirm_translation,
    mark_translated,
    save_translation,
    send_back,
)
from workflow.ui.assignments import assignment_panel
from workflow.ui.comments import thread_box
from workflow.ui.common import (
    attempt,
    current_person,
    db,
    escape_markdown,
    language_name,
    md,
    remember,
    restore,
    show_diff,
    state_badge,
    version_badge,
)
from workflow.ui.drafting import (
    carry_out_dismissal,
    draft_button,
    embargo_toggle,
    machine_summary,
    origin_badge,
    suggestions,
)
from workflow.ui.english import english_view
from workflow.ui.exchange import exchange_panel
from workflow.ui.flags import carry_out_override, flag_list
from workflow.ui.history import carry_out_revert, history_panel
from workflow.versions import (
    approve_version,
    get_version,
    latest_request,
    publish_version,
    request_changes,
    submit_version,
)

READ = "read"
ENGLISH = "en"
ss = st.session_state


def pick_story() -> int | None:
    with db() as session:
        stories = {story.id: story.headline for story in list_stories(session)}
    if not stories:
        st.info("No stories yet: import one on the Stories page.")
        return None
    restore("story_id")
    if ss.get("story_id") not in stories:
        ss["story_id"] = next(iter(stories))
    st.selectbox("Story", list(stories), format_func=stories.__getitem__, key="story_id")
    remember("story_id")
    return int(ss["story_id"])


VIEW_NAMES = {READ: "Read EN | RU | UK", ENGLISH: "English", **{
    lang: f"Edit {name}" for lang, name in LANGUAGES.items()
}}  # fmt: skip


def pick_view(person: Person) -> str:
    options = [READ, *LANGUAGES, ENGLISH]
    restore("desk_view")
    restore("attention_only")
    if ss.get("desk_view") not in options:
        own = [lang for lang in LANGUAGES if lang in person.language_codes]
        ss["desk_view"] = own[0] if person.role is Role.TRANSLATOR and own else READ
    left, right = st.columns([3, 1], vertical_alignment="center")
    with left:
        view = st.radio(
            "View",
            options,
            format_func=VIEW_NAMES.__getitem__,
            horizontal=True,
            key="desk_view",
            label_visibility="collapsed",
        )
    with right:
        if view != ENGLISH:
            st.toggle("Only what needs attention", key="attention_only")
    remember("desk_view")
    remember("attention_only")
    return view


def reading_view(story_id: int) -> None:
    with db() as session:
        rows = desk_rows(session, story_id)
        versions = {lang: get_version(session, story_id, lang).state for lang in LANGUAGES}
    heads = st.columns(1 + len(LANGUAGES))
    heads[0].markdown("**English**")
    for column, lang in zip(heads[1:], LANGUAGES, strict=True):
        with column:
            st.markdown(md("**{}**", language_name(lang)))
            version_badge(versions[lang])
    for row in rows:
        if ss.get("attention_only") and not row.needs_attention:
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


def version_panel(story_id: int, lang: str, person: Person) -> None:
    with db() as session:
        progress = version_progress(session, story_id, lang)
        request = latest_request(session, story_id, lang)
        errors = open_errors(session, story_id, lang)
    state = progress.state
    left, right = st.columns([3, 2])
    with left:
        st.markdown(md("#### {} version", language_name(lang)))
        version_badge(state)
        approved = progress.count(TranslationState.APPROVED)
        summary = " · ".join(
            [
                f"{progress.count(s)} {s.label.lower()}"
                for s in TranslationState
                if progress.count(s) and s is not TranslationState.APPROVED
            ]
            + ([f"{progress.stale} stale"] if progress.stale else [])
        )
        st.progress(
            approved / max(progress.paragraphs, 1),
            text=md("{} of {} approved · {}", approved, progress.paragraphs, summary),
        )
        if progress.stale:
            st.error(
                md(
                    "{} paragraph{} changed in English after translation: edit each, or "
                    "confirm it is still valid.",
                    progress.stale,
                    "s" if progress.stale != 1 else "",
                ),
                icon=":material/warning:",
            )
        if progress.check:
            st.info(
                md(
                    "{} paragraph{} had a minor English edit (spelling, punctuation): a "
                    "glance is enough.",
                    progress.check,
                    "s" if progress.check != 1 else "",
                ),
                icon=":material/visibility:",
            )
        if errors:
            st.error(
                md(
                    "Checks found {} error{} nobody fixed or overrode ({}): approving and "
                    "publishing wait for them.",
                    len(errors),
                    "s" if len(errors) != 1 else "",
                    describe_errors(errors),
                ),
                icon=":material/rule:",
            )
        assignment_panel(story_id, lang, person)
        if request and state in (VersionState.IN_TRANSLATION, VersionState.IN_REVIEW):
            st.caption("Changes requested for the whole version:")
            thread_box(request, person, key=f"version-{story_id}-{lang}")
    with right:
        version_actions_bar(story_id, lang, person, state)
        draft_button(story_id, lang, person, state)
        if state in (VersionState.APPROVED, VersionState.PUBLISHED):
            export_buttons(story_id, lang)


def export_buttons(story_id: int, lang: str) -> None:
    """Downloads of the approved text, for the site: Markdown, clean HTML, JSON."""
    with db() as session:
        version = attempt(partial(published_version, session, story_id, lang))
    if version is None:
        return
    with st.container(horizontal=True):
        for name, write in EXPORT_WRITERS.items():
            st.download_button(
                name.upper(),
                data=write(version).encode("utf-8"),
                file_name=f"story-{story_id}-{lang}.{name}",
                mime=MEDIA_TYPES[name],
                key=f"export-{name}-{lang}",
                icon=":material/download:",
            )


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
                with db() as session:
                    try:
                        done = attempt(
                            partial(move, session, story_id=story_id, lang=lang, person=person)
                        )
                    except UneditedMachineText as unedited:
                        ss[f"unedited-{lang}"] = str(unedited)
                        done = None
                if done:
                    st.rerun()
    if warning := ss.get(f"unedited-{lang}"):
        st.warning(escape_markdown(warning), icon=":material/smart_toy:")
        if st.button("Approve anyway", key=f"approve-anyway-{lang}"):
            ss.pop(f"unedited-{lang}")
            with db() as session:
                approve = partial(
                    approve_version, session, story_id=story_id, lang=lang, person=person,
                    accept_unedited=True,
                )  # fmt: skip
                if attempt(approve):
                    st.rerun()
    if Action.REQUEST_CHANGES in actions:
        with st.popover("Request changes"):
            comment = st.text_area("What needs changing", key=f"request-comment-{lang}")
            if st.button("Send back to translation", key=f"request-{lang}"):
                with db() as session:
                    done = attempt(
                        lambda: request_changes(
                            session, story_id=story_id, lang=lang, person=person, comment=comment
                        )
                    )
                if done:
                    st.rerun()
    if not actions:
        st.caption(md("As {} you have no action on this version now.", person.role.with_article))


@st.fragment
def paragraph_editor(story_id: int, paragraph_id: int, lang: str, person_id: int) -> None:
    """One paragraph beside its English; its buttons rerun only this fragment, not the page.

    Buttons only record what was asked (`_ask`); the fragment carries it out first thing on its
    next run, then draws the paragraph as it now is, so no extra rerun is needed.
    """
    carry_out_dismissal()
    with db() as session:
        person = session.get(Person, person_id)
        assert person is not None
        revert_key = f"revert-asked-{paragraph_id}-{lang}"
        if reverted := carry_out_revert(revert_key, person):
            translation_id, text = reverted
            done = _Keys(translation_id)
            ss[done.text] = ss[done.loaded] = text
            ss.pop(done.draft, None)
            ss[done.flash] = "Reverted: the earlier text is back, as a new revision."
        carry_out_override(session, person, paragraph_id, lang)
        if request := ss.pop(f"asked-{paragraph_id}-{lang}", None):
            before = _states(session, story_id, paragraph_id, lang)
            carry_out(session, person, *request)
            if _states(session, story_id, paragraph_id, lang) != before:
                st.rerun()  # a state moved: the version's progress at the top must follow
        found = desk_rows(session, story_id, paragraph_id=paragraph_id)
        version_state = version_progress(session, story_id, lang).state
    if not found:
        st.caption("This paragraph was removed from the English; reload the story.")
        return
    row = found[0]
    t = row.translations[lang]
    keys = _Keys(t.id)
    if keys.text not in ss and keys.draft in ss:
        ss[keys.text] = ss[keys.draft]  # unsaved typing, kept while the person looked elsewhere
    if keys.text not in ss or (ss[keys.text] == ss.get(keys.loaded) and ss[keys.base] != t.version):
        # Show the stored text unless the person has typed something not yet saved.
        ss[keys.text], ss[keys.loaded], ss[keys.base] = t.text, t.text, t.version

    with st.container(border=True):
        english, target = st.columns(2)
        with english:
            st.caption("Headline" if row.is_headline else md("Paragraph {}", row.position))
            st.text(row.english)
            for other in LANGUAGES:
                if other != lang and row.translations[other].text:
                    reference = row.translations[other].text
                    st.caption(md("{}: {}", language_name(other), reference))
        with target:
            with st.container(horizontal=True):
                state_badge(t.state)
                if t.stale:
                    st.badge(
                        "English changed since translation", icon=":material/warning:", color="red"
                    )
                elif t.check_from is not None:
                    st.badge(
                        "Check: minor English edit", icon=":material/visibility:", color="yellow"
                    )
                origin_badge(t)
            flag_list(t, person, paragraph_id)
            if t.stale and t.made_from is not None:
                st.caption("What changed in the English since this was translated:")
                show_diff(t.made_from, row.english)
            elif t.check_from is not None:
                st.caption("Minor English edit:")
                show_diff(t.check_from, row.english)
            can_edit = permitted(person, Action.SAVE, lang, version_state)
            if can_edit:
                suggestions(t, row.english, keys.text, person)
            if t.thread is not None:
                thread_box(t.thread, person, key=f"paragraph-{t.id}")
            st.text_area(
                f"{language_name(lang)} translation",
                key=keys.text,
                height="content",
                disabled=not can_edit,
                label_visibility="collapsed",
                on_change=_keep_draft,
                args=(keys,),
            )
            if message := ss.pop(keys.flash, None):
                st.success(escape_markdown(message), icon=":material/check:")
            if not can_edit and version_state is VersionState.IN_REVIEW:
                st.caption(
                    "Submitted for review: the editors have this version now."
                    + (
                        " To update it to the new English, an editor fixes it here or requests"
                        " changes, which gives the version back to you."
                        if t.stale
                        else ""
                    )
                )
            conflict_box(keys)
            history_panel(t, keys.base, f"revert-asked-{paragraph_id}-{lang}")
            asked = f"asked-{paragraph_id}-{lang}"
            with st.container(horizontal=True):
                if can_edit:
                    st.button(
                        "Save",
                        key=f"save-{t.id}",
                        type="primary",
                        on_click=_ask,
                        args=(asked, Action.SAVE, keys),
                    )
                actions = translation_actions(person, lang, version_state, t.state)
                if (t.stale or t.check_from is not None) and permitted(
                    person, Action.CONFIRM, lang, version_state
                ):
                    st.button(
                        "Still valid",
                        key=f"confirm-{t.id}",
                        on_click=_ask,
                        args=(asked, Action.CONFIRM, keys),
                        help="The translation already says what the new English says.",
                    )
                for action in (Action.MARK_TRANSLATED, Action.APPROVE):
                    if action in actions:
                        st.button(
                            action.capitalize(),
                            key=f"{action}-{t.id}",
                            on_click=_ask,
                            args=(asked, action, keys),
                        )
                if Action.SEND_BACK in actions:
                    with st.popover("Send back"):
                        st.text_input("Why", key=keys.comment)
                        st.button(
                            "Send back to translator",
                            key=f"send-back-{t.id}",
                            on_click=_ask,
                            args=(asked, Action.SEND_BACK, keys),
                        )


class _Keys:
    """Session-state keys of one paragraph editor (UI state only: the text lives in the box)."""

    def __init__(self, translation_id: int) -> None:
        self.id = translation_id
        self.text = f"text-{translation_id}"
        self.base = f"base-{translation_id}"  # the version the box's text was loaded from
        self.loaded = f"loaded-{translation_id}"
        self.flash = f"flash-{translation_id}"
        self.conflict = f"conflict-{translation_id}"
        self.comment = f"send-back-comment-{translation_id}"
        self.draft = f"draft-{translation_id}"  # a copy Streamlit keeps when the box is not drawn
        self.used = f"used-{translation_id}"  # the suggestion (text, origin) put in the box


def _ask(asked: str, action: Action, keys: _Keys) -> None:
    ss[asked] = (action, keys)


def _keep_draft(keys: _Keys) -> None:
    ss[keys.draft] = ss[keys.text]


def _states(session: Session, story_id: int, paragraph_id: int, lang: str) -> tuple[object, ...]:
    rows = desk_rows(session, story_id, paragraph_id=paragraph_id)
    t = rows[0].translations[lang] if rows else None
    version = version_progress(session, story_id, lang).state
    return (t.state, t.stale, t.check_from is not None, version) if t else (version,)


def _save(session: Session, person: Person, keys: _Keys) -> bool:
    """Save the box's text; False when it could not be saved (and the person was told why)."""
    base = ss[keys.base]
    try:
        saved = attempt(
            partial(
                save_translation,
                session,
                translation_id=keys.id,
                text=ss[keys.text],
                person=person,
                base_version=base,
                draft=ss.get(keys.used),
            )
        )
    except EditConflict as conflict:
        ss[keys.conflict] = conflict
        return False
    if saved is None:
        return False
    ss[keys.flash] = (
        "Saved." if saved.version != base else "Nothing to save: the text is unchanged."
    )
    ss[keys.text] = ss[keys.loaded] = saved.text
    ss[keys.base] = saved.version
    ss.pop(keys.conflict, None)
    ss.pop(keys.draft, None)
    ss.pop(keys.used, None)
    return True


def carry_out(session: Session, person: Person, action: Action, keys: _Keys) -> None:
    """Carry out what a paragraph's button asked for, with the text and version in the box.

    Text typed but not saved is saved first: marking, approving or confirming acts on what the
    person sees, never on an older text behind it.
    """
    if action is Action.SAVE:
        _save(session, person, keys)
        return
    unsaved = ss.get(keys.text, "") != ss.get(keys.loaded, "")
    if unsaved and not _save(session, person, keys):
        return
    change, message = {
        Action.MARK_TRANSLATED: (mark_translated, "Marked translated."),
        Action.APPROVE: (approve_translation, "Approved."),
        Action.CONFIRM: (confirm_translation, "Confirmed: still valid."),
        Action.SEND_BACK: (
            partial(send_back, comment=ss.get(keys.comment, "")),
            "Sent back to the translator.",
        ),
    }[action]
    done = attempt(
        partial(change, session, translation_id=keys.id, person=person, seen_version=ss[keys.base])
    )
    if done:
        ss[keys.flash] = message


def _keep_mine(keys: _Keys) -> None:
    conflict: EditConflict = ss.pop(keys.conflict)
    ss[keys.base] = conflict.current_version


def _take_theirs(keys: _Keys) -> None:
    conflict: EditConflict = ss.pop(keys.conflict)
    ss[keys.text] = ss[keys.loaded] = conflict.current_text
    ss[keys.base] = conflict.current_version


def conflict_box(keys: _Keys) -> None:
    conflict: EditConflict | None = ss.get(keys.conflict)
    if conflict is None:
        return
    # The message names whoever saved: a name is text a person typed.
    st.warning(escape_markdown(str(conflict)), icon=":material/sync_problem:")
    when = (
        conflict.saved_at.strftime("%H:%M:%S UTC")
        if isinstance(conflict.saved_at, datetime)
        else "a moment ago"
    )
    st.caption(md("Saved by {} at {}:", conflict.saved_by or "someone", when))
    st.text(conflict.current_text or "(empty)")
    st.caption("Your text is still in the box above. Keep mine, then Save, to replace theirs.")
    with st.container(horizontal=True):
        st.button("Keep mine", key=f"keep-{keys.id}", on_click=_keep_mine, args=(keys,))
        st.button("Take theirs", key=f"take-{keys.id}", on_click=_take_theirs, args=(keys,))


def editing_view(story_id: int, lang: str, person: Person) -> None:
    carry_out_dismissal()
    version_panel(story_id, lang, person)
    exchange_panel(story_id, lang, person)
    with db() as session:
        rows = desk_rows(session, story_id)
    machine_summary(rows, lang)
    attention_only = ss.get("attention_only", False)
    paragraph_ids = []
    for row in rows:
        translation = row.translations[lang]
        if not attention_only or translation.needs_attention:
            paragraph_ids.append(row.paragraph_id)
        elif message := ss.pop(_Keys(translation.id).flash, None):
            # Just resolved, so filtered out: say so where the paragraph was.
            where = "headline" if row.is_headline else f"paragraph {row.position}"
            st.success(md("{} ({})", message, where))
    if attention_only and not paragraph_ids:
        st.success(md("Nothing in the {} version needs attention.", language_name(lang)))
    for paragraph_id in paragraph_ids:
        assert person.id is not None
        paragraph_editor(story_id, paragraph_id, lang, person.id)


person = current_person()
st.title("Desk")
if person is not None and (story_id := pick_story()) is not None:
    embargo_toggle(story_id, person)
    view = pick_view(person)
    if view == READ:
        reading_view(story_id)
    elif view == ENGLISH:
        english_view(story_id, person)
    else:
        editing_view(story_id, view, person)
