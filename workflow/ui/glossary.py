"""Glossary: the desk's terms and their Russian and Ukrainian renderings, which editors keep;
and the translation memory, out and in as TMX."""

import zlib
from functools import partial

import streamlit as st
from sqlmodel import Session

from workflow import LANGUAGES
from workflow.formats.limits import MAX_EXCHANGE_BYTES, megabytes
from workflow.glossary import delete_term, list_terms, save_term, term_as_drawn
from workflow.memory import export_tmx, import_tmx, memory_counts
from workflow.models import Person
from workflow.states import Action, permitted
from workflow.ui.common import (
    attempt,
    current_person,
    db,
    engine,
    escape_markdown,
    language_name,
    md,
)

ss = st.session_state
NEW = 0

person = current_person()
st.title("Glossary")
st.caption(
    "A paragraph whose English has a term must use the rendering given here; the desk flags "
    "it otherwise (a warning). Words are matched by their stem, so inflected forms count."
)
with db() as session:
    terms = list(list_terms(session))
if terms:
    st.dataframe(
        [
            {"English": t.english}
            | {name: t.translations.get(lang, "") for lang, name in LANGUAGES.items()}
            | {"Note": t.note}
            for t in terms
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info("The glossary is empty.")

if person is not None and permitted(person, Action.EDIT_GLOSSARY):
    by_id = {t.id: t for t in terms}
    chosen = st.selectbox(
        "Add or change a term",
        [NEW, *by_id],
        format_func=lambda i: "A new term" if i == NEW else by_id[i].english,
        key="glossary_term",
    )
    term = by_id.get(chosen)
    # The term as this page drew it, handed back as `seen` on a click: a click's own run reads
    # the term again, and someone may have changed it since the admin opened the form.
    seen_key, save_key = f"glossary_seen_{chosen}", f"glossary_save_{chosen}"
    fresh = term_as_drawn(term) if term else None
    clicked = ss.get(save_key) or ss.get(f"glossary_delete_{chosen}")
    drawn = ss.get(seen_key, fresh) if clicked else fresh
    ss[seen_key] = drawn
    # Keyed by the term as drawn: another admin's change shows once the page is read again,
    # while a refused click keeps what was typed (never cleared on submit, as a refusal is).
    fields = f"glossary_{chosen}_{zlib.crc32(repr(drawn).encode())}"
    if ss.pop("glossary_clear", False):
        for field in [k for k in ss if str(k).startswith(f"glossary_{NEW}_")]:
            ss.pop(field, None)  # an empty form for the next new term
    with st.form(f"glossary-{chosen}"):
        english = st.text_input(
            "English", value=term.english if term else "", key=f"{fields}_english"
        )
        translations = {
            lang: st.text_input(
                name,
                value=term.translations.get(lang, "") if term else "",
                key=f"{fields}_{lang}",
            )
            for lang, name in LANGUAGES.items()
        }
        note = st.text_input("Note", value=term.note if term else "", key=f"{fields}_note")
        save, remove = st.columns(2)
        saved = save.form_submit_button("Save", type="primary", key=save_key)
        removed = term is not None and remove.form_submit_button(
            "Delete", key=f"glossary_delete_{chosen}"
        )
    if saved:
        with db() as session:
            done = attempt(
                partial(
                    save_term, session, person=person, english=english, translations=translations,
                    note=note, term_id=term.id if term else None, seen=drawn,
                )
            )  # fmt: skip
        if done is not None:
            ss["glossary_saved"] = done.english
            ss["glossary_clear"] = chosen == NEW
            st.rerun()  # the table above shows the term as saved
    if saved_term := ss.pop("glossary_saved", None):
        st.success(md("Saved: {}. Paragraphs that mention it were checked again.", saved_term))
    if removed and term is not None and term.id is not None:

        def remove_term(session: Session, editor: Person, term_id: int) -> bool:
            delete_term(session, person=editor, term_id=term_id, seen=drawn)
            return True  # once removed

        with db() as session:
            gone = attempt(
                partial(remove_term, session, person, term.id)
            )  # None: refused, said so here
        if gone:
            ss.pop("glossary_term", None)
            st.rerun()


def memory_section() -> None:
    """The newsroom's translation memory: approved pairs out as TMX, a TMX in for drafts."""
    st.subheader("Translation memory")
    with db() as session:
        counts = memory_counts(session)
    held = ", ".join(f"{n} {language_name(lang)}" for lang, n in counts.items() if n) or "none"
    st.caption(
        md(
            "Drafts reuse approved translations of identical English from every story, and "
            "translations brought in from TMX files (held now: {}); similar English is offered "
            "as a suggestion.",
            held,
        )
    )
    bound = engine()

    def tmx_file() -> bytes:  # made when clicked, on the server's thread: no Streamlit here
        with Session(bound) as session:
            return export_tmx(session)

    st.download_button(
        "Approved translations of every story as TMX 1.4",
        data=tmx_file,
        file_name="lockstep-memory.tmx",
        mime="application/x-tmx+xml",
        icon=":material/download:",
    )
    if person is None or not permitted(person, Action.IMPORT_MEMORY):
        return
    with st.form("memory-import", clear_on_submit=True):
        upload = st.file_uploader(
            "Bring in a TMX from the newsroom's memory", type=["tmx", "xml"],
            max_upload_size=megabytes(MAX_EXCHANGE_BYTES),
        )  # fmt: skip
        if st.form_submit_button("Import TMX", icon=":material/upload_file:"):
            if upload is None:
                st.error("Choose a TMX file first.")
            else:
                with db() as session:
                    report = attempt(
                        partial(
                            import_tmx, session, upload.getvalue(), origin=upload.name,
                            person=person,
                        )
                    )  # fmt: skip
                if report is not None:
                    ss["memory_imported"] = report.summary()
                    st.rerun()  # the counts above include what came in
    if done := ss.pop("memory_imported", None):
        st.success(escape_markdown(done))


memory_section()
