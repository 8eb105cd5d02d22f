"""Lockstep: `streamlit run app.py` serves the translation desk.

Streamlit reads this file in two ways. `streamlit run` imports it to find the server: `app`, an
`st.App` that serves our own HTTP routes beside the pages, on the same port: the sign-in cookie
(`workflow/ui/session_cookie.py`) and the CMS's API under `/api/v1` (`workflow/api`); it starts
the process's worker on the work queue when it starts (`lifespan`). Then it runs it as the page
script for every browser, as `__main__`.
"""

import streamlit as st

from workflow.states import Action, permitted
from workflow.ui import focus_report
from workflow.ui.common import engine
from workflow.ui.presence import leave_desk
from workflow.ui.session_cookie import routes
from workflow.ui.signin import account_sidebar, sign_in_page, signed_in_person
from workflow.ui.worker import lifespan


def desk() -> None:
    """The page script: sign-in, then the pages this person may see."""
    st.set_page_config(page_title="Lockstep", page_icon=":material/translate:", layout="wide")
    engine()  # schema, first administrator and, on an empty database, the demo: once a process

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
        st.Page("workflow/ui/settings.py", title="Settings", icon=":material/notifications:"),
    ]
    if permitted(person, Action.CONFIGURE):
        pages.append(
            st.Page("workflow/ui/admin.py", title="Administration", icon=":material/tune:")
        )
    page = st.navigation(pages)
    if page.url_path != "desk":
        leave_desk()  # colleagues stop seeing this tab at the desk now, not in 30 s
    page.run()


if __name__ == "__main__":
    desk()
else:
    from workflow import api
    from workflow.ui.common import open_desk

    served = [*routes(), *focus_report.routes(open_desk), *api.routes(open_desk)]
    app = st.App(__file__, routes=served, lifespan=lifespan)
