"""Stories: every story with its progress in each language, and importing a new one."""

from collections.abc import Callable

import streamlit as st

from workflow import LANGUAGES
from workflow.duplicates import RECENT_DAYS, similar_recent_stories
from workflow.formats import DOCUMENT_FORMATS, FORMATS, ParsedStory, parse_story, read_story_file
from workflow.formats.limits import MAX_FILE_BYTES, megabytes, story_upload_limits
from workflow.models import Person
from workflow.progress import progress
from workflow.states import Action, permitted
from workflow.stories import import_story, list_stories
from workflow.ui.common import (
    attempt,
    current_person,
    db,
    language_name,
    md,
    version_badge,
)
from workflow.ui.story_url import DESK, desk_address, open_story, story_named
from workflow.ui.version_header import progress_line

AUTO = "auto"
PASTED = "import-text"  # the paste form's box, and the source `store` reads
UPLOADED = "import-file"  # the upload form's file, likewise
DUPLICATE = "import-duplicate"  # (source, [(story id, same headline, text match)]) to confirm
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
            if open_column.button("Open in desk", key=f"open-{story.id}") and story.id:
                open_story(story.id)
            for column, lang in zip(st.columns(len(LANGUAGES)), LANGUAGES, strict=True):
                version = by_version.get((story.id, lang)) if story.id is not None else None
                if version is None:
                    continue
                with column:
                    st.markdown(md("**{}**", language_name(lang)))
                    version_badge(version.state)
                    fraction, line = progress_line(version)  # as the desk's head says it
                    st.progress(fraction, text=md("{}", line))


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
        st.text_area(
            "Story text",
            height=240,
            placeholder="Headline\n\nFirst paragraph…\n\nSecond paragraph…",
            help="Blank lines separate paragraphs; the first paragraph (or a Markdown # heading) "
            "is the headline.",
            key=PASTED,
        )
        st.selectbox("Format", formats, format_func=label, key="paste-format")
        if st.form_submit_button("Import", type="primary"):
            store(person, PASTED)
    with upload, st.form("import-upload"):
        st.file_uploader(
            "Story file: Word (.docx), a saved news web page (.html), text (.txt, .md), IPTC "
            f"ninjs (.json) or the newsroom export ({story_upload_limits()})",
            max_upload_size=megabytes(MAX_FILE_BYTES),
            help="Text may be UTF-8, UTF-16 or Windows-1252. What the file is, is found from "
            "its content; a damaged file is refused and nothing is stored.",
            key=UPLOADED,
        )
        st.selectbox(
            "Format", [*formats, *DOCUMENT_FORMATS], format_func=label, key="upload-format"
        )
        if st.form_submit_button("Import file", type="primary"):
            if ss.get(UPLOADED) is None:
                st.error("Choose a file first.")
            else:
                store(person, UPLOADED)
    duplicate_warning(person)


def _parser(source: str) -> Callable[[], ParsedStory]:
    """Reads what the form `source` holds (its values stay in the session after a submit)."""
    if source == PASTED:
        text, fmt = ss.get(PASTED, ""), ss.get("paste-format", AUTO)
        return lambda: parse_story(text, format_name=None if fmt == AUTO else fmt)
    file, fmt = ss[UPLOADED], ss.get("upload-format", AUTO)
    data = file.getvalue()
    return lambda: read_story_file(
        data, filename=file.name, format_name=None if fmt == AUTO else fmt
    )


def store(person: Person, source: str, *, anyway: bool = False) -> None:
    """Import what the form `source` holds; first, unless `anyway`, say which stories of the
    last days it matches (`duplicate_warning`) and import nothing yet."""
    ss.pop(DUPLICATE, None)
    parsed = attempt(_parser(source))
    if parsed is None:
        return
    with db() as session:
        if not anyway and (similar := similar_recent_stories(session, parsed)):
            # Ids and figures only: the warning reads the stories when it is drawn.
            ss[DUPLICATE] = (source, [(s.story_id, s.same_headline, s.text_match) for s in similar])
            return
        story = attempt(lambda: import_story(session, parsed, person=person))
        if story is not None and story.id is not None:
            # What was imported, not a message: the page composes it when it shows it.
            ss["imported"] = (story.id, len(parsed.all_paragraphs))
            st.rerun()


def duplicate_warning(person: Person) -> None:
    """The stories of the last days the one being imported matches, each to open instead,
    and a button to import it all the same."""
    if (pending := ss.get(DUPLICATE)) is None:
        return
    source, similar = pending
    lines = []
    for story_id, same_headline, text_match in similar:
        how = [
            *(["the same headline"] if same_headline else []),
            *([f"the text {text_match}% the same"] if text_match else []),
        ]
        lines.append(md("{} ({})", story_named(story_id), " and ".join(how)))
    st.warning(
        md(
            "This story may be at the desk already: imported in the last {} days, {}. Open it "
            "instead, or import this one as a new story.",
            RECENT_DAYS,
            md("; ".join(["{}"] * len(lines)), *lines),
        ),
        icon=":material/content_copy:",
    )
    with st.container(horizontal=True):
        for story_id, _, _ in similar:
            if st.button(f"Open #{story_id}", key=f"duplicate-open-{story_id}", type="primary"):
                ss.pop(DUPLICATE, None)
                open_story(story_id)
        if st.button("Import anyway", key="duplicate-import", icon=":material/add:"):
            store(person, source, anyway=True)


person = current_person()
st.title("Stories")
if imported := ss.pop("imported", None):
    story_id, paragraphs = imported
    st.success(
        md("Imported {} with {} paragraphs.", story_named(story_id), paragraphs),
        icon=":material/check:",
    )
    st.page_link(
        DESK, label=f"Open #{story_id} in the desk", query_params=desk_address(story_id),
        icon=":material/open_in_new:",
    )  # fmt: skip
if person is not None:
    story_list()
    import_form(person)
