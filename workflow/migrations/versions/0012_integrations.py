"""integrations: tokens for the HTTP API, webhooks, the CMS's own id for a story and where the
CMS published a language version, and when

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "integration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", text(length=100), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("token_hash", text(length=64), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", when(), nullable=True),
        sa.Column("last_used_at", when(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    # A name is unique among live tokens only: a revoked token frees its name.
    op.create_index(
        "uq_integration_live_name",
        "integration",
        ["name"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.create_table(
        "webhook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", text(length=2000), nullable=False),
        sa.Column("secret", text(length=200), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    # One active webhook an address: a second would send every event there twice.
    op.create_index(
        "uq_webhook_active_url",
        "webhook",
        ["url"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", text(length=200), nullable=True))
        batch_op.create_unique_constraint("uq_story_external_id", ["external_id"])
    with op.batch_alter_table("languageversion", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published_url", text(length=2000), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("published_at", when(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("languageversion", schema=None) as batch_op:
        batch_op.drop_column("published_at")
        batch_op.drop_column("published_url")
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_constraint("uq_story_external_id", type_="unique")
        batch_op.drop_column("external_id")
    op.drop_index("uq_webhook_active_url", table_name="webhook")
    op.drop_table("webhook")
    op.drop_index("uq_integration_live_name", table_name="integration")
    op.drop_table("integration")
