"""A story and its texts: the English (paragraphs and every version of it), a version per
language, each paragraph's translation with its revisions, suggestions, flags and comments (its
stale periods are `stale.StalePeriod`).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from workflow.models.base import Table, utcnow
from workflow.states import TranslationState, VersionState
from workflow.vocabulary import EnumValue, Origin, RevisionReason, Severity


class StoryBase(Table):
    headline: str
    section: str = Field(default="", max_length=200)
    date_line: str = Field(default="", max_length=200)


class Story(StoryBase, table=True):
    """One piece of news: its English paragraphs and a version per target language."""

    id: int | None = Field(default=None, primary_key=True)
    source_format: str = Field(default="plain", max_length=20)
    embargoed: bool = Field(default=False, description="Never sent to an outside engine")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    english_changed_at: datetime = Field(
        default_factory=utcnow, index=True, description="When the English last changed"
    )
    external_id: str | None = Field(
        default=None, max_length=200, unique=True, description="The CMS's own id for the story"
    )


class SourceParagraph(Table, table=True):
    """One paragraph of the English text; position 0 is the headline."""

    __table_args__ = (sa.Index("ix_sourceparagraph_story_position", "story_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id")
    position: int
    text: str
    fingerprint: str = Field(max_length=64, index=True)
    removed: bool = Field(default=False, description="Gone from the English; kept for history")
    lock_version: int = Field(
        default=1,
        sa_column_kwargs={"server_default": "1"},
        description="Counts the texts this paragraph has had; guards against lost updates",
    )


class SourceVersion(Table, table=True):
    """One version of a story's English, as imported or edited: every version is kept."""

    __table_args__ = (sa.UniqueConstraint("story_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id", index=True)
    number: int
    text: str = Field(description="The paragraphs, headline first, separated by blank lines")
    summary: str = ""
    author_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class LanguageVersion(Table, table=True):
    """All translations of a story in one language: the unit editors approve."""

    __table_args__ = (sa.UniqueConstraint("story_id", "lang"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id", index=True)
    lang: str = Field(max_length=8)
    state: VersionState = Field(
        default=VersionState.IN_TRANSLATION,
        sa_type=EnumValue(VersionState),  # type: ignore[call-overload]
        index=True,
    )
    translator_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    reviewer_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    due_at: datetime | None = Field(default=None, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    published_url: str = Field(
        default="", max_length=2000, description="Where the CMS says it published the version"
    )
    published_at: datetime | None = Field(
        default=None, description="When the CMS says it published the version (UTC)"
    )


class Translation(Table, table=True):
    """One paragraph's text in one language, with the English it was made from."""

    __table_args__ = (
        sa.UniqueConstraint("paragraph_id", "lang"),
        sa.Index("ix_translation_story_lang_state", "story_id", "lang", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id")
    paragraph_id: int = Field(foreign_key="sourceparagraph.id")
    lang: str = Field(max_length=8)
    text: str = ""
    state: TranslationState = Field(
        default=TranslationState.EMPTY,
        sa_type=EnumValue(TranslationState),  # type: ignore[call-overload]
    )
    source_fingerprint: str | None = Field(default=None, max_length=64)
    source_text: str | None = None
    check_from: str | None = Field(
        default=None, description="The English before a minor edit, until someone checks it"
    )
    origin: Origin = Field(
        default=Origin.NONE,
        sa_type=EnumValue(Origin, length=40),  # type: ignore[call-overload]
    )
    draft_text: str | None = Field(
        default=None, description="The machine or memory draft the text started from"
    )
    draft_origin: Origin = Field(
        default=Origin.NONE,
        sa_type=EnumValue(Origin, length=40),  # type: ignore[call-overload]
    )
    lock_version: int = Field(
        default=0, description="Counts saved texts; guards against lost updates"
    )
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    translated_by_id: int | None = Field(
        default=None,
        foreign_key="person.id",
        description="Who wrote the text while it was in translation; may not approve it",
    )


class Revision(Table, table=True):
    """A saved text of a translation: nothing anyone typed is thrown away."""

    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="translation.id", index=True)
    lock_version: int = Field(description="The translation's counter this text was saved at")
    text: str
    origin: Origin = Field(
        default=Origin.NONE,
        sa_type=EnumValue(Origin, length=40),  # type: ignore[call-overload]
    )
    reason: RevisionReason = Field(
        default=RevisionReason.EDIT,
        sa_type=EnumValue(RevisionReason, length=20),  # type: ignore[call-overload]
    )
    source_fingerprint: str | None = Field(default=None, max_length=64)
    source_text: str | None = None
    author_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class Suggestion(Table, table=True):
    """A draft offered beside a translation a person wrote: accepted or ignored, never imposed."""

    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="translation.id", index=True)
    text: str
    origin: Origin = Field(sa_type=EnumValue(Origin, length=40))  # type: ignore[call-overload]
    match: int = Field(default=100, description="Similarity of the English it was made for")
    source_text: str = Field(description="The English this suggestion translates")
    created_at: datetime = Field(default_factory=utcnow)


class Flag(Table, table=True):
    """A check's finding on a translation, as it stands for its current text and English.

    Recomputed whenever either changes; an editor's override (who, when, why) is kept as long
    as the same finding stands.
    """

    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="translation.id", index=True)
    code: str = Field(max_length=40)
    severity: Severity = Field(sa_type=EnumValue(Severity, length=10))  # type: ignore[call-overload]
    message: str
    checked: str = Field(
        default="", max_length=64, description="Hash of the English and text it was found on"
    )
    overridden_by_id: int | None = Field(default=None, foreign_key="person.id")
    override_reason: str | None = None
    overridden_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Comment(Table, table=True):
    """A remark on a paragraph (or, without a translation, on a whole language version) and
    the answers to it: an editor's send-back comment, a translator's reply."""

    __table_args__ = (sa.Index("ix_comment_story_lang", "story_id", "lang"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id")
    lang: str = Field(max_length=8)
    translation_id: int | None = Field(default=None, foreign_key="translation.id")
    reply_to_id: int | None = Field(default=None, foreign_key="comment.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="person.id")
    text: str
    created_at: datetime = Field(default_factory=utcnow)
