"""when the English last changed, the history of stale translations, and the audit log
indexed for the charts

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("english_changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    # The English last changed when its newest version was saved (the import, for most).
    op.execute(
        "UPDATE story SET english_changed_at = COALESCE(("
        " SELECT MAX(sourceversion.created_at) FROM sourceversion"
        " WHERE sourceversion.story_id = story.id), story.created_at)"
    )
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.alter_column(
            "english_changed_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False
        )
        batch_op.create_index(
            batch_op.f("ix_story_english_changed_at"), ["english_changed_at"], unique=False
        )

    op.create_table(
        "staleperiod",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["story_id"], ["story.id"]),
        sa.ForeignKeyConstraint(["translation_id"], ["translation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staleperiod", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staleperiod_translation_id"), ["translation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_staleperiod_ended_at"), ["ended_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_staleperiod_started_at"), ["started_at"], unique=False)
        batch_op.create_index("ix_staleperiod_story_open", ["story_id", "ended_at"], unique=False)
        batch_op.create_index(
            "uq_staleperiod_open",
            ["translation_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_change_action_created",
            ["action", "created_at", "lang", "person_id", "translation_id", "story_id"],
            unique=False,
        )
    # What is stale now has been since its English last changed, as far as anyone can tell.
    op.execute(
        "INSERT INTO staleperiod (translation_id, story_id, lang, started_at)"
        " SELECT translation.id, translation.story_id, translation.lang, story.english_changed_at"
        " FROM translation"
        " JOIN sourceparagraph ON sourceparagraph.id = translation.paragraph_id"
        " JOIN story ON story.id = translation.story_id"
        " WHERE sourceparagraph.removed = false AND translation.state <> 0"
        " AND translation.source_fingerprint IS NOT NULL"
        " AND translation.source_fingerprint <> sourceparagraph.fingerprint"
    )


def downgrade() -> None:
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_index("ix_change_action_created")
    with op.batch_alter_table("staleperiod", schema=None) as batch_op:
        batch_op.drop_index("uq_staleperiod_open")
        batch_op.drop_index("ix_staleperiod_story_open")
        batch_op.drop_index(batch_op.f("ix_staleperiod_started_at"))
        batch_op.drop_index(batch_op.f("ix_staleperiod_ended_at"))
        batch_op.drop_index(batch_op.f("ix_staleperiod_translation_id"))
    op.drop_table("staleperiod")
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_english_changed_at"))
        batch_op.drop_column("english_changed_at")
