"""Stories: every story with its progress in each language, and importing a new one."""

from collections.abc import Callable

import streamlit as st

from workflow import LANGUAGES
from workflow.formats import DOCUMENT_FORMATS, FORMATS, ParsedStory, parse_story, read_story_file
from workflow.formats.limits import MAX_FILE_BYTES, megabytes, story_upload_limits
from workflow.models import Person
from workflow.progress import progress
from workflow.states import Action, TranslationState, permitted
from workflow.stories import import_story, list_stories
from workflow.ui.common import (
    attempt,
    current_person,
    db,
    language_name,
    md,
    version_badge,
)

AUTO = "auto"
ss = st.session_state


def story_list() -> None:
    with db() as session:
        stories = list_stories(session)
        by_version = progress(session, [s.id for s in stories if s.id is not None])
    if not stories:
        st.info("No stories yet: import the first one below.")
    for story in stories:
        with st.container(border=True):
            head, open_column = st.columns([5, 1])
            head.markdown(md("**{}**", story.headline))
            meta = " · ".join(x for x in (story.section, story.date_line) if x)
            head.caption(md("#{} · {}", story.id, meta) if meta else md("#{}", story.id))
            if open_column.button("Open in desk", key=f"open-{story.id}"):
                ss["story_id"] = story.id
                st.switch_page("workflow/ui/desk.py")
            for column, lang in zip(st.columns(len(LANGUAGES)), LANGUAGES, strict=True):
                version = by_version.get((story.id, lang)) if story.id is not None else None
                if version is None:
                    continue
                with column:
                    st.markdown(md("**{}**", language_name(lang)))
                    version_badge(version.state)
                    approved = version.count(TranslationState.APPROVED)
                    st.progress(
                        approved / max(version.paragraphs, 1),
                        text=f"{approved} of {version.paragraphs} approved",
                    )
                    counts = " · ".join(
                        f"{version.count(s)} {s.label.lower()}"
                        for s in TranslationState
                        if version.count(s)
                    )
                    stale = f" · {version.stale} stale" if version.stale else ""
                    st.caption(md("{}{}", counts, stale))


def import_form(person: Person) -> None:
    st.subheader("Import a story")
    if not permitted(person, Action.IMPORT_STORY):
        st.caption("Editors and admins import stories.")
        return
    formats = [AUTO, *FORMATS]

    def label(name: str) -> str:
        documents = {"docx": "Word document", "html": "News web page"}
        return "Find from the file" if name == AUTO else documents.get(name) or FORMATS[name].label

    paste, upload = st.tabs(["Paste text", "Upload a file"])
    with paste, st.form("import-paste"):
        text = st.text_area(
            "Story text",
            height=240,
            placeholder="Headline\n\nFirst paragraph…\n\nSecond paragraph…",
            help="Blank lines separate paragraphs; the first paragraph (or a Markdown # heading) "
            "is the headline.",
        )
        fmt = st.selectbox("Format", formats, format_func=label, key="paste-format")
        if st.form_submit_button("Import", type="primary"):
            store(person, lambda: parse_story(text, format_name=None if fmt == AUTO else fmt))
    with upload, st.form("import-upload"):
        file = st.file_uploader(
            "Story file: Word (.docx), a saved news web page (.html), text (.txt, .md) or the "
            f"newsroom export ({story_upload_limits()})",
            max_upload_size=megabytes(MAX_FILE_BYTES),
            help="Text may be UTF-8, UTF-16 or Windows-1252. What the file is, is found from "
            "its content; a damaged file is refused and nothing is stored.",
        )
        fmt = st.selectbox(
            "Format", [*formats, *DOCUMENT_FORMATS], format_func=label, key="upload-format"
        )
        if st.form_submit_button("Import file", type="primary"):
            if file is None:
                st.error("Choose a file first.")
            else:
                data = file.getvalue()
                store(
                    person,
                    lambda: read_story_file(
                        data, filename=file.name, format_name=None if fmt == AUTO else fmt
                    ),
                )


def store(person: Person, parse: Callable[[], ParsedStory]) -> None:
    parsed = attempt(parse)
    if parsed is None:
        return
    with db() as session:
        story = attempt(lambda: import_story(session, parsed, person=person))
        if story is not None:
            ss["story_id"] = story.id
            # What was imported, not a message: the page composes it when it shows it.
            ss["imported"] = (parsed.headline, len(parsed.all_paragraphs))
            st.rerun()


person = current_person()
st.title("Stories")
if imported := ss.pop("imported", None):
    st.success(md("Imported “{}” with {} paragraphs.", *imported), icon=":material/check:")
if person is not None:
    story_list()
    import_form(person)
