"""What the whole desk shares: its settings, the glossary, the translation memory and the
engines' paid-for drafts.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship

from workflow.models.base import Table, utcnow


class Setting(Table, table=True):
    """A desk-wide setting chosen by an administrator (never a secret such as a key)."""

    name: str = Field(primary_key=True, max_length=60)
    value: str = ""


class GlossaryTranslation(Table, table=True):
    """How the desk renders a glossary term in one language."""

    term_id: int | None = Field(default=None, foreign_key="glossaryterm.id", primary_key=True)
    lang: str = Field(max_length=8, primary_key=True)
    text: str = Field(max_length=200)


class GlossaryTerm(Table, table=True):
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


class MemoryUnit(Table, table=True):
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


class MachineDraft(Table, table=True):
    """An engine's translation of one English text, paid for once and reused."""

    __table_args__ = (sa.UniqueConstraint("engine", "lang", "source_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    engine: str = Field(max_length=40)
    lang: str = Field(max_length=8)
    source_hash: str = Field(max_length=64)
    text: str
    created_at: datetime = Field(default_factory=utcnow)
