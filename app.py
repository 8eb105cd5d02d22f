"""Lockstep: `streamlit run app.py` serves the translation desk."""

import streamlit as st

from workflow.states import Action, permitted
from workflow.ui.common import choose_person, current_person, engine

st.set_page_config(page_title="Lockstep", page_icon=":material/translate:", layout="wide")
engine()  # schema and, on an empty database, the demo story: once per process
choose_person()

pages = [
    st.Page("workflow/ui/desk.py", title="Desk", icon=":material/translate:", default=True),
    st.Page("workflow/ui/stories.py", title="Stories", icon=":material/article:"),
    st.Page("workflow/ui/audit.py", title="Audit log", icon=":material/history:"),
]
person = current_person()
if person is not None and permitted(person, Action.CONFIGURE):
    pages.append(st.Page("workflow/ui/admin.py", title="Administration", icon=":material/tune:"))
navigation = st.navigation(pages)
navigation.run()
