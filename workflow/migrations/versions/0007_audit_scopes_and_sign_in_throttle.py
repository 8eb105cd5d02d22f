"""the audit log scoped to a story, a person, the desk or an integration; failed sign-ins
counted per account and client

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every line written so far concerns a story: the server default says so for each of them.
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scope", sa.String(length=32), server_default="story", nullable=False)
        )
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "actor",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "detail", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False
            )
        )
        batch_op.alter_column("story_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_change_subject_id"), ["subject_id"], unique=False)
        batch_op.create_foreign_key("fk_change_subject_id_person", "person", ["subject_id"], ["id"])

    op.create_table(
        "signinthrottle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("wait_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("refusal_recorded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("signinthrottle")
    # The older schema has no place for a line that concerns no story: those lines are lost.
    op.execute("DELETE FROM change WHERE story_id IS NULL")
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_constraint("fk_change_subject_id_person", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_change_subject_id"))
        batch_op.alter_column("story_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("detail")
        batch_op.drop_column("actor")
        batch_op.drop_column("subject_id")
        batch_op.drop_column("scope")
