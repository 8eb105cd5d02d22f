"""What the newsroom's CMS asks of the desk: take a story in, take a corrected English, record
that it published a language version. The HTTP API only turns requests into these calls.

Each call is one transaction, audited as the integration that made it (`actor`, the words
`Change.actor` shows, through `history.acting_as`), and reads what the CMS sent as text nobody
checked: a body of the wrong shape is one `InvalidRequest` listing every problem, one too big
the `InputError` the desk gives a file of that size.

- `receive_story` is idempotent on the CMS's own id for the story (`external_id`): the same
  story again is the one stored, and nothing is written; other English under that id is
  `StoryAlreadyReceived` (a correction goes through `correct_english`, never a second story).
- `correct_english` is the desk's English edit (`sources.update_source`): realigned and
  carried the same way, refused with the current English (`SourceConflict`) unless `based_on`
  is the latest version.
- `record_publication` is the desk's Publish (`versions.publish_version`) behind the same gate,
  with where and when the CMS published it; the same report again changes nothing, a new URL
  is a republication.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
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
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from workflow import LANGUAGES
from workflow.errors import InvalidRequest, StoryAlreadyReceived
from workflow.formats import ParsedStory, parse_story
from workflow.formats.limits import MAX_PARAGRAPHS, check_story_size
from workflow.history import acting_as
from workflow.models import LanguageVersion, Story
from workflow.progress import stale_positions, version_progress
from workflow.queries import current_paragraphs
from workflow.records import Line, Record, RecordKind
from workflow.segmentation import check_text, normalise, split_paragraphs
from workflow.sources import latest_version, update_source
from workflow.states import Action, VersionState
from workflow.stories import get_story, import_story
from workflow.versions import get_version, publish_version, refuse_unpublishable
from workflow.writes import apply, transaction

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
    paragraphs: list[Text] = Field(default_factory=list, max_length=MAX_PARAGRAPHS - 1)


class EnglishIn(BaseModel):
    """A corrected English as the CMS sends it in JSON, with the version it corrects."""

    model_config = ConfigDict(strict=True, extra="ignore")

    based_on: int = Field(ge=1)
    headline: Headline | None = None
    paragraphs: list[Text] = Field(max_length=MAX_PARAGRAPHS)


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
    or text in one of the formats `formats.parse_story` reads, its id given beside it."""
    what = "The story was not taken in"
    if isinstance(body, str):
        if external_id is None:
            raise InvalidRequest(what, ["external_id is missing: give the CMS's id for the story"])
        try:
            external_id = _EXTERNAL_ID.validate_python(external_id, strict=True)
        except ValidationError as error:
            problems = [p.replace("the body", "external_id", 1) for p in _problems(error)]
            raise InvalidRequest(what, problems) from None
        return parse_story(_text(body, what), format_name=format_name), external_id
    story = _validated(StoryIn, body, what)
    paragraphs = [p for p in map(normalise, story.paragraphs) if p]
    headline = normalise(story.headline)
    if not headline:  # only invisible characters
        raise InvalidRequest(what, ["headline is empty"])
    check_story_size([headline, *paragraphs])
    parsed = ParsedStory(headline, paragraphs, section=normalise(story.section), format_name="json")
    return parsed, story.external_id


def receive_story(
    session: Session,
    body: object,
    *,
    actor: str,
    external_id: str | None = None,
    format_name: str | None = None,
) -> tuple[Story, bool]:
    """Take in a story from the CMS (`story_from`); True when it is new.

    The same story under the same `external_id` again is the stored one, nothing written, so
    a CMS may send it as often as it likes; other English under that id is refused
    (`StoryAlreadyReceived`, naming the story and its English version). Two requests sending
    one story at once make one story: the second to write loses on the column's uniqueness and
    answers with the first's."""
    parsed, external_id = story_from(body, external_id=external_id, format_name=format_name)
    with acting_as(actor):
        stored = _received(session, external_id)
        if stored is None:
            try:
                return import_story(session, parsed, person=None, external_id=external_id), True
            except IntegrityError:
                session.rollback()  # another request stored it meanwhile: read theirs
                stored = _received(session, external_id)
                if stored is None:
                    raise
        return _same_story(session, stored, parsed), False


def _received(session: Session, external_id: str) -> Story | None:
    return session.exec(select(Story).where(col(Story.external_id) == external_id)).first()


def _same_story(session: Session, story: Story, parsed: ParsedStory) -> Story:
    assert story.id is not None
    english = [p.text for p in current_paragraphs(session, story.id)]
    if english == [normalise(p) for p in parsed.all_paragraphs]:
        return story
    version = latest_version(session, story.id)
    raise StoryAlreadyReceived(
        f"Story {story.id} came from the CMS as {story.external_id} with other English. Send "
        f"the new English as a correction of story {story.id}, based on English version "
        f"{version}: nothing was changed.",
        story_id=story.id,
        current_version=version,
    )


@dataclass(frozen=True)
class Correction:
    """What a corrected English did: its version, and what is stale now in each language."""

    story_id: int
    version: int  # the English version now: the new one, or the same when nothing changed
    changed: bool
    stale: dict[str, list[int]]  # per language, where its stale paragraphs are (0: headline)
    outdated: list[str]  # languages whose approved or published version just fell behind
    summary: str


def english_from(body: object) -> tuple[list[str], int]:
    """The corrected English and the version it corrects, from a JSON object (`EnglishIn`):
    `paragraphs` are the whole English, headline first, unless `headline` is given beside."""
    english = _validated(EnglishIn, body, "The English was not corrected")
    if english.headline is not None:
        return [english.headline, *english.paragraphs], english.based_on
    return list(english.paragraphs), english.based_on


def correct_english(
    session: Session,
    story_id: int,
    english: Sequence[str] | str,
    *,
    based_on: int,
    actor: str,
) -> Correction:
    """Replace the story's English with the CMS's correction, exactly as an editor's edit at
    the desk does; `english` is the paragraphs, headline first, or text cut into paragraphs
    as the desk's whole-text editor cuts it. Refused with the current English
    (`SourceConflict`) unless `based_on` is the latest English version."""
    what = "The English was not corrected"
    if isinstance(based_on, bool) or not isinstance(based_on, int):
        raise InvalidRequest(what, ["based_on must be a whole number"])
    if isinstance(english, str):
        paragraphs = split_paragraphs(_text(english, what))
    elif isinstance(english, list | tuple):
        paragraphs = [_text_paragraph(p, what) for p in english]
    else:
        raise InvalidRequest(what, ["the English must be text or a list of paragraphs"])
    with acting_as(actor), transaction(session):
        get_story(session, story_id)
        done = update_source(
            session, story_id=story_id, paragraphs=paragraphs, person=None, based_on=based_on
        )
        version = done.version if done.changed_anything else latest_version(session, story_id)
        stale = {lang: stale_positions(session, story_id, lang) for lang in LANGUAGES}
    return Correction(
        story_id, version, done.changed_anything, stale, list(done.outdated), done.summary()
    )


def _text_paragraph(paragraph: object, what: str) -> str:
    if not isinstance(paragraph, str):
        raise InvalidRequest(what, ["paragraphs must be a list of texts"])
    try:
        return _storable(paragraph)
    except ValueError as error:
        raise InvalidRequest(what, [f"a paragraph {error}"]) from None


@dataclass(frozen=True)
class Publication:
    """A publication the CMS reported, and what recording it did."""

    story_id: int
    lang: str
    url: str
    published_at: datetime
    changed: bool  # False: the same report again, nothing written
    republished: bool  # published before, now at another URL


def publication_from(body: object) -> tuple[str, datetime]:
    """The URL and time of a publication, from a JSON object (`PublicationIn`)."""
    found = _validated(PublicationIn, body, "The publication was not recorded")
    return found.url, found.published_at


def record_publication(
    session: Session,
    story_id: int,
    lang: str,
    *,
    url: str,
    published_at: datetime | str,
    actor: str,
) -> Publication:
    """The CMS published the version at `url`: move it to published through the desk's own
    Publish, refused with every reason (`NotPublishable`) unless the site may have it. The
    audit line says where and when the CMS published it. Reported again at the same URL it
    changes nothing; at another URL the URL changes (a republication, audited as a publish)."""
    url, when = publication_from({"url": url, "published_at": published_at})
    when = when.astimezone(UTC)
    with acting_as(actor), transaction(session):
        get_story(session, story_id)
        version = get_version(session, story_id, lang)
        detail = f"The CMS published it at {url} on {when:%Y-%m-%d %H:%M:%S} UTC."
        stored_url = _published_url(session, version)
        published = version_progress(session, story_id, lang).state is VersionState.PUBLISHED
        if published and stored_url == url:
            return Publication(story_id, lang, url, when, changed=False, republished=False)
        if published:
            refuse_unpublishable(session, story_id, lang)
            _republish(session, version, url, stored_url, detail)
        else:
            publish_version(session, story_id=story_id, lang=lang, person=None, detail=detail)
            # The publish line just written says where: the URL is part of that one change.
            _set_url(session, version, url)
    return Publication(story_id, lang, url, when, changed=True, republished=published)


def _published_url(session: Session, version: LanguageVersion) -> str:
    return session.exec(
        select(LanguageVersion.published_url).where(LanguageVersion.id == version.id)
    ).one()


def _set_url(session: Session, version: LanguageVersion, url: str) -> None:
    session.exec(
        update(LanguageVersion)  # type: ignore[call-overload]
        .where(col(LanguageVersion.id) == version.id)
        .values(published_url=url)
    )


def _republish(
    session: Session, version: LanguageVersion, url: str, stored_url: str, detail: str
) -> None:
    def write() -> Line:
        _set_url(session, version, url)
        return Line(detail=detail, comment=f"Published again: it was at {stored_url}.")

    record = Record(
        RecordKind.VERSION,
        write,
        stored=lambda: _published_url(session, version),
        story_id=version.story_id,
        lang=version.lang,
    )
    apply(session, Action.PUBLISH, record, person=None, expect=stored_url)
