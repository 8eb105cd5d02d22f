"""work queue: jobs that run off the page (machine drafts first; webhooks and notifications
next), claimed by one worker at a time and taken over when a worker's lease runs out

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", text(length=40), nullable=False),
        sa.Column("key", text(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", when(), nullable=False),
        sa.Column("worker", text(length=120), nullable=True),
        sa.Column("lease_until", when(), nullable=True),
        sa.Column("heartbeat_at", when(), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result", text(), nullable=False),
        sa.Column("error", text(), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.Column("finished_at", when(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index("ix_job_claim", ["state", "run_after"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_key"))
        batch_op.drop_index("ix_job_claim")
    op.drop_table("job")
