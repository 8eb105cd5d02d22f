"""A person's unsaved text: what they typed in a paragraph's box and have not saved yet."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from workflow.models.base import Table, utcnow


class UnsavedText(Table, table=True):
    """One person's unsaved text for one translation, and the saved text it was typed over
    (`base_text`, at the translation's counter `base_lock_version`): never a saved text."""

    __table_args__ = (
        sa.UniqueConstraint("person_id", "translation_id", name="uq_unsavedtext_person_paragraph"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    translation_id: int = Field(foreign_key="translation.id", index=True)
    text: str
    base_text: str = Field(description="The saved text the box held when typing began")
    base_lock_version: int = Field(description="The translation's counter of that saved text")
    updated_at: datetime = Field(default_factory=utcnow)
    kept_since: datetime | None = Field(
        default_factory=utcnow, description="When the person first left this text unsaved"
    )
