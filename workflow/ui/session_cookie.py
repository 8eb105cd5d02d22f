"""The sign-in cookie, set by the server: `HttpOnly` (no script on the page can read it, so an
injected one cannot steal a session) and `SameSite=Lax` (another site's request carries it
only when a person follows a link here).

A Streamlit page runs over a websocket and cannot answer with a `Set-Cookie` header. So after a
sign-in the page hands the new token to one small route of our own, `POST /lockstep/session`,
which `st.App` serves beside the pages (see app.py): the route answers with the cookie once it
has checked that the request comes from the desk's own page (`Sec-Fetch-Site`, else `Origin`
against `Host`) and that the token signs someone in. `DELETE` on the same route removes the
cookie at sign-out. Streamlit sends the cookie back with every websocket it opens, where
`st.context.cookies` reads it.
"""

import json
from urllib.parse import urlsplit

import streamlit as st
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from workflow.accounts import SESSION_HOURS, person_for_token

COOKIE = "lockstep_session"
ROUTE = "/lockstep/session"
MAX_TOKEN = 100  # tokens are 43 characters; anything longer is not one


def from_this_desk(request: Request) -> bool:
    """Whether the browser says the request comes from a page of this very site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc == request.headers.get("host")


def _signs_someone_in(token: str) -> bool:
    from workflow.ui.common import engine

    with Session(engine()) as session:
        return person_for_token(session, token) is not None


async def _session(request: Request) -> Response:
    if not from_this_desk(request):
        return Response("Only the desk's own page may do this.", status_code=403)
    answer = Response(status_code=204, headers={"Cache-Control": "no-store"})
    secure = request.url.scheme == "https"
    if request.method == "DELETE":
        answer.delete_cookie(COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
        return answer
    token = (await request.body())[: MAX_TOKEN + 1].decode("ascii", "replace")
    if len(token) > MAX_TOKEN or not await run_in_threadpool(_signs_someone_in, token):
        return Response("That sign-in is not valid.", status_code=403)
    answer.set_cookie(
        COOKIE,
        token,
        max_age=SESSION_HOURS * 3600,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )
    return answer


def routes() -> list[BaseRoute]:
    """The route `st.App` serves beside the pages."""
    return [Route(ROUTE, _session, methods=["POST", "DELETE"])]


# The page's own record of the last cookie change the server confirmed (a token, or "" for a
# removal). The hand-over is drawn on every run until the page is reloaded (see `signin`), since
# the one run that draws it may be cut short by the next (a click on another page) before the
# browser ever runs its script; this record makes every later drawing of it cost nothing.
_HAND_OVER = """<script>
(() => {
  const token = TOKEN;
  if (window.lockstepCookie === token) return;
  fetch(ROUTE, {method: METHOD, body: token || null, credentials: "same-origin"})
    .then((answer) => { if (answer.ok) window.lockstepCookie = token; });
})();
</script>"""


def hand_over(token: str) -> None:
    """Have the browser ask the server for the cookie holding `token` (or, empty, for its
    removal), unless this page already had that answer. The page's script sees the token only
    here, never the cookie afterwards."""
    script = (
        _HAND_OVER.replace("ROUTE", json.dumps(ROUTE))
        .replace("METHOD", json.dumps("POST" if token else "DELETE"))
        .replace("TOKEN", json.dumps(token))  # last: nothing is replaced inside the token
    )
    st.html(script, unsafe_allow_javascript=True, width=1)
