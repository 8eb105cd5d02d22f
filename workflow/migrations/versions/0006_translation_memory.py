"""translation memory brought in from TMX files

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "memoryunit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("source_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "source_fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "target_fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "lang", "source_fingerprint", "target_fingerprint", name="uq_memoryunit_pair"
        ),
    )
    with op.batch_alter_table("memoryunit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_memoryunit_lang_fingerprint", ["lang", "source_fingerprint"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("memoryunit", schema=None) as batch_op:
        batch_op.drop_index("ix_memoryunit_lang_fingerprint")
    op.drop_table("memoryunit")
