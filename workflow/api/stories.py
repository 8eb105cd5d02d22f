"""The API's reading of stories: the listing a CMS polls, a story's state in every language,
and a language version as the site publishes it (ninjs, HTML or Markdown)."""

import hashlib
from typing import Any

from starlette.responses import Response

from workflow.api.http import ApiError, Call, Endpoint
from workflow.api.listing import QUERY, asked_listing, story_page
from workflow.api.negotiation import OFFERED, chosen_format
from workflow.errors import InputError
from workflow.exports import MEDIA_TYPES, export_version
from workflow.languages import language_code
from workflow.links import desk_url
from workflow.progress import status_report

LANGUAGE_STATE = {
    "type": "object",
    "properties": {
        "state": {"type": "string"},
        "paragraphs": {"type": "integer"},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "stale": {"type": "integer"},
        "errors": {"type": "integer"},
        "due_at": {"type": ["string", "null"], "format": "date-time"},
        "published_url": {"type": ["string", "null"]},
        "published_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "When the CMS said it published the version",
        },
    },
}
STORY_STATE = {
    "type": "object",
    "required": ["id", "headline", "url", "languages"],
    "properties": {
        "id": {"type": "integer"},
        "external_id": {"type": ["string", "null"]},
        "headline": {"type": "string"},
        "section": {"type": "string"},
        "url": {"type": "string", "description": "The story on the desk"},
        "english_version": {"type": "integer", "description": "What `based_on` names"},
        "languages": {"type": "object", "additionalProperties": LANGUAGE_STATE},
    },
}


def story_state(call: Call, story_id: int) -> dict[str, Any]:
    """The story's state as `status --json` gives it, with its address on the desk."""
    found = status_report(call.session, [story_id])
    if not found:
        raise ApiError(404, f"There is no story #{story_id} at this desk.")
    return found[0] | {"url": desk_url(story_id)}


def _get_story(call: Call) -> dict[str, Any]:
    return story_state(call, call.story_id())


STORY_PAGE = {
    "type": "object",
    "required": ["stories", "next_cursor"],
    "properties": {
        "stories": {"type": "array", "items": STORY_STATE},
        "next_cursor": {
            "type": ["string", "null"],
            "description": "The next page's `cursor`; null on the last page",
        },
    },
}


def language_of(call: Call) -> str:
    """The language in the path (`ua` is `uk`); 404 in words for one the desk does not have."""
    try:
        return language_code(call.path.get("lang", ""))
    except InputError as unknown:
        raise ApiError(404, str(unknown)) from None


def _list_stories(call: Call) -> dict[str, Any]:
    ids, next_cursor = story_page(call.session, asked_listing(call.query))
    # One status report for the whole page (a constant number of queries), in the page's order.
    by_id = {state["id"]: state for state in status_report(call.session, ids)}
    return {
        "stories": [by_id[i] | {"url": desk_url(i)} for i in ids if i in by_id],
        "next_cursor": next_cursor,
    }


def _get_version(call: Call) -> Response:
    story_id, lang = call.story_id(), language_of(call)
    kind = chosen_format(call.query.get("format"), call.headers.get("accept", ""))
    body = export_version(call.session, story_id, lang, kind).encode()
    # The same bytes, the same tag: a CMS that polls is answered 304 with no body to compare.
    tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"ETag": tag, "Vary": "Accept"}
    if tag in (t.strip() for t in call.headers.get("if-none-match", "").split(",")):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=MEDIA_TYPES[kind], headers=headers)


ENDPOINTS = [
    Endpoint(
        "GET", "/stories/{story_id}", "A story's state in every language", _get_story,
        answers={200: "States per language, counts, stale and error counts, due times",
                 404: "No such story"},
        answer_schema=STORY_STATE,
    ),
    Endpoint(
        "GET", "/stories", "Stories changed since a time, a page at a time", _list_stories,
        query=QUERY,
        answers={200: "A page of stories, oldest change first, and the next page's cursor",
                 422: "A value of the query that is not one the listing takes (each named)"},
        answer_schema=STORY_PAGE,
    ),
    Endpoint(
        "GET", "/stories/{story_id}/{lang}", "A language version as the site publishes it",
        _get_version,
        query={"format": "json (ninjs, the default), html or md; without it, the Accept header"},
        answers={200: "The approved or published version (ETag: ask again with If-None-Match)",
                 304: "Unchanged since the ETag given in If-None-Match",
                 404: "No such story or language",
                 406: "The Accept header allows none of the formats",
                 409: "The version may not go to the site yet (the reasons listed)",
                 422: "A format the desk does not write"},
        answer_schema={"description": "ninjs (JSON), an HTML document or Markdown"},
        produces=OFFERED,
    ),
]  # fmt: skip
