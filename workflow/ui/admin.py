"""Administration: which machine-translation engine drafts, and a way to try it."""

from functools import partial

import streamlit as st

from workflow.errors import LockstepError
from workflow.machinery import ENGINE_LABELS, EngineSettings, make_engine, save_engine_choice
from workflow.states import Action, permitted
from workflow.ui.common import attempt, current_person, db, secrets

SAMPLE = "The Pentagon said 3,000 troops would deploy to Poland, Germany and Romania."

person = current_person()
st.title("Administration")
if person is None or not permitted(person, Action.CONFIGURE):
    st.info("Only administrators configure the desk.")
    st.stop()

with db() as session:
    current = EngineSettings.load(session, secrets())
st.subheader("Machine translation")
with st.form("engine"):
    names = list(ENGINE_LABELS)
    engine = st.radio(
        "Engine",
        names,
        index=names.index(current.engine) if current.engine in names else 0,
        format_func=ENGINE_LABELS.__getitem__,
    )
    url = st.text_input(
        "Server address (LibreTranslate)",
        value=current.url,
        placeholder="http://localhost:5000",
    )
    st.caption(
        "Key: " + ("set" if current.key else "not set")
        + " (LOCKSTEP_MT_KEY in the environment or the app's secrets; never stored here)."
    )  # fmt: skip
    try:
        chosen = make_engine(EngineSettings(engine=engine, url=url, key=current.key))
    except LockstepError:
        chosen = None
    if chosen is not None and chosen.needs_key and not current.key:
        st.warning(f"{chosen.label} needs a key: set LOCKSTEP_MT_KEY before drafting.")
    if chosen is not None and chosen.needs_url and not url.strip():
        st.warning(f"{chosen.label} needs the address of your server.")
    if st.form_submit_button("Save", type="primary"):
        with db() as session:
            saved = attempt(
                partial(save_engine_choice, session, engine=engine, url=url, person=person)
            )
        if saved is not None:
            st.success(f"Drafts now come from {ENGINE_LABELS[saved.engine]}.")

if st.button("Try the engine", help=f"Translates one sentence: {SAMPLE}"):
    for lang in ("ru", "uk"):
        try:
            with db() as session:
                engine_now = make_engine(EngineSettings.load(session, secrets()))
            st.success(f"{lang}: {engine_now.translate(SAMPLE, lang)}")
        except LockstepError as fault:  # a fault of the engine, or a wrong setting
            st.error(str(fault))
            break
