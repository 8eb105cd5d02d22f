"""The stored shape of the desk: people, stories, source paragraphs, translations and history.

Times are timezone-aware UTC (`utcnow`) on SQLite and PostgreSQL alike. Enum columns store the
enum's value through `EnumValue`, so stored numbers and words stay stable and portable. What a
thing has several of (a person's languages, a glossary term's translations) is rows, one each.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, overload

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from workflow.states import Action, Role, TranslationState, VersionState
from workflow.vocabulary import EnumValue, Event, Origin, RevisionReason, Severity


def utcnow() -> datetime:
    return datetime.now(UTC)


@overload
def as_utc(moment: datetime) -> datetime: ...
@overload
def as_utc(moment: None) -> None: ...
def as_utc(moment: datetime | None) -> datetime | None:
    """A stored time as timezone-aware UTC: SQLite gives times back without their zone, and a
    time typed without one is taken as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def insert_for(session: Any) -> Any:
    """The INSERT of the session's database, which has `on_conflict_do_nothing`: both SQLite
    and PostgreSQL can skip a row another process stored a moment ago."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


class PersonBase(SQLModel):
    name: str = Field(max_length=200, unique=True, index=True)
    role: Role = Field(sa_type=EnumValue(Role))  # type: ignore[call-overload]


class PersonLanguage(SQLModel, table=True):
    """A language a person works in (a target language code: `ru`, `uk`)."""

    # None only until the row is stored with its person.
    person_id: int | None = Field(default=None, foreign_key="person.id", primary_key=True)
    lang: str = Field(max_length=8, primary_key=True)


class Person(PersonBase, table=True):
    """Someone who works at the desk."""

    id: int | None = Field(default=None, primary_key=True)
    email: str | None = Field(
        default=None, max_length=320, unique=True, description="Lower case; how people sign in"
    )
    password_hash: str | None = Field(
        default=None, max_length=200, description="argon2; None: signs in only by single sign-on"
    )

    # Loaded with the person (one query for any number of people), so a person read in one
    # session still knows their languages after it closes.
    language_rows: list[PersonLanguage] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )

    @property
    def language_codes(self) -> frozenset[str]:
        return frozenset(row.lang for row in self.language_rows)

    @property
    def languages(self) -> list[str]:
        """The codes of the languages the person works in, in order."""
        return sorted(self.language_codes)

    @property
    def languages_text(self) -> str:
        """ "ru,uk" (empty for none): the languages as lists of people show them."""
        return ",".join(self.languages)


class BrowserSession(SQLModel, table=True):
    """A browser that stays signed in: the hash of the token its cookie holds, until it expires.

    Only the hash is stored, so a copy of the database signs nobody in.
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)


class StoryBase(SQLModel):
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


class SourceParagraph(SQLModel, table=True):
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


class LanguageVersion(SQLModel, table=True):
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


class Translation(SQLModel, table=True):
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


class StalePeriod(SQLModel, table=True):
    """A stretch of time a translation was stale (made from English that changed since).

    Staleness itself is derived, never stored; these periods keep its history, so the manager
    sees the stale backlog over time. Opened and closed by `trends.track_stale`.
    """

    __table_args__ = (
        # One open period per translation, whatever several processes do at once.
        sa.Index(
            "uq_staleperiod_open",
            "translation_id",
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        ),
        sa.Index("ix_staleperiod_story_open", "story_id", "ended_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="translation.id", index=True)
    story_id: int = Field(foreign_key="story.id")
    lang: str = Field(max_length=8)
    started_at: datetime = Field(default_factory=utcnow, index=True)
    ended_at: datetime | None = Field(default=None, index=True)


class Revision(SQLModel, table=True):
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


class Suggestion(SQLModel, table=True):
    """A draft offered beside a translation a person wrote: accepted or ignored, never imposed."""

    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="translation.id", index=True)
    text: str
    origin: Origin = Field(sa_type=EnumValue(Origin, length=40))  # type: ignore[call-overload]
    match: int = Field(default=100, description="Similarity of the English it was made for")
    source_text: str = Field(description="The English this suggestion translates")
    created_at: datetime = Field(default_factory=utcnow)


class MachineDraft(SQLModel, table=True):
    """An engine's translation of one English text, paid for once and reused."""

    __table_args__ = (sa.UniqueConstraint("engine", "lang", "source_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    engine: str = Field(max_length=40)
    lang: str = Field(max_length=8)
    source_hash: str = Field(max_length=64)
    text: str
    created_at: datetime = Field(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """A desk-wide setting chosen by an administrator (never a secret such as a key)."""

    name: str = Field(primary_key=True, max_length=60)
    value: str = ""


class SourceVersion(SQLModel, table=True):
    """One version of a story's English, as imported or edited: every version is kept."""

    __table_args__ = (sa.UniqueConstraint("story_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: int = Field(foreign_key="story.id", index=True)
    number: int
    text: str = Field(description="The paragraphs, headline first, separated by blank lines")
    summary: str = ""
    author_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class Flag(SQLModel, table=True):
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


class MemoryUnit(SQLModel, table=True):
    """A translation brought in from the newsroom's translation memory (a TMX file): drafts
    take it for identical English, and offer it for similar English, like an approved one."""

    __table_args__ = (
        sa.UniqueConstraint(
            "lang", "source_fingerprint", "target_fingerprint", name="uq_memoryunit_pair"
        ),
        sa.Index("ix_memoryunit_lang_fingerprint", "lang", "source_fingerprint"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lang: str = Field(max_length=8)
    source_text: str
    source_fingerprint: str = Field(max_length=64)
    target: str
    target_fingerprint: str = Field(max_length=64, description="sha256 of the target")
    origin: str = Field(default="", max_length=200, description="tmx: and the file's name")
    created_at: datetime = Field(default_factory=utcnow)


class GlossaryTranslation(SQLModel, table=True):
    """How the desk renders a glossary term in one language."""

    term_id: int | None = Field(default=None, foreign_key="glossaryterm.id", primary_key=True)
    lang: str = Field(max_length=8, primary_key=True)
    text: str = Field(max_length=200)


class GlossaryTerm(SQLModel, table=True):
    """An English term and how the desk translates it into each language."""

    id: int | None = Field(default=None, primary_key=True)
    english: str = Field(max_length=200, unique=True)
    note: str = ""
    # Loaded with the term, as the glossary is always read whole.
    translation_rows: list[GlossaryTranslation] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )

    @property
    def translations(self) -> dict[str, str]:
        """The term's rendering by language code; a language without one is absent."""
        return {row.lang: row.text for row in self.translation_rows}


class Comment(SQLModel, table=True):
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


class ChangeScope(StrEnum):
    """What one line of the audit log concerns."""

    STORY = "story"  # a story, its English or one of its language versions
    PERSON = "person"  # someone at the desk: added, role, languages, password, signing in
    DESK = "desk"  # the desk as a whole: settings, engine, glossary, memory, unknown sign-ins
    INTEGRATION = "integration"  # an outside system acting on the desk (a CMS, a webhook)


class Change(SQLModel, table=True):
    """One line of the audit log: an action, who took it, when, what it concerned, and the
    states it moved."""

    # The manager's charts count actions of a kind over a period from this index alone.
    __table_args__ = (
        sa.Index(
            "ix_change_action_created",
            "action", "created_at", "lang", "person_id", "translation_id", "story_id",
        ),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    scope: ChangeScope = Field(
        default=ChangeScope.STORY,
        sa_type=EnumValue(ChangeScope),  # type: ignore[call-overload]
        sa_column_kwargs={"server_default": ChangeScope.STORY.value},
    )
    story_id: int | None = Field(default=None, foreign_key="story.id", index=True)
    subject_id: int | None = Field(
        default=None,
        foreign_key="person.id",
        index=True,
        description="The person a person-scoped line is about (who was added, changed, signed in)",
    )
    lang: str | None = Field(default=None, max_length=8)
    translation_id: int | None = Field(default=None, foreign_key="translation.id")
    action: Action | Event = Field(
        sa_type=EnumValue((Action, Event), length=40)  # type: ignore[call-overload]
    )
    from_state: int | None = None
    to_state: int | None = None
    person_id: int | None = Field(default=None, foreign_key="person.id")
    actor: str = Field(
        default="",
        max_length=200,
        sa_column_kwargs={"server_default": ""},
        description="How the change was made when not at a signed-in desk: "
        "'command line, as <OS user>'",
    )
    comment: str = ""
    detail: str = Field(
        default="",
        sa_column_kwargs={"server_default": ""},
        description="What changed, in words: 'translator -> admin', the e-mail a sign-in tried",
    )
    source_fingerprint: str | None = Field(
        default=None, max_length=64, description="The English an approval vouches for"
    )
    created_at: datetime = Field(default_factory=utcnow, index=True)


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins counted for one account or one client, and until when the next one
    must wait: kept in the database, so every app process refuses alike."""

    key: str = Field(
        primary_key=True, max_length=400, description="account:LOGIN or client:ADDRESS"
    )
    failures: int = 0
    last_failed_at: datetime = Field(default_factory=utcnow)
    wait_until: datetime | None = None
    refusal_recorded: bool = Field(
        default=False, description="The audit log already holds a refusal during this wait"
    )
