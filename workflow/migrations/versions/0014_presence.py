"""presence: one row an open desk (a browser tab), saying who is on which story, view and
paragraph, whether they hold unsaved text there, and whether someone chose to edit it anyway

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk", text(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("view", text(length=16), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=True),
        sa.Column("unsaved", sa.Boolean(), nullable=False),
        sa.Column("editing_since", when(), nullable=True),
        sa.Column("seen_at", when(), nullable=False),
        sa.Column("overtaken_by_id", sa.Integer(), nullable=True),
        sa.Column("overtaken_at", when(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["story_id"], ["story.id"]),
        sa.ForeignKeyConstraint(["translation_id"], ["translation.id"]),
        sa.ForeignKeyConstraint(["overtaken_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("desk", name="uq_presence_desk"),
    )
    with op.batch_alter_table("presence", schema=None) as batch_op:
        for column in ("person_id", "story_id", "translation_id", "seen_at"):
            batch_op.create_index(batch_op.f(f"ix_presence_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("presence", schema=None) as batch_op:
        for column in ("seen_at", "translation_id", "story_id", "person_id"):
            batch_op.drop_index(batch_op.f(f"ix_presence_{column}"))
    op.drop_table("presence")
