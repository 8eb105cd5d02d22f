"""Working outside Lockstep: XLIFF out to a CAT tool, and a translation brought back in (an
XLIFF, or a Word or text file with one paragraph per English paragraph)."""

from functools import partial

import streamlit as st

from workflow.formats import read_paragraphs_file
from workflow.interchange import (
    ImportReport,
    ParagraphCountMismatch,
    exchange_kind,
    export_xliff,
    import_paragraphs,
    import_xliff,
    xliff_target,
)
from workflow.models import Person
from workflow.progress import version_progress
from workflow.segmentation import split_paragraphs
from workflow.states import Action, permitted
from workflow.ui.common import attempt, db, escape_markdown, language_name

ss = st.session_state


def _flash_key(story_id: int, lang: str) -> str:
    return f"exchange_done:{story_id}:{lang}"


def _done(story_id: int, lang: str, report: ImportReport) -> None:
    """Keep what an import did to say it on the next run (the page reruns to show the text)."""
    ss[_flash_key(story_id, lang)] = (report.summary(), bool(report.refused or report.conflicts))


def _show_done(story_id: int, lang: str) -> None:
    if (done := ss.pop(_flash_key(story_id, lang), None)) is None:
        return
    text, partly = done
    if partly:
        st.warning(escape_markdown(text), icon=":material/rule:")
    else:
        st.success(escape_markdown(text), icon=":material/upload_file:")


def _bring_in(story_id: int, lang: str, person: Person, name: str, data: bytes) -> None:
    """Import an uploaded file; a paragraph-count mismatch is kept to be resolved."""
    if exchange_kind(data[:4096], name) == "xliff":
        target = attempt(partial(xliff_target, data))
        if target is None:
            return
        if target != (story_id, lang):
            st.error(
                f"This XLIFF is for story {target[0]} in {language_name(target[1])}: open that "
                "story and language to import it. Nothing was saved.",
                icon=":material/block:",
            )
            return
        with db() as session:
            done = attempt(partial(import_xliff, session, data, person=person))
        if done is not None:
            _done(story_id, lang, done[1])
            st.rerun()
        return
    paragraphs = attempt(partial(read_paragraphs_file, data, filename=name))
    if paragraphs is not None:
        _import(story_id, lang, person, paragraphs)


def _import(story_id: int, lang: str, person: Person, paragraphs: list[str]) -> None:
    key = f"exchange_mismatch:{story_id}:{lang}"

    def run() -> ImportReport | None:
        with db() as session:
            try:
                return import_paragraphs(
                    session, story_id=story_id, lang=lang, paragraphs=paragraphs, person=person
                )
            except ParagraphCountMismatch as mismatch:  # kept, to be resolved below
                ss[key] = (mismatch.english, mismatch.imported)
                ss[f"{key}:text"] = "\n\n".join(mismatch.imported)
                return None

    report = attempt(run)
    if report is not None:
        ss.pop(key, None)
        _done(story_id, lang, report)
        st.rerun()


def _resolve(story_id: int, lang: str, person: Person) -> None:
    """The file's paragraphs beside the English, to join or split before importing."""
    key = f"exchange_mismatch:{story_id}:{lang}"
    if key not in ss:
        return
    english, imported = ss[key]
    st.error(
        f"The file has {len(imported)} paragraphs and the story has {len(english)} (headline "
        "included): nothing was saved. Compare them below, then join or split paragraphs in "
        "the text (a blank line separates two) and import again.",
        icon=":material/difference:",
    )
    rows = max(len(english), len(imported))
    st.dataframe(
        [
            {
                "#": n,
                "English": english[n] if n < len(english) else "",
                "From the file": imported[n] if n < len(imported) else "",
            }
            for n in range(rows)
        ],
        hide_index=True,
        width="stretch",
    )
    text = st.text_area(
        "The file's text, one paragraph per English paragraph", key=f"{key}:text", height=300
    )
    left, right = st.columns(2)
    if left.button("Import this text", type="primary", key=f"{key}:import"):
        _import(story_id, lang, person, split_paragraphs(text))
    if right.button("Discard the file", key=f"{key}:discard"):
        ss.pop(key, None)
        st.rerun()


def exchange_panel(story_id: int, lang: str, person: Person) -> None:
    pending = {_flash_key(story_id, lang), f"exchange_mismatch:{story_id}:{lang}"} & set(ss)
    title = f"Work on the {language_name(lang)} version outside Lockstep (XLIFF, Word, text)"
    with st.expander(title, expanded=bool(pending), icon=":material/swap_horiz:"):
        _show_done(story_id, lang)
        with db() as session:
            data = attempt(partial(export_xliff, session, story_id, lang))
            state = version_progress(session, story_id, lang).state
        if data is not None:
            st.download_button(
                "XLIFF 1.2 for a CAT tool (memoQ, Trados, OmegaT)",
                data=data,
                file_name=f"story-{story_id}-{lang}.xlf",
                mime="application/xliff+xml",
                key=f"xliff-{story_id}-{lang}",
                icon=":material/download:",
                help="One unit per paragraph with its state; notes carry the checks' flags and "
                "what changed in the English of stale paragraphs.",
            )
        if not permitted(person, Action.SAVE, lang, state):
            st.caption(f"Importing a {language_name(lang)} translation is not yours to do now.")
            return
        with st.form(f"exchange-{story_id}-{lang}", clear_on_submit=True):
            upload = st.file_uploader(
                "Bring a translation back: the XLIFF from a CAT tool, or a Word or text file "
                "with one paragraph per English paragraph, headline first",
                type=["xlf", "xliff", "docx", "txt", "md"],
                key=f"exchange-file-{story_id}-{lang}",
            )
            if st.form_submit_button("Import", icon=":material/upload_file:"):
                if upload is None:
                    st.error("Choose a file first.")
                else:
                    _bring_in(story_id, lang, person, upload.name, upload.getvalue())
        _resolve(story_id, lang, person)
