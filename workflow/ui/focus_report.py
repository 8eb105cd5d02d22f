"""The browser's word on which paragraph box has the focus and whether the person typed in
it: without it the server hears of typing only when the box is left (its on_change), so a
colleague would see nobody on a paragraph someone is typing in.

A small script on the desk's page listens for a text box of a paragraph getting the focus,
the first keystroke in it, and the focus leaving it, and posts each (one small JSON body, in
order, nothing in between: the heartbeat keeps the desk alive) to `POST /lockstep/presence`,
which `st.App` serves beside the pages (see app.py). The route signs the request in by the
sign-in cookie, checks it comes from the desk's own page (as the cookie's own route does),
and hands it to `presence.focus`, which refuses what the person may not edit.
"""

import json
from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from workflow.accounts import person_for_token
from workflow.api.http import read_capped
from workflow.errors import LockstepError
from workflow.presence import focus
from workflow.ui.keyboard import APPROVE, MARK
from workflow.ui.session_cookie import COOKIE, from_this_desk

ROUTE = "/lockstep/presence"
MAX_BODY = 300  # {"desk": 64 characters, "paragraph": a number, two flags}
MAX_ID = 2**31 - 1  # a database's integer key: a larger number names no paragraph


def said(body: bytes) -> tuple[str, int, bool, bool] | None:
    """(desk, paragraph, focused, typed) from a report's body, or None when it is not one."""
    try:
        found: Any = json.loads(body[: MAX_BODY + 1]) if len(body) <= MAX_BODY else None
    except ValueError:
        return None
    if not isinstance(found, dict):
        return None
    desk, paragraph = found.get("desk"), found.get("paragraph")
    focused, typed = found.get("focused"), found.get("typed", False)
    if not isinstance(desk, str) or type(paragraph) is not int or not 1 <= paragraph <= MAX_ID:
        return None
    if not isinstance(focused, bool) or not isinstance(typed, bool):
        return None
    return desk, paragraph, focused, typed


def _report(engine: Engine, token: str, report: tuple[str, int, bool, bool]) -> int:
    desk, paragraph, focused, typed = report
    with Session(engine) as session:
        if (person := person_for_token(session, token)) is None:
            return 403
        try:
            focus(session, desk=desk, person=person, translation_id=paragraph,
                  focused=focused, typed=typed)  # fmt: skip
        except LockstepError:
            return 403
    return 204


def routes(engine: Callable[[], Engine]) -> list[BaseRoute]:
    """The route `st.App` serves beside the pages, opening its sessions on `engine()`."""

    async def report(request: Request) -> Response:
        if not from_this_desk(request):
            return Response("Only the desk's own page may do this.", status_code=403)
        body = await read_capped(request, MAX_BODY)  # a huge body is never held whole
        if body is None or (found := said(body)) is None:
            return Response("That is not a report of a paragraph's box.", status_code=400)
        token = request.cookies.get(COOKIE, "")
        status = await run_in_threadpool(_report, engine(), token, found)
        return Response(status_code=status, headers={"Cache-Control": "no-store"})

    return [Route(ROUTE, report, methods=["POST"])]


# Installed once a page (a second drawing only names the desk again, after it changed).
# A paragraph's box is found by the class Streamlit gives a keyed widget: st-key-text-<id>.
_SCRIPT = """<script>
(() => {
  window.lockstepDesk = DESK;
  if (window.lockstepFocus) return;
  window.lockstepFocus = true;
  let sent = Promise.resolve(), typed = false;
  const paragraph = (node) => {
    for (; node && node.classList; node = node.parentElement) {
      const found = /(?:^|\\s)st-key-text-(\\d+)(?:\\s|$)/.exec(node.className);
      if (found) return Number(found[1]);
    }
    return null;
  };
  const post = (event, focused) => {
    const id = event.target.tagName === "TEXTAREA" ? paragraph(event.target) : null;
    if (id === null) return false;
    const body = JSON.stringify(
      {desk: window.lockstepDesk, paragraph: id, focused: focused, typed: typed});
    sent = sent.then(() => fetch(ROUTE, {
      method: "POST", body: body, credentials: "same-origin", keepalive: true,
      headers: {"Content-Type": "application/json"},
    })).catch(() => {});
    return true;
  };
  document.addEventListener("focusin", (event) => { typed = false; post(event, true); });
  document.addEventListener("input", (event) => {
    if (!typed) { typed = true; if (!post(event, true)) typed = false; }
  });
  document.addEventListener("focusout", (event) => { post(event, false); typed = false; });
  // When the person last pressed a key or a bar button that moves the current paragraph, and
  // when they last did anything else (a click anywhere: `point` too): the caret script
  // (keyboard.py) puts the caret in the new current box only if nothing came after the move.
  const keys = window.lockstepKeys = {move: 0, touch: 0, point: 0};
  document.addEventListener("pointerdown", (event) => {
    const now = performance.now();
    if (event.target.closest && event.target.closest(".st-key-keyboard-bar")) keys.move = now;
    else keys.touch = keys.point = now;
  }, true);
  // A key that saves the box (Ctrl/Cmd+Enter, the desk's save; the desk's Alt shortcuts that
  // save first) leaves the focus in it: what was typed is saved, so only a new keystroke is
  // news. The server keeps "unsaved" if the save was refused (a report never clears it).
  document.addEventListener("keydown", (event) => {
    const saves = (event.key === "Enter" && (event.ctrlKey || event.metaKey))
      || (event.altKey && ALT_SAVES.includes(event.code));
    if (saves && event.target.tagName === "TEXTAREA" && paragraph(event.target) !== null) {
      typed = false;
    }
    if (saves || (event.altKey && ["ArrowDown", "ArrowUp"].includes(event.key))) {
      keys.move = performance.now();
    } else if (!["Alt", "AltGraph", "Control", "Meta", "Shift"].includes(event.key)) {
      keys.touch = performance.now();
    }
  }, true);
})();
</script>"""


def key_codes(shortcuts: tuple[str, ...]) -> list[str]:
    """The keys of Alt+letter shortcuts as a browser's keydown names them ("Alt+M": "KeyM")."""
    letters = [shortcut.removeprefix("Alt+") for shortcut in shortcuts]
    assert all(len(letter) == 1 and letter.isalpha() for letter in letters), shortcuts
    return [f"Key{letter.upper()}" for letter in letters]


def report_focus(desk: str) -> None:
    """Have the page tell the server where its person types (see the module's docstring)."""
    st.html(focus_script(desk), unsafe_allow_javascript=True, width=1)


def focus_script(desk: str) -> str:
    """The page's script for the desk `desk`."""
    return (
        _SCRIPT.replace("ALT_SAVES", json.dumps(key_codes((MARK, APPROVE))))
        .replace("ROUTE", json.dumps(ROUTE))
        .replace("DESK", json.dumps(desk))  # last: the one part not written here
    )
