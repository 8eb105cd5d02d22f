"""The API's reading of stories: a story's state in every language."""

from typing import Any

from workflow.api.http import ApiError, Call, Endpoint
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


def story_url(call: Call, story_id: int) -> str:
    """The story's address on the desk, on the host the caller reached."""
    return desk_url(story_id, base=call.base_url)


def story_state(call: Call, story_id: int) -> dict[str, Any]:
    """The story's state as `status --json` gives it, with its address on the desk."""
    found = status_report(call.session, [story_id])
    if not found:
        raise ApiError(404, f"There is no story #{story_id} at this desk.")
    return found[0] | {"url": story_url(call, story_id)}


def _get_story(call: Call) -> dict[str, Any]:
    return story_state(call, call.story_id())


ENDPOINTS = [
    Endpoint(
        "GET", "/stories/{story_id}", "A story's state in every language", _get_story,
        answers={200: "States per language, counts, stale and error counts, due times",
                 404: "No such story"},
        answer_schema=STORY_STATE,
    ),
]  # fmt: skip
