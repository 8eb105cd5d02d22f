"""Presence: which desks are open now, on which story, view and paragraph, one row a desk."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from workflow.models.base import Table, utcnow


class Presence(Table, table=True):
    """One open desk (a browser tab) of a person, as its last heartbeat said: never a saved
    text, and gone once `seen_at` is older than `presence.GONE_AFTER`.

    `overtaken_by_id`, `overtaken_at` and `overtaken_on_id` say that someone chose to edit a
    paragraph this desk holds anyway (the one it is on, or one its person keeps unsaved text
    in), which the desk's next beat tells its person; they go when their maker leaves it.
    `focused` is the browser's own word (`presence.focus`), ahead of what the server knows:
    while it holds, a beat keeps the row's paragraph and unsaved text."""

    __table_args__ = (sa.UniqueConstraint("desk", name="uq_presence_desk"),)

    id: int | None = Field(default=None, primary_key=True)
    desk: str = Field(max_length=64, description="The tab's own id, made when the desk opened")
    person_id: int = Field(foreign_key="person.id", index=True)
    story_id: int | None = Field(default=None, foreign_key="story.id", index=True)
    view: str = Field(default="", max_length=16, description="A language code, or read / en")
    translation_id: int | None = Field(
        default=None, foreign_key="translation.id", index=True,
        description="The paragraph the person last typed in or acted on, in this view",
    )  # fmt: skip
    unsaved: bool = Field(default=False, description="They hold unsaved text in that paragraph")
    focused: bool = Field(
        default=False, description="The browser says the paragraph's box has the focus now"
    )
    editing_since: datetime | None = Field(default=None, description="On that paragraph since")
    seen_at: datetime = Field(default_factory=utcnow, index=True)
    overtaken_by_id: int | None = Field(default=None, foreign_key="person.id")
    overtaken_at: datetime | None = None
    overtaken_on_id: int | None = Field(
        default=None, foreign_key="translation.id",
        description="The paragraph chosen: the one the desk is on, or one it keeps text in",
    )  # fmt: skip
