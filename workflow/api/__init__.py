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
from starlette.routing import BaseRoute

from workflow.api import from_cms, stories
from workflow.api.http import Call, Endpoint
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
    """Every API route, each opening its sessions on `engine()`."""
    return [endpoint.route(engine) for endpoint in (*DOCUMENTED, OPENAPI)]
