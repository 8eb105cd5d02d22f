"""What the newsroom's CMS asks of the desk: take a story in, take a corrected English, record
that it published a language version. The HTTP API only turns requests into these calls.

Each call is one transaction, audited as the integration that made it (`actor`, the words
`Change.actor` shows, through `history.acting_as`), and checks what the CMS sent before it
stores anything (`bodies`).

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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from workflow import LANGUAGES
from workflow.cms.bodies import english_paragraphs, publication_from, story_from
from workflow.errors import (
    InvalidTransition,
    NotPublishable,
    SourceConflict,
    StoryAlreadyReceived,
)
from workflow.formats import ParsedStory
from workflow.history import acting_as
from workflow.import_policy import take_write_lock
from workflow.models import LanguageVersion, Story
from workflow.progress import stale_positions, version_progress
from workflow.queries import current_paragraphs
from workflow.records import Line, Record, RecordKind
from workflow.sources import latest_version, update_source
from workflow.states import Action, VersionState
from workflow.stories import get_story, import_story
from workflow.versions import get_version, publish_version, refuse_unpublishable
from workflow.writes import apply, transaction


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
    """The stored story when its English is what importing `parsed` stores; refused otherwise.
    The section and date line are not compared: the English is what the desk translates."""
    assert story.id is not None
    english = [p.text for p in current_paragraphs(session, story.id)]
    if english == parsed.all_paragraphs:
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
    paragraphs, based_on = english_paragraphs(english, based_on)
    # update_source's first statement takes the story's lock: a read before it, inside the
    # transaction, would leave SQLite holding an old snapshot it cannot write from.
    try:
        with acting_as(actor), transaction(session):
            done = update_source(
                session, story_id=story_id, paragraphs=paragraphs, person=None, based_on=based_on
            )
            version = done.version if done.changed_anything else latest_version(session, story_id)
            stale = {lang: stale_positions(session, story_id, lang) for lang in LANGUAGES}
    except SourceConflict as conflict:
        if conflict.yours != conflict.theirs or based_on > conflict.current_version:
            raise
        # The same correction again (a retry after a timeout): the English already says it.
        stale = {lang: stale_positions(session, story_id, lang) for lang in LANGUAGES}
        return Correction(
            story_id, conflict.current_version, False, stale, [],
            "The English already says this: nothing changed.",
        )  # fmt: skip
    return Correction(
        story_id, version, done.changed_anything, stale, list(done.outdated), done.summary()
    )


@dataclass(frozen=True)
class Publication:
    """A publication the CMS reported, and what recording it did."""

    story_id: int
    lang: str
    url: str
    published_at: datetime
    changed: bool  # False: the same report again, nothing written
    republished: bool  # published before, now at another URL


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
    with acting_as(actor):
        try:
            return _record_publication(session, story_id, lang, url, when)
        except NotPublishable:
            raise
        except InvalidTransition:
            # The version moved between reading and writing: most likely a second report of
            # this publication (a CMS retrying) got there first. Read it again, once: the same
            # URL is then a repeat, answered as one.
            session.rollback()
            return _record_publication(session, story_id, lang, url, when)


def _record_publication(
    session: Session, story_id: int, lang: str, url: str, when: datetime
) -> Publication:
    take_write_lock(session)  # SQLite: reads below, then a write; see there
    with transaction(session):
        get_story(session, story_id)
        version = get_version(session, story_id, lang)
        detail = f"The CMS published it at {url} on {when:%Y-%m-%d %H:%M:%S} UTC."
        stored_url = _published_url(session, version)
        published = version_progress(session, story_id, lang).state is VersionState.PUBLISHED
        if published and stored_url == url:
            return Publication(story_id, lang, url, when, changed=False, republished=False)
        if published:
            refuse_unpublishable(session, story_id, lang)
            _republish(session, version, url, when, stored_url, detail)
        else:
            publish_version(session, story_id=story_id, lang=lang, person=None, detail=detail)
            # The publish line just written says where and when: both are part of that change.
            _set_publication(session, version, url, when)
    return Publication(story_id, lang, url, when, changed=True, republished=published)


def _published_url(session: Session, version: LanguageVersion) -> str:
    return session.exec(
        select(LanguageVersion.published_url).where(LanguageVersion.id == version.id)
    ).one()


def _set_publication(session: Session, version: LanguageVersion, url: str, when: datetime) -> None:
    session.exec(
        update(LanguageVersion)  # type: ignore[call-overload]
        .where(col(LanguageVersion.id) == version.id)
        .values(published_url=url, published_at=when)
    )


def _republish(
    session: Session,
    version: LanguageVersion,
    url: str,
    when: datetime,
    stored_url: str,
    detail: str,
) -> None:
    def write() -> Line:
        _set_publication(session, version, url, when)
        return Line(detail=detail, comment=f"Published again: it was at {stored_url}.")

    record = Record(
        RecordKind.VERSION,
        write,
        stored=lambda: _published_url(session, version),
        story_id=version.story_id,
        lang=version.lang,
    )
    apply(session, Action.PUBLISH, record, person=None, expect=stored_url)
