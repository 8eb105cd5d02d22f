"""The API's plumbing, the same for every endpoint: the token, the body, the errors, the
answer, and the OpenAPI description written from the same declarations.

An endpoint is declared once (`Endpoint`: method, path, scope, what it reads, what it answers)
and its handler is plain synchronous domain code, run in a worker thread with a database
session and the caller: it returns data (answered as JSON) or a `Response`, and raises the
desk's own errors, answered in words with the status a client can act on:

- 401 for a missing, unknown or revoked token (no detail: nothing to learn from it);
- 403 for a token whose scope does not allow the call, or a refusal of the desk's rules;
- 404 for a story or version that does not exist;
- 409 for a conflict: a stale `based_on` (with the current English), a version that may not
  be published (with the reasons), a state the version is not in, another story already sent
  under the same `external_id` (with its number);
- 413 for a body over `MAX_BODY_BYTES`, 415 for a body of a kind the endpoint does not read,
  422 for a body that does not say what the endpoint needs (every problem listed).

Every change an integration makes is recorded in the audit log as "integration <name>".
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workflow.errors import (
    InputError,
    InvalidRequest,
    InvalidTransition,
    LockstepError,
    NotFound,
    NotPublishable,
    PermissionDenied,
    SourceConflict,
    StoryAlreadyReceived,
)
from workflow.formats.limits import MAX_TEXT_BYTES
from workflow.history import acting_as
from workflow.integrations import Caller, authenticate
from workflow.models import TokenScope

PREFIX = "/api/v1"
MAX_BODY_BYTES = MAX_TEXT_BYTES + 64 * 1024  # a story's text at the desk's limit, and its JSON
JSON_TYPE = "application/json"


class ApiError(Exception):
    """An answer other than success: a status, a message in words, and what else helps the
    client (the current English of a conflict, the reasons a version is not publishable)."""

    def __init__(self, status: int, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.details = status, message, details

    def response(self) -> Response:
        headers = (
            {"WWW-Authenticate": "Bearer"}
            if self.status == 401
            else {"Retry-After": "5"}
            if self.status == 503
            else None
        )
        return JSONResponse(
            {"error": self.message, **self.details}, status_code=self.status, headers=headers
        )


@dataclass(frozen=True)
class Call:
    """One request as a handler sees it: who calls, the path's values, the query, the body."""

    session: Session
    caller: Caller | None
    path: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def story_id(self) -> int:
        """The story number in the path; 404 unless it is one."""
        text = self.path.get("story_id", "")
        if not text.isdigit() or len(text) > 12:
            raise ApiError(404, f"There is no story {text[:20]!r} at this desk.")
        return int(text)

    def text(self) -> str:
        """The body as text (UTF-8); 422 in words when it is not."""
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ApiError(
                422, f"The body is not UTF-8 text (a byte at position {exc.start} is not)."
            ) from None

    def json(self) -> Any:
        """The body as JSON; 422 in words when it is not."""
        try:
            return json.loads(self.text())
        except json.JSONDecodeError as exc:
            raise ApiError(
                422, f"The body is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
            ) from None
        except RecursionError:  # `[[[[...` deeper than Python's parser recurses
            raise ApiError(
                422, "The body is JSON nested deeper than any story, correction or publication "
                "is; nothing was read."
            ) from None  # fmt: skip


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Endpoint:
    """One API endpoint: its address, who may call it, and what it reads and answers (for the
    OpenAPI description)."""

    method: str
    path: str  # under PREFIX; `{story_id}` and `{lang}` as in OpenAPI
    summary: str
    handler: Handler
    scope: TokenScope | None = TokenScope.READ  # None: open to anyone (the description)
    body: type[BaseModel] | None = None
    body_types: tuple[str, ...] = ()  # media types read besides JSON (`body`)
    query: Mapping[str, str] = field(default_factory=dict)  # name: what it means
    # name: its JSON Schema, where it is not `openapi.QUERY_PARAMETERS`' (one name, two uses)
    query_schemas: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    answers: Mapping[int, str] = field(default_factory=dict)  # status: what it means
    answer_schema: Mapping[str, Any] | None = None
    produces: tuple[str, ...] = (JSON_TYPE,)

    def route(self, engine: Callable[[], Engine]) -> Route:
        async def endpoint(request: Request) -> Response:
            try:
                body = await _read_body(request) if self.method in ("POST", "PUT") else b""
                return await run_in_threadpool(self._answer, engine, request, body)
            except ApiError as refused:
                return refused.response()

        return Route(PREFIX + self.path, endpoint, methods=[self.method], name=self.summary)

    def _answer(self, engine: Callable[[], Engine], request: Request, body: bytes) -> Response:
        try:
            bind = engine()
        except LockstepError as exc:  # a setting the desk cannot start with, said as the desk does
            raise ApiError(503, f"The desk cannot start: {exc}") from None
        try:
            return self._answer_on(bind, request, body)
        except OperationalError as exc:  # locked (SQLite's one writer) or out of reach
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise ApiError(
                503, f"The database could not be used ({reason}); nothing was changed. "
                "Try again in a moment."
            ) from None  # fmt: skip

    def _answer_on(self, bind: Engine, request: Request, body: bytes) -> Response:
        with Session(bind, expire_on_commit=False) as session:
            caller = self._caller(session, request)
            call = Call(
                session=session,
                caller=caller,
                path={k: str(v) for k, v in request.path_params.items()},
                query=dict(request.query_params),
                headers=dict(request.headers),
                body=body,
            )
            try:
                with acting_as(caller.actor if caller else ""):
                    answered = self.handler(call)
            except LockstepError as exc:
                session.rollback()
                raise as_api_error(exc) from None
        return answered if isinstance(answered, Response) else JSONResponse(answered)

    def _caller(self, session: Session, request: Request) -> Caller | None:
        if self.scope is None:
            return None
        kind, _, token = request.headers.get("authorization", "").partition(" ")
        caller = authenticate(session, token.strip()) if kind.lower() == "bearer" else None
        if caller is None:
            raise ApiError(401, "Unauthorized.")
        if not caller.may(self.scope):
            raise ApiError(
                403, f"The token {caller.name} may {caller.scope.value} only; this call changes "
                "the desk and needs a write token."
            )  # fmt: skip
        return caller


async def _read_body(request: Request) -> bytes:
    """The body, refused (413) as soon as it passes `MAX_BODY_BYTES`."""
    if (body := await read_capped(request, MAX_BODY_BYTES)) is None:
        raise _too_large()
    return body


async def read_capped(request: Request, limit: int) -> bytes | None:
    """A request's body, or None as soon as it passes `limit` bytes (declared or sent): a huge
    body costs no more than the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> ApiError:
    return ApiError(
        413, f"The body is larger than {MAX_BODY_BYTES // 1_048_576} MB, the most a story may be."
    )


def as_api_error(exc: LockstepError) -> ApiError:
    """The desk's refusal as the HTTP answer a client can act on (see the module's list)."""
    message = str(exc)
    if isinstance(exc, NotFound):
        return ApiError(404, message)
    if isinstance(exc, InvalidRequest):
        return ApiError(422, message, problems=exc.problems)
    if isinstance(exc, InputError):
        return ApiError(422, message)
    if isinstance(exc, PermissionDenied):
        return ApiError(403, message)
    if isinstance(exc, NotPublishable):
        return ApiError(409, "This version may not go to the site.", reasons=exc.reasons)
    if isinstance(exc, SourceConflict):
        return ApiError(
            409, message, current_version=exc.current_version, current_english=exc.theirs
        )
    if isinstance(exc, StoryAlreadyReceived):
        return ApiError(409, message, story_id=exc.story_id, current_version=exc.current_version)
    if isinstance(exc, InvalidTransition):
        return ApiError(409, message)
    return ApiError(409, message)


_PARAMETER = re.compile(r"\{(\w+)\}")


def path_parameters(path: str) -> list[str]:
    return _PARAMETER.findall(path)
