"""notifications: each person's choice of how to hear of each kind of news, and the messages
the desk sends them

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "notificationchoice",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("timing", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("person_id", "kind", "channel"),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", text(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("timing", sa.String(length=12), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("lang", text(length=8), nullable=True),
        sa.Column("subject", text(length=300), nullable=False),
        sa.Column("body", text(), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", when(), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["story_id"], ["story.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_notification_person_id", "notification", ["person_id"])
    op.create_index("ix_notification_story_id", "notification", ["story_id"])
    op.create_index("ix_notification_job_id", "notification", ["job_id"])
    op.create_index("ix_notification_unsent", "notification", ["timing", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_notification_unsent", table_name="notification")
    op.drop_index("ix_notification_job_id", table_name="notification")
    op.drop_index("ix_notification_story_id", table_name="notification")
    op.drop_index("ix_notification_person_id", table_name="notification")
    op.drop_table("notification")
    op.drop_table("notificationchoice")
