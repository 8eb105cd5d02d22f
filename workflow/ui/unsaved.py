"""Unsaved text at the desk: what a person typed in a paragraph's box is kept server-side as
they leave the box (`keep_typing`), put back into the box after a reload or a new sign-in
(`restore_unsaved`), marked "unsaved" with a Discard beside the box until saved or discarded
(`unsaved_marker`), and the browser asks before the page is left with any (`warn_before_leaving`).

The domain is `workflow.unsaved`; a save clears the person's unsaved text there itself.
"""

from functools import partial

import streamlit as st

from workflow.desk import TranslationView
from workflow.models import Translation
from workflow.ui.common import db, md
from workflow.ui.paragraph_actions import ParagraphKeys, Place, keep_draft, now_on, quietly
from workflow.unsaved import discard_unsaved, keep_unsaved

ss = st.session_state

UNSAVED = "Unsaved changes, not saved yet"
MARKER_KEY = "unsaved-"  # a marker's container key: the page script finds the markers by it

# Runs in the page itself (st.html is not put in an iframe). Installed once per page: a rerun
# draws the element again, and the guard keeps one listener. The page has unsaved text when a
# marker is shown, or a box was typed in and not left yet (its text has not reached the server).
_LEAVE_GUARD = """<script>
(() => {
  if (window.lockstepLeaveGuard) return;
  window.lockstepLeaveGuard = true;
  let typing = null;
  document.addEventListener("input", (event) => {
    if (event.target instanceof HTMLTextAreaElement) typing = event.target;
  }, true);
  document.addEventListener("focusout", (event) => {
    if (event.target === typing) typing = null;
  }, true);
  window.addEventListener("beforeunload", (event) => {
    if (typing === null && !document.querySelector('[class*="st-key-{marker}"]')) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
</script>""".replace("{marker}", MARKER_KEY)


def restore_unsaved(t: TranslationView, keys: ParagraphKeys) -> None:
    """Put the person's unsaved text back into a box this browser session has not drawn yet.

    The box's base stays the counter the text was typed over: if someone saved since, the
    person's Save meets the conflict box, and nothing is lost."""
    if t.unsaved is None or keys.text in ss or keys.draft in ss:
        return
    ss[keys.text] = t.unsaved.text
    keys.loaded = t.text
    keys.base = t.unsaved.base_lock_version


def keep_typing(keys: ParagraphKeys, place: Place) -> None:
    """The box's on_change (the person left it, or pressed Ctrl+Enter): keep its text in this
    session and, as their unsaved text, on the server."""
    keep_draft(keys)
    if keys.text in ss:
        now_on(keys, place)
    _keep(keys, place, keys.loaded or "")


def keep_over(keys: ParagraphKeys, place: Place, saved_text: str) -> None:
    """The person keeps their text over a colleague's save: their unsaved text is now typed
    over that save (`keys.base`), so a reload and Save replace it without a second conflict."""
    _keep(keys, place, saved_text, rebase=True)


def _keep(keys: ParagraphKeys, place: Place, base_text: str, *, rebase: bool = False) -> None:
    if keys.text not in ss:
        return  # a click that ended the session (Sign out) came first
    with db() as session:
        quietly(
            keys,
            partial(
                keep_unsaved,
                session,
                person_id=place.person_id,
                translation_id=keys.id,
                text=ss[keys.text],
                base_text=base_text,
                base_lock_version=keys.base,
                rebase=rebase,
            ),
        )


def discard(keys: ParagraphKeys, place: Place) -> None:
    """Throw away what the person typed: the saved text, as it is now, back in the box."""
    with db() as session:
        discard_unsaved(session, person_id=place.person_id, translation_id=keys.id)
        saved = session.get(Translation, keys.id)
        if saved is None:
            return
        ss[keys.text] = keys.loaded = saved.text
        keys.base = saved.lock_version
    for key in (keys.draft, keys.used, keys.conflict):
        ss.pop(key, None)
    ss[keys.flash] = "Discarded: the saved text is back in the box."


def unsaved_marker(keys: ParagraphKeys, place: Place, name: str) -> None:
    """A line saying the box holds unsaved changes, with Discard, beside such a box.

    Discard has no key, as the paragraph's other buttons (`paragraph._buttons`): its tooltip,
    naming the paragraph (`name`), tells it from another paragraph's."""
    if not keys.unsaved:
        return
    with st.container(key=f"{MARKER_KEY}{keys.id}", horizontal=True, vertical_alignment="center"):
        st.caption(md(":orange[:material/edit_note: {}]", UNSAVED), width="content")
        _discard_button(keys, place, f"Throw away what you typed in {name}.")


def unsaved_note(t: TranslationView, keys: ParagraphKeys, place: Place, name: str) -> None:
    """Beside a box the person may no longer change (the version went to the editors, or was
    approved, since they typed): their unsaved text, kept and shown as theirs, never put into
    the box as if it were the saved text."""
    if t.unsaved is None:
        return
    st.caption(
        ":orange[:material/edit_note: Your unsaved text, kept from before; this version is not "
        "yours to change now. Copy it, or ask the editor to send the paragraph back:]"
    )
    st.text(t.unsaved.text)
    _discard_button(keys, place, f"Throw away what you typed in {name}.")


def _discard_button(keys: ParagraphKeys, place: Place, why: str) -> None:
    st.button("Discard", type="tertiary", on_click=discard, args=(keys, place), help=why)


def warn_before_leaving() -> None:
    """Have the browser ask before a reload or a closed tab leaves unsaved text behind."""
    st.html(_LEAVE_GUARD, unsafe_allow_javascript=True)
