"""Glossary: the desk's terms and their Russian and Ukrainian renderings; editors keep it."""

from functools import partial

import streamlit as st

from workflow.glossary import delete_term, list_terms, save_term
from workflow.states import Action, permitted
from workflow.ui.common import attempt, current_person, db

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
        [{"English": t.english, "Russian": t.ru, "Ukrainian": t.uk, "Note": t.note} for t in terms],
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
    with st.form(f"glossary-{chosen}", clear_on_submit=chosen == NEW):
        english = st.text_input("English", value=term.english if term else "")
        ru = st.text_input("Russian", value=term.ru if term else "")
        uk = st.text_input("Ukrainian", value=term.uk if term else "")
        note = st.text_input("Note", value=term.note if term else "")
        save, remove = st.columns(2)
        saved = save.form_submit_button("Save", type="primary")
        removed = term is not None and remove.form_submit_button("Delete")
    if saved:
        with db() as session:
            done = attempt(
                partial(
                    save_term, session, person=person, english=english, ru=ru, uk=uk,
                    note=note, term_id=term.id if term else None,
                )
            )  # fmt: skip
        if done is not None:
            st.success(f"Saved: {done.english}. Paragraphs that mention it were checked again.")
    if removed and term is not None and term.id is not None:
        with db() as session:
            attempt(partial(delete_term, session, person=person, term_id=term.id))
        ss.pop("glossary_term", None)
        st.rerun()
