"""Stories: storing an imported story with its paragraphs, versions and empty translations,
and finding one again by its number, headline or English text."""

import re
from collections.abc import Sequence

from sqlalchemy import case, exists, insert, or_
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.errors import NotFound
from workflow.events import WebhookEvent, emit
from workflow.formats import ParsedStory
from workflow.models import LanguageVersion, Person, SourceParagraph, Story, Translation
from workflow.queries import current
from workflow.records import Line, Record, RecordKind
from workflow.segmentation import fingerprint
from workflow.sources import record_source_version
from workflow.states import Action
from workflow.writes import apply


def import_story(
    session: Session, parsed: ParsedStory, *, person: Person | None, external_id: str | None = None
) -> Story:
    """Store a parsed story: its English paragraphs and an empty version in every language.

    `person` is who imports it (checked against the roles that may); None is the command line,
    run by an operator of the server, or the CMS. `external_id` is the CMS's own id for the
    story: unique, so a second import under it fails on the column (`cms.receive_story` says
    what that means).
    """
    story = Story(
        headline=parsed.headline,
        section=parsed.section,
        date_line=parsed.date_line,
        source_format=parsed.format_name,
        external_id=external_id,
    )

    def write() -> Line:
        session.add(story)
        session.flush()
        assert story.id is not None
        # Set-wise, so an import costs the same few statements whatever the story's length:
        # the paragraphs in one INSERT, their ids read back in order, the translations in one.
        session.execute(
            insert(SourceParagraph),
            [
                {
                    "story_id": story.id,
                    "position": i,
                    "text": text,
                    "fingerprint": fingerprint(text),
                }
                for i, text in enumerate(parsed.all_paragraphs)
            ],
        )
        paragraph_ids = session.exec(
            select(SourceParagraph.id)
            .where(SourceParagraph.story_id == story.id)
            .order_by(col(SourceParagraph.position))
        ).all()
        session.add_all(LanguageVersion(story_id=story.id, lang=lang) for lang in LANGUAGES)
        if paragraph_ids:
            session.execute(
                insert(Translation),
                [
                    {"story_id": story.id, "paragraph_id": paragraph_id, "lang": lang}
                    for lang in LANGUAGES
                    for paragraph_id in paragraph_ids
                ],
            )
        record_source_version(session, story.id, parsed.all_paragraphs, person, "Imported")
        data = {"paragraphs": len(paragraph_ids), "format": parsed.format_name}
        emit(session, WebhookEvent.STORY_IMPORTED, story.id, data)
        comment = f"{len(paragraph_ids)} paragraphs, {parsed.format_name} format"
        if external_id is not None:
            comment += f", the CMS's story {external_id}"
        return Line(comment=comment, story_id=story.id)

    # A new story: nothing to compare.
    apply(session, Action.IMPORT_STORY, Record(RecordKind.STORY, write), person=person)
    session.refresh(story)
    return story


def list_stories(session: Session) -> Sequence[Story]:
    """Every story, the most recently changed first."""
    return session.exec(
        select(Story).order_by(col(Story.updated_at).desc(), col(Story.id).desc())
    ).all()


FOUND_AT_MOST = 50
_NUMBER = re.compile(r"#?\s*(\d{1,18})")


def story_number(text: str) -> int | None:
    """The story number a person or an address wrote (`12`, `#12`, ` # 12 `), or None."""
    number = _NUMBER.fullmatch(text.strip())
    return int(number.group(1)) if number else None


def find_stories(session: Session, wanted: str, limit: int = FOUND_AT_MOST) -> Sequence[Story]:
    """The stories a person looking for `wanted` means: the one numbered so (`12` or `#12`)
    first, then those whose headline, then whose current English, holds the words as typed
    (case aside), each group most recently changed first. Nothing typed: every story."""
    wanted = " ".join(wanted.split())[:200]
    if not wanted:
        return list_stories(session)[:limit]
    number = story_number(wanted)
    by_id = col(Story.id) == number if number is not None else None
    in_headline = col(Story.headline).icontains(wanted, autoescape=True)
    in_text = exists().where(
        col(SourceParagraph.story_id) == col(Story.id),
        current(),
        col(SourceParagraph.text).icontains(wanted, autoescape=True),
    )
    matches = [m for m in (by_id, in_headline, in_text) if m is not None]
    rank = case(*((m, n) for n, m in enumerate(matches)), else_=len(matches))
    return session.exec(
        select(Story)
        .where(or_(*matches))
        .order_by(rank, col(Story.updated_at).desc(), col(Story.id).desc())
        .limit(limit)
    ).all()


def get_story(session: Session, story_id: int) -> Story:
    story = session.get(Story, story_id)
    if story is None:
        raise NotFound(f"Story {story_id} does not exist.")
    return story
