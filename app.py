"""Lockstep: `streamlit run app.py` serves the translation desk."""

import streamlit as st

from workflow.ui.common import choose_person, engine

st.set_page_config(page_title="Lockstep", page_icon=":material/translate:", layout="wide")
engine()  # schema and, on an empty database, the demo story: once per process
choose_person()

navigation = st.navigation(
    [
        st.Page("workflow/ui/desk.py", title="Desk", icon=":material/translate:", default=True),
        st.Page("workflow/ui/stories.py", title="Stories", icon=":material/article:"),
    ]
)
navigation.run()
