"""What the CMS sends the desk, checked before anything is stored: a story, a corrected
English, a publication, as JSON (`StoryIn`, `EnglishIn`, `PublicationIn`) or as text.

Whatever arrives is read as text nobody checked: a body of the wrong shape is one
`InvalidRequest` listing every problem, in the words a CMS's developer reads ("paragraphs[3]
must be text"); one too big is the `InputError` the desk gives a file of that size
(`formats.limits`).
"""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from workflow.errors import InvalidRequest
from workflow.formats import ParsedStory, parse_story
from workflow.formats.limits import MAX_PARAGRAPHS, check_story_size
from workflow.formats.ninjs import CMS_ID, NinjsFormat
from workflow.segmentation import check_text, normalise

EXTERNAL_ID_LENGTH = 200  # `Story.external_id`
URL_LENGTH = 2000  # `LanguageVersion.published_url`
SECTION_LENGTH = 200  # `Story.section`


def _storable(text: str) -> str:
    """Text a database can keep: no lone surrogates (JSON may escape them), which neither
    SQLite nor PostgreSQL can encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("has characters that are not text (lone surrogates)") from None
    return text


def _printable(text: str) -> str:
    if not text.isprintable():
        raise ValueError("must be one line of printable characters")
    return text


def _web_address(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be a web address (http:// or https://)")
    return url


Text = Annotated[str, AfterValidator(_storable)]
Headline = Annotated[Text, StringConstraints(strip_whitespace=True, min_length=1)]
Section = Annotated[Text, StringConstraints(strip_whitespace=True, max_length=SECTION_LENGTH)]
ExternalId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=EXTERNAL_ID_LENGTH),
    AfterValidator(_storable),
    AfterValidator(_printable),
]


class StoryIn(BaseModel):
    """A story as the CMS sends it in JSON: its own id, the headline, the body paragraphs."""

    # Strict: a number is not a paragraph. Fields the desk does not keep are ignored.
    model_config = ConfigDict(strict=True, extra="ignore")

    external_id: ExternalId
    headline: Headline
    section: Section = ""
    paragraphs: list[Text] = Field(min_length=1, max_length=MAX_PARAGRAPHS - 1)


class EnglishIn(BaseModel):
    """A corrected English as the CMS sends it in JSON, with the version it corrects."""

    model_config = ConfigDict(strict=True, extra="ignore")

    based_on: int = Field(ge=1)
    # Required, as in a story: without it the first paragraph would silently become the
    # headline, and every paragraph after it would realign as changed.
    headline: Headline
    paragraphs: list[Text] = Field(max_length=MAX_PARAGRAPHS - 1)


class PublicationIn(BaseModel):
    """Where and when the CMS published a language version."""

    model_config = ConfigDict(extra="ignore")  # lax: the time arrives as ISO 8601 text

    url: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=URL_LENGTH),
        AfterValidator(_storable),
        AfterValidator(_printable),
        AfterValidator(_web_address),
    ]
    published_at: AwareDatetime


_SAID = {  # pydantic's error types, in the words the CMS's developers read
    "missing": "is missing",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "list_type": "must be a list of texts",
    "model_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "string_too_short": "is empty",
    "string_too_long": "is longer than {max_length:,} characters",
    "too_long": "has more than {max_length:,} items",
    "too_short": "is empty",
    "greater_than_equal": "must be at least {ge}",
    "timezone_aware": "needs a time zone (for example 2026-12-06T15:00:00Z)",
    "datetime_type": "must be a time in ISO 8601 (for example 2026-12-06T15:00:00Z)",
}


def _where(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "the body"


def _problems(error: ValidationError) -> list[str]:
    said = []
    for problem in error.errors(include_url=False):
        kind = problem["type"]
        if kind == "too_long" and isinstance(problem.get("input"), str):
            kind = "string_too_long"  # a constrained string says too_long, as a list does
        words = _SAID.get(kind)
        if words is None:
            words = problem["msg"].removeprefix("Value error, ")
        elif "{" in words:
            words = words.format(**problem.get("ctx", {}))
        said.append(f"{_where(problem['loc'])} {words}")
    return said


Model = TypeVar("Model", bound=BaseModel)


def _validated(model: type[Model], body: object, what: str) -> Model:
    if not isinstance(body, Mapping):
        raise InvalidRequest(what, ["the body must be a JSON object"])
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise InvalidRequest(what, _problems(error)) from None


def _text(body: str, what: str) -> str:
    try:
        return check_text(_storable(body))
    except ValueError as error:
        raise InvalidRequest(what, [f"the text {error}"]) from None


_EXTERNAL_ID = TypeAdapter(ExternalId)


def story_from(
    body: object, *, external_id: str | None = None, format_name: str | None = None
) -> tuple[ParsedStory, str]:
    """The story and the CMS's id for it from what the CMS sent: a JSON object (`StoryIn`),
    or text in one of the formats `formats.parse_story` reads, its id given beside it (a ninjs
    document carries its own: `ninjs_id`)."""
    what = "The story was not taken in"
    if isinstance(body, str):
        parsed = _with_body(parse_story(_text(body, what), format_name=format_name), what)
        if external_id is None and parsed.format_name == NinjsFormat.name:
            external_id = ninjs_id(body)
        if external_id is None:
            raise InvalidRequest(what, ["external_id is missing: give the CMS's id for the story"])
        try:
            external_id = _EXTERNAL_ID.validate_python(external_id, strict=True)
        except ValidationError as error:
            problems = [p.replace("the body", "external_id", 1) for p in _problems(error)]
            raise InvalidRequest(what, problems) from None
        return parsed, external_id
    story = _validated(StoryIn, body, what)
    paragraphs = [p for p in map(normalise, story.paragraphs) if p]
    headline = normalise(story.headline)
    if not headline:  # only invisible characters
        raise InvalidRequest(what, ["headline is empty"])
    check_story_size([headline, *paragraphs])
    parsed = ParsedStory(headline, paragraphs, section=normalise(story.section), format_name="json")
    return _with_body(parsed, what), story.external_id


def _with_body(parsed: ParsedStory, what: str) -> ParsedStory:
    """The story, refused when it is a headline alone: a CMS that sends no body has sent a
    story by mistake, and a correction without one would remove every paragraph."""
    if not parsed.paragraphs:
        raise InvalidRequest(what, [NO_BODY])
    return parsed


NO_BODY = "paragraphs is empty: a story has its body besides its headline"


def ninjs_id(text: str) -> str | None:
    """The CMS's id for a story sent as ninjs: its `altids` entry of the CMS's role (where the
    desk's own ninjs puts it), else the document's `uri`; None when it has neither."""
    try:
        document = json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    altids = document.get("altids")
    for altid in altids if isinstance(altids, list) else []:
        if isinstance(altid, dict) and altid.get("role") == CMS_ID:
            value = altid.get("value")
            return value if isinstance(value, str) else None
    uri = document.get("uri")
    return uri if isinstance(uri, str) else None


def english_from(body: object) -> tuple[list[str], int]:
    """The corrected English, headline first, and the version it corrects, from a JSON object
    (`EnglishIn`: the headline and the body paragraphs, as a story is sent)."""
    english = _validated(EnglishIn, body, "The English was not corrected")
    return [english.headline, *english.paragraphs], english.based_on


def english_paragraphs(english: object, based_on: object) -> tuple[list[str], int]:
    """A correction's paragraphs, headline first (text is cut as the desk's whole-text editor
    cuts it), and the version it corrects, checked."""
    what = "The English was not corrected"
    if isinstance(based_on, bool) or not isinstance(based_on, int):
        raise InvalidRequest(what, ["based_on must be a whole number"])
    if isinstance(english, str):
        paragraphs = english_text(english)
    elif isinstance(english, list | tuple):
        paragraphs = [_text_paragraph(p, what) for p in english]
    else:
        raise InvalidRequest(what, ["the English must be text or a list of paragraphs"])
    if len([p for p in paragraphs if normalise(p)]) < 2:
        raise InvalidRequest(what, [NO_BODY])
    return paragraphs, based_on


def english_text(text: str, format_name: str | None = None) -> list[str]:
    """A corrected English sent as text, headline first, read as the story itself is read
    (`formats.parse_story`: the newsroom's format, Markdown, ninjs or plain text, found from the
    text unless `format_name` says), so a correction is cut exactly as the story was."""
    what = "The English was not corrected"
    parsed = _with_body(parse_story(_text(text, what), format_name=format_name), what)
    return [parsed.headline, *parsed.paragraphs]


def _text_paragraph(paragraph: object, what: str) -> str:
    if not isinstance(paragraph, str):
        raise InvalidRequest(what, ["paragraphs must be a list of texts"])
    try:
        return _storable(paragraph)
    except ValueError as error:
        raise InvalidRequest(what, [f"a paragraph {error}"]) from None


def publication_from(body: object) -> tuple[str, datetime]:
    """The URL and time of a publication, from a JSON object (`PublicationIn`)."""
    found = _validated(PublicationIn, body, "The publication was not recorded")
    return found.url, found.published_at
