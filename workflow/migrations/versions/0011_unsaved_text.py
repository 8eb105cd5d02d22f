"""unsaved text: what a person typed in a paragraph's box and has not saved, one row per
person and translation, kept across reloads and sign-ins until they save or discard it

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "unsavedtext",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("text", text(), nullable=False),
        sa.Column("base_text", text(), nullable=False),
        sa.Column("base_lock_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", when(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["translation_id"], ["translation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "translation_id", name="uq_unsavedtext_person_paragraph"),
    )
    with op.batch_alter_table("unsavedtext", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unsavedtext_translation_id"), ["translation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("unsavedtext", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unsavedtext_translation_id"))
    op.drop_table("unsavedtext")
