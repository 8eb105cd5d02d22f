"""The API's OpenAPI 3.1 description, written from the endpoints' own declarations (`Endpoint`),
so it cannot describe an endpoint that does not exist or miss one that does."""

from collections.abc import Sequence
from typing import Any

from workflow.api.http import JSON_TYPE, PREFIX, Endpoint, path_parameters
from workflow.api.listing import DEFAULT_LIMIT, MOST_PER_PAGE
from workflow.exports import FORMATS

ERROR = {"$ref": "#/components/schemas/Error"}
COMMON_ANSWERS = {
    401: "No token, or one that is unknown or revoked",
    403: "The token's scope does not allow this, or the desk's rules refuse it",
}
PARAMETERS = {
    "story_id": {"type": "integer", "description": "Lockstep's number for the story"},
    "lang": {
        "type": "string",
        "enum": ["ru", "uk", "ua"],
        "description": "The language of the version (ua is taken as uk)",
    },
}
QUERY_PARAMETERS = {  # a query value not listed here is a string
    "limit": {"type": "integer", "minimum": 1, "maximum": MOST_PER_PAGE, "default": DEFAULT_LIMIT},
    "since": {"type": "string", "format": "date-time"},
    "format": {"type": "string", "enum": list(FORMATS)},
}


def describe(endpoints: Sequence[Endpoint], version: str) -> dict[str, Any]:
    """The OpenAPI document for `endpoints`."""
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {"type": "string", "description": "What went wrong, in words"},
                "problems": {"type": "array", "items": {"type": "string"}},
                "reasons": {"type": "array", "items": {"type": "string"}},
            },
        }
    }
    for endpoint in endpoints:
        operation = _operation(endpoint, schemas)
        paths.setdefault(PREFIX + endpoint.path, {})[endpoint.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lockstep",
            "version": version,
            "description": "The translation desk's API for the newsroom's CMS: stories in, "
            "corrections in, approved language versions out (ninjs, HTML, Markdown).",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An integration token: `python -m workflow token create`",
                }
            },
        },
    }


def _operation(endpoint: Endpoint, schemas: dict[str, Any]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": PARAMETERS.get(name, {})}
        for name in path_parameters(endpoint.path)
    ]
    parameters += [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": meaning,
            "schema": endpoint.query_schemas.get(name)
            or QUERY_PARAMETERS.get(name, {"type": "string"}),
        }
        for name, meaning in endpoint.query.items()
    ]
    answers: dict[str, Any] = {}
    for status, meaning in endpoint.answers.items():
        answer: dict[str, Any] = {"description": meaning}
        if status < 300 and endpoint.answer_schema is not None:
            answer["content"] = {
                kind: {"schema": endpoint.answer_schema} for kind in endpoint.produces
            }
        elif status >= 400:
            answer["content"] = {JSON_TYPE: {"schema": ERROR}}
        answers[str(status)] = answer
    if endpoint.scope is not None:
        for status, meaning in COMMON_ANSWERS.items():
            answers.setdefault(
                str(status), {"description": meaning, "content": {JSON_TYPE: {"schema": ERROR}}}
            )
    operation: dict[str, Any] = {
        "summary": endpoint.summary,
        "operationId": endpoint.handler.__name__.strip("_"),
        "parameters": parameters,
        "responses": answers,
    }
    if endpoint.scope is not None:
        operation["security"] = [{"token": []}]
        operation["description"] = f"Needs a token with the {endpoint.scope.value} scope."
    if endpoint.body is not None or endpoint.body_types:
        content: dict[str, Any] = {}
        if endpoint.body is not None:
            model = endpoint.body.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(model.pop("$defs", {}))
            schemas[endpoint.body.__name__] = model
            content[JSON_TYPE] = {
                "schema": {"$ref": f"#/components/schemas/{endpoint.body.__name__}"}
            }
        for kind in endpoint.body_types:
            content[kind] = {"schema": {"type": "string"}}
        operation["requestBody"] = {"required": True, "content": content}
    return operation
