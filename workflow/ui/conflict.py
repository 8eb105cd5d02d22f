"""The conflict box at the desk: someone changed a paragraph (saved, approved, sent it back...)
while this person was editing it.

A conflicting save never overwrites: the box shows the colleague's text under the person's
own, which stays in the text box, and lets them keep theirs (then save over it) or take the
colleague's.
"""

from datetime import datetime

import streamlit as st

from workflow.errors import EditConflict
from workflow.ui.common import escape_markdown, md
from workflow.ui.paragraph_actions import ParagraphKeys, Place
from workflow.ui.unsaved import discard, keep_over

ss = st.session_state


def conflict_box(conflict: EditConflict, keys: ParagraphKeys, place: Place) -> None:
    """The refused save's conflict, with Keep mine and Take theirs."""
    # The message names whoever saved: a name is text a person typed.
    st.warning(escape_markdown(str(conflict)), icon=":material/sync_problem:")
    when = (
        f"at {conflict.changed_at:%H:%M:%S} UTC"
        if isinstance(conflict.changed_at, datetime)
        else "a moment ago"
    )
    # What they did, as the write path knows it: an approval is not a save.
    st.caption(md("{} {} {}; the text now:", conflict.changed_by or "Someone", conflict.did, when))
    st.text(conflict.current_text or "(empty)")
    st.caption("Your text is still in the box above. Keep mine, then Save, to replace theirs.")
    with st.container(horizontal=True):
        st.button("Keep mine", key=f"keep-{keys.id}", on_click=_keep_mine, args=(keys, place))
        st.button("Take theirs", key=f"take-{keys.id}", on_click=_take_theirs, args=(keys, place))


def _keep_mine(keys: ParagraphKeys, place: Place) -> None:
    conflict: EditConflict = ss.pop(keys.conflict)
    keys.base = conflict.current_lock_version
    keep_over(keys, place, conflict.current_text or "")  # a reload keeps the choice too


def _take_theirs(keys: ParagraphKeys, place: Place) -> None:
    conflict: EditConflict = ss.pop(keys.conflict)
    discard(keys, place)  # their text replaces the person's unsaved one, here and on the server
    ss.pop(keys.flash, None)
    ss[keys.text] = keys.loaded = conflict.current_text
    keys.base = conflict.current_lock_version
