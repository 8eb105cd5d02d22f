"""Working outside Lockstep: XLIFF out to a CAT tool, and a translation brought back in (an
XLIFF, or a Word or text file with one paragraph per English paragraph)."""

import io
from functools import partial

import docx
import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from workflow.errors import LockstepError
from workflow.exchange import (
    ImportReport,
    ParagraphCountMismatch,
    exchange_kind,
    export_xliff,
    import_paragraphs,
    import_xliff,
    xliff_target,
)
from workflow.formats import read_paragraphs_file
from workflow.formats.limits import MAX_EXCHANGE_BYTES, megabytes
from workflow.models import Person, Story
from workflow.progress import version_progress
from workflow.segmentation import split_paragraphs
from workflow.sources import current_paragraphs
from workflow.states import Action, permitted
from workflow.ui.common import attempt, db, engine, escape_cells, escape_markdown, language_name, md
from workflow.ui.story_url import said_of

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
        st.warning(said_of(text, story_id), icon=":material/rule:")
    else:
        st.success(said_of(text, story_id), icon=":material/upload_file:")


def _bring_in(story_id: int, lang: str, person: Person, name: str, data: bytes) -> None:
    """Import an uploaded file; a paragraph-count mismatch is kept to be resolved."""
    if exchange_kind(data[:4096], name) == "xliff":
        target = attempt(partial(xliff_target, data))
        if target is None:
            return
        if target != (story_id, lang):
            with db() as session:
                story = session.get(Story, target[0])
            name = f"“{story.headline}”" if story else f"story {target[0]}, which no longer exists"
            st.error(
                md(
                    "This XLIFF is for {} in {}: open that story and language to import it. "
                    "Nothing was saved.",
                    name,
                    language_name(target[1]),
                ),
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


def _mismatch_key(story_id: int, lang: str) -> str:
    return f"exchange_mismatch:{story_id}:{lang}"


def _try_import(story_id: int, lang: str, person: Person, paragraphs: list[str]) -> bool:
    """Import by position; a count mismatch is kept in the session to be resolved, any other
    refusal too. True when it was imported. Touches only the session state, so it can run
    as a button's callback, before the page's widgets are drawn."""
    key = _mismatch_key(story_id, lang)
    try:
        with db() as session:
            report = import_paragraphs(
                session, story_id=story_id, lang=lang, paragraphs=paragraphs, person=person
            )
    except ParagraphCountMismatch as mismatch:
        ss[key] = (mismatch.english, mismatch.imported)
        ss[f"{key}:text"] = "\n\n".join(mismatch.imported)
        return False
    except LockstepError as refused:  # a partial import says how much was saved
        ss[f"{key}:refused"] = str(refused)
        return False
    except OperationalError:
        ss[f"{key}:refused"] = (
            "The database is busy or out of reach; nothing was saved. Try again in a moment."
        )
        return False
    for suffix in ("", ":text", ":refused"):
        ss.pop(key + suffix, None)
    _done(story_id, lang, report)
    return True


def _import(story_id: int, lang: str, person: Person, paragraphs: list[str]) -> None:
    if _try_import(story_id, lang, person, paragraphs):
        st.rerun()  # the paragraphs below show the new text
    key = _mismatch_key(story_id, lang)
    if key not in ss and (refused := ss.pop(f"{key}:refused", None)):
        # No mismatch to resolve (where a refusal is shown otherwise): show it here.
        st.error(escape_markdown(refused), icon=":material/block:")


def _import_fixed_text(story_id: int, lang: str, person: Person) -> None:
    """The "Import this text" button's callback: the text box's paragraphs, by position."""
    text = ss.get(f"{_mismatch_key(story_id, lang)}:text", "")
    _try_import(story_id, lang, person, split_paragraphs(text))


def _discard(story_id: int, lang: str) -> None:
    key = _mismatch_key(story_id, lang)
    for suffix in ("", ":text", ":refused"):
        ss.pop(key + suffix, None)


def _label(position: int) -> str:
    return "Headline" if position == 0 else str(position)


def _resolve(story_id: int, lang: str, person: Person) -> None:
    """The file's paragraphs beside the English, to join or split before importing."""
    key = _mismatch_key(story_id, lang)
    if key not in ss:
        return
    if refused := ss.pop(f"{key}:refused", None):
        st.error(escape_markdown(refused), icon=":material/block:")
    english, imported = ss[key]
    now = len(split_paragraphs(ss.get(f"{key}:text", "")))
    st.error(
        md(
            "The file has {} paragraphs and the story has {} (headline included): nothing was "
            "saved. Compare them below, then join or split paragraphs in the text (a blank line "
            "separates two) and import again.",
            len(imported),
            len(english),
        ),
        icon=":material/difference:",
    )
    st.table(
        escape_cells(
            [
                {
                    "": _label(n),
                    "English": english[n] if n < len(english) else "",
                    "From the file": imported[n] if n < len(imported) else "",
                }
                for n in range(max(len(english), len(imported)))
            ]
        )
    )
    st.text_area(
        "The file's text, one paragraph per English paragraph", key=f"{key}:text", height=300
    )
    count = f"{now} of {len(english)} paragraphs"
    if now == len(english):
        st.caption(md(":green[{}]: ready to import.", count))
    else:
        st.caption(md(":red[{}]: join or split until they match.", count))
    left, right = st.columns(2)
    left.button(
        "Import this text", type="primary", key=f"{key}:import",
        on_click=_import_fixed_text, args=(story_id, lang, person),
    )  # fmt: skip
    right.button("Discard the file", key=f"{key}:discard", on_click=_discard, args=(story_id, lang))


def _english_paragraphs(bound: Engine, story_id: int) -> list[str]:
    with Session(bound) as session:
        return [p.text for p in current_paragraphs(session, story_id)]


def _english_text(bound: Engine, story_id: int) -> bytes:
    """The English, one paragraph per block, for a translator who works in a text editor."""
    return ("\n\n".join(_english_paragraphs(bound, story_id)) + "\n").encode("utf-8")


def _english_word(bound: Engine, story_id: int) -> bytes:
    """The English as a Word file: the headline as a heading, one paragraph each after it."""
    english = _english_paragraphs(bound, story_id)
    document = docx.Document()
    document.add_heading(english[0], level=1)
    for paragraph in english[1:]:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xliff(bound: Engine, story_id: int, lang: str) -> bytes:
    with Session(bound) as session:
        return export_xliff(session, story_id, lang)


def exchange_panel(story_id: int, lang: str, person: Person) -> None:
    pending = {_flash_key(story_id, lang), f"exchange_mismatch:{story_id}:{lang}"} & set(ss)
    title = f"Work on the {language_name(lang)} version outside Lockstep (XLIFF, Word, text)"
    with st.expander(title, expanded=bool(pending), icon=":material/swap_horiz:"):
        _show_done(story_id, lang)
        with db() as session:
            state = version_progress(session, story_id, lang).state
        # Each file is made when its button is clicked, on the server's thread (no Streamlit
        # there), not on every rerun of the desk.
        bound = engine()
        st.download_button(
            "XLIFF 1.2 for a CAT tool (memoQ, Trados, OmegaT)",
            data=partial(_xliff, bound, story_id, lang),
            file_name=f"story-{story_id}-{lang}.xlf",
            mime="application/xliff+xml",
            key=f"xliff-{story_id}-{lang}",
            icon=":material/download:",
            help="One unit per paragraph with its state; notes carry the checks' flags and "
            "what changed in the English of stale paragraphs.",
        )
        st.caption(
            "Or translate in Word or a text editor, one paragraph per English paragraph, "
            "headline first, and bring the file back here:"
        )
        with st.container(horizontal=True):
            st.download_button(
                "The English as Word", data=partial(_english_word, bound, story_id),
                file_name=f"story-{story_id}-en.docx",
                mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                key=f"english-docx-{story_id}-{lang}", icon=":material/download:",
            )  # fmt: skip
            st.download_button(
                "The English as text", data=partial(_english_text, bound, story_id),
                file_name=f"story-{story_id}-en.txt", mime="text/plain",
                key=f"english-txt-{story_id}-{lang}", icon=":material/download:",
            )  # fmt: skip
        if not permitted(person, Action.SAVE, lang, state):
            st.caption(
                md("Importing a {} translation is not yours to do now.", language_name(lang))
            )
            return
        with st.form(f"exchange-{story_id}-{lang}", clear_on_submit=True):
            upload = st.file_uploader(
                "Bring a translation back: the XLIFF from a CAT tool, or a Word or text file "
                "with one paragraph per English paragraph, headline first",
                type=["xlf", "xliff", "docx", "txt", "md"],
                key=f"exchange-file-{story_id}-{lang}",
                max_upload_size=megabytes(MAX_EXCHANGE_BYTES),  # an XLIFF's; a file less
            )
            if st.form_submit_button("Import", icon=":material/upload_file:"):
                if upload is None:
                    st.error("Choose a file first.")
                else:
                    _bring_in(story_id, lang, person, upload.name, upload.getvalue())
        _resolve(story_id, lang, person)
