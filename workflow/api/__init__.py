"""The HTTP API for the newsroom's CMS, under `/api/v1`, served by the desk's own process
(`st.App` in app.py serves these routes beside the pages).

The routes only translate HTTP to the desk's domain functions, the same ones the pages and the
command line call; `http` holds what every endpoint shares (the token, the body, the errors),
`openapi` writes the description at `/api/v1/openapi.json` from the endpoints' declarations.
"""

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Route

from workflow.api import from_cms, stories
from workflow.api.http import PREFIX, Call, Endpoint
from workflow.api.openapi import describe

DOCUMENTED = [*stories.ENDPOINTS, *from_cms.ENDPOINTS]


def _release() -> str:
    try:
        return version("lockstep")
    except PackageNotFoundError:
        return "0"


def _openapi(call: Call) -> dict[str, Any]:
    return describe(DOCUMENTED, _release())


OPENAPI = Endpoint(
    "GET", "/openapi.json", "This description", _openapi, scope=None,
    answers={200: "The OpenAPI 3.1 description of this API"},
)  # fmt: skip


def routes(engine: Callable[[], Engine]) -> list[BaseRoute]:
    """Every API route, each opening its sessions on `engine()`, then one for every other
    address under /api: a CMS that mistypes a path gets JSON in words, never the desk's page."""
    served = [endpoint.route(engine) for endpoint in (*DOCUMENTED, OPENAPI)]

    async def elsewhere(request: Request) -> Response:
        allowed = sorted(
            method
            for route in served
            if isinstance(route, Route) and route.matches(request.scope)[0] is not Match.NONE
            for method in route.methods or ()
            if method != "HEAD"
        )
        if allowed:
            return JSONResponse(
                {"error": f"{request.url.path} answers {' and '.join(allowed)} only."},
                status_code=405,
                headers={"Allow": ", ".join(allowed)},
            )
        return JSONResponse(
            {"error": f"There is no {request.url.path[:200]} in this API; "
                      f"{PREFIX}/openapi.json lists what there is."},
            status_code=404,
        )  # fmt: skip

    return [
        *served,
        *(
            Route(path, elsewhere, methods=list(EVERY_METHOD))
            for path in ("/api", "/api/{rest:path}")
        ),
    ]


EVERY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
