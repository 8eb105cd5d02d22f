"""flags and glossary

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "glossaryterm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("english", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("ru", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("uk", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("english"),
    )
    op.create_table(
        "flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("severity", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("checked", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("overridden_by_id", sa.Integer(), nullable=True),
        sa.Column("override_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("overridden_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["overridden_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            ["translation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_flag_translation_id"), ["translation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flag_translation_id"))

    op.drop_table("flag")
    op.drop_table("glossaryterm")
