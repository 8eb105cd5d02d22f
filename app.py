"""Lockstep: `streamlit run app.py` serves the translation desk."""

import streamlit as st

from workflow.states import Action, permitted
from workflow.ui.common import engine
from workflow.ui.signin import account_sidebar, sign_in_page, signed_in_person

st.set_page_config(page_title="Lockstep", page_icon=":material/translate:", layout="wide")
engine()  # schema, the first administrator and, on an empty database, the demo: once per process

person = signed_in_person()
if person is None:
    # Nothing but the sign-in page exists for someone not signed in.
    st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
    st.stop()

account_sidebar(person)
pages = [
    st.Page("workflow/ui/home.py", title="My work", icon=":material/inbox:", default=True),
    st.Page("workflow/ui/desk.py", title="Desk", icon=":material/translate:"),
    st.Page("workflow/ui/stories.py", title="Stories", icon=":material/article:"),
    st.Page("workflow/ui/progress.py", title="Progress", icon=":material/monitoring:"),
    st.Page("workflow/ui/glossary.py", title="Glossary", icon=":material/dictionary:"),
    st.Page("workflow/ui/audit.py", title="Audit log", icon=":material/history:"),
]
if permitted(person, Action.CONFIGURE):
    pages.append(st.Page("workflow/ui/admin.py", title="Administration", icon=":material/tune:"))
st.navigation(pages).run()
