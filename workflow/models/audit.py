"""The audit log: one `Change` per thing that changed, with who, when, what it concerned
(`ChangeScope`) and the states it moved.
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from workflow.models.base import Table, utcnow
from workflow.states import Action
from workflow.vocabulary import EnumValue, Event


class ChangeScope(StrEnum):
    """What one line of the audit log concerns."""

    STORY = "story"  # a story, its English or one of its language versions
    PERSON = "person"  # someone at the desk: added, role, languages, password, signing in
    DESK = "desk"  # the desk as a whole: settings, engine, glossary, memory, unknown sign-ins
    INTEGRATION = "integration"  # an outside system acting on the desk (a CMS, a webhook)


class Change(Table, table=True):
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
