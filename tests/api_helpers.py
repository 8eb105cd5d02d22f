"""A CMS's view of the API in tests: Starlette's TestClient over the real routes, on the test's
database, with integration tokens made through the domain."""

from sqlmodel import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from workflow import api
from workflow.integrations import create_token


def api_client(session: Session) -> TestClient:
    """A client of the API's routes, opening their sessions on `session`'s database."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    return TestClient(Starlette(routes=api.routes(lambda: engine)))


def bearer(session: Session, name: str = "CMS", scope: str = "write") -> dict[str, str]:
    """The header that authorises a call with a new token of this scope."""
    return {"Authorization": f"Bearer {create_token(session, name, scope, person=None)}"}
