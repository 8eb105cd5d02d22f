"""The API's writes, each one call of `workflow.cms`: a story in, a corrected English, a
publication the CMS made. Each needs a write token and is audited as its integration."""

from typing import Any

from starlette.responses import JSONResponse, Response

from workflow.api.http import JSON_TYPE, ApiError, Call, Endpoint
from workflow.api.stories import language_of
from workflow.cms import correct_english, receive_story, record_publication
from workflow.cms.bodies import (
    EnglishIn,
    PublicationIn,
    StoryIn,
    english_from,
    english_text,
    publication_from,
)
from workflow.formats import FORMATS
from workflow.links import desk_url
from workflow.models import Story, TokenScope
from workflow.sources import latest_version
from workflow.states import VersionState
from workflow.timestamps import rfc3339

TEXT_TYPE = "text/plain"
# ninjs has no registered media type; these are the two names CMSs send it under.
NINJS_TYPES = ("application/ninjs+json", "application/vnd.iptc.ninjs+json")
TEXT_FORMAT = {"type": "string", "enum": list(FORMATS)}  # the story formats that are text

RECEIVED = {
    "type": "object",
    "required": ["id", "url", "external_id", "english_version"],
    "properties": {
        "id": {"type": "integer", "description": "Lockstep's number for the story"},
        "url": {"type": "string", "description": "The story on the desk"},
        "external_id": {"type": "string", "description": "The CMS's own id, as sent"},
        "english_version": {"type": "integer", "description": "What `based_on` names"},
    },
}
CORRECTED = {
    "type": "object",
    "required": ["id", "english_version", "changed", "stale"],
    "properties": {
        "id": {"type": "integer"},
        "english_version": {"type": "integer", "description": "The English version now"},
        "changed": {"type": "boolean", "description": "False: the English was already so"},
        "stale": {
            "type": "object",
            "description": "Per language, the stale paragraphs (0 is the headline)",
            "additionalProperties": {"type": "array", "items": {"type": "integer"}},
        },
        "outdated": {"type": "array", "items": {"type": "string"}},
        "summary": {"type": "string"},
    },
}
PUBLISHED = {
    "type": "object",
    "required": ["id", "lang", "state", "url", "published_at", "changed"],
    "properties": {
        "id": {"type": "integer"},
        "lang": {"type": "string"},
        "state": {"type": "string"},
        "url": {"type": "string"},
        "published_at": {"type": "string", "format": "date-time"},
        "changed": {"type": "boolean", "description": "False: already recorded so"},
        "republished": {"type": "boolean", "description": "Recorded before at another URL"},
    },
}


def _actor(call: Call) -> str:
    assert call.caller is not None  # a write endpoint is never open
    return call.caller.actor


def _post_story(call: Call) -> Response:
    kind = call.media_type
    if kind in ("", JSON_TYPE):
        story, created = receive_story(call.session, call.json(), actor=_actor(call))
    elif kind == TEXT_TYPE or kind in NINJS_TYPES:
        format_name = "ninjs" if kind in NINJS_TYPES else call.query.get("format") or None
        story, created = receive_story(
            call.session, call.text(), actor=_actor(call), format_name=format_name,
            external_id=call.query.get("external_id"),
        )  # fmt: skip
    else:
        raise ApiError(415, f"A story is sent as JSON, text or ninjs, not as {kind}.")
    assert story.id is not None
    answer = {
        "id": story.id,
        "url": desk_url(story.id),
        "external_id": story.external_id,
        "english_version": latest_version(call.session, story.id),
    }
    return JSONResponse(answer, status_code=201 if created else 200)


def _put_english(call: Call) -> dict[str, Any]:
    story_id = call.story_id()
    english: list[str] | str
    if call.media_type in ("", JSON_TYPE):
        english, based_on = english_from(call.json())
    elif call.media_type == TEXT_TYPE or call.media_type in NINJS_TYPES:
        # Read as the story was: the newsroom's format, Markdown, ninjs or plain text.
        ninjs = call.media_type in NINJS_TYPES
        format_name = "ninjs" if ninjs else call.query.get("format") or _story_format(call)
        english, based_on = english_text(call.text(), format_name), _based_on(call)
    else:
        raise ApiError(
            415, f"The English is sent as JSON, text or ninjs, not as {call.media_type}."
        )
    done = correct_english(call.session, story_id, english, based_on=based_on, actor=_actor(call))
    return {
        "id": story_id,
        "english_version": done.version,
        "changed": done.changed,
        "stale": done.stale,
        "outdated": done.outdated,
        "summary": done.summary,
    }


def _story_format(call: Call) -> str | None:
    """The text format the story came in, when it came as text: its correction is read the
    same way (None: found from the text)."""
    story = call.session.get(Story, call.story_id())
    return story.source_format if story is not None and story.source_format in FORMATS else None


def _based_on(call: Call) -> int:
    """`based_on` of a text body, which has no field for it: in the query."""
    given = call.query.get("based_on", "")
    if not given.isdigit() or len(given) > 12:
        raise ApiError(
            422, "Say which English version this corrects: ?based_on=N.",
            problems=["based_on is missing or not a whole number"],
        )  # fmt: skip
    return int(given)


def _post_published(call: Call) -> dict[str, Any]:
    story_id, lang = call.story_id(), language_of(call)
    url, published_at = publication_from(call.json())
    done = record_publication(
        call.session, story_id, lang, url=url, published_at=published_at, actor=_actor(call)
    )
    return {
        "id": story_id,
        "lang": lang,
        "state": VersionState.PUBLISHED.slug,
        "url": done.url,
        "published_at": rfc3339(done.published_at),
        "changed": done.changed,
        "republished": done.republished,
    }


WRITE = TokenScope.WRITE
ENDPOINTS = [
    Endpoint(
        "POST", "/stories", "A story from the CMS", _post_story, scope=WRITE,
        body=StoryIn, body_types=(TEXT_TYPE, *NINJS_TYPES),
        query={"external_id": "The CMS's id for a story sent as text or ninjs",
               "format": "The text's format; found from the text when not given"},
        query_schemas={"format": TEXT_FORMAT},
        answers={201: "Taken in: a new story", 200: "The same story was sent before: the same one",
                 409: "Another English was sent under this external_id: correct it instead",
                 413: "Larger than a story may be", 415: "Not JSON, text or ninjs",
                 422: "Not a story: every problem listed"},
        answer_schema=RECEIVED,
    ),
    Endpoint(
        "PUT", "/stories/{story_id}/english", "A corrected English", _put_english, scope=WRITE,
        body=EnglishIn, body_types=(TEXT_TYPE, *NINJS_TYPES),
        query={"based_on": "For a text or ninjs body: the English version it corrects",
               "format": "The text's format; found from the text when not given"},
        query_schemas={"based_on": {"type": "integer", "minimum": 1}, "format": TEXT_FORMAT},
        answers={200: "Realigned as at the desk (or already so: changed false)",
                 404: "No such story",
                 413: "Larger than a story may be", 415: "Not JSON, text or ninjs",
                 409: "based_on is not the latest version: the current English is given",
                 422: "Not an English: every problem listed"},
        answer_schema=CORRECTED,
    ),
    Endpoint(
        "POST", "/stories/{story_id}/{lang}/published", "The CMS published a version",
        _post_published, scope=WRITE, body=PublicationIn,
        answers={200: "Recorded (or recorded before at this URL: nothing changed)",
                 404: "No such story or language",
                 409: "The version may not go to the site: the reasons are given",
                 422: "Not a URL and a time with its zone"},
        answer_schema=PUBLISHED,
    ),
]  # fmt: skip
