"""lock version: the lost-update counter of a translation, an English paragraph and a revision
is named `lock_version`, apart from language versions and English versions

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table whose `version` column counts the writes a row has had.
COUNTED = ("translation", "sourceparagraph", "revision")


def upgrade() -> None:
    # Batch mode: SQLite renames a column by copying the table; PostgreSQL renames in place.
    for table in COUNTED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("version", new_column_name="lock_version")


def downgrade() -> None:
    for table in COUNTED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("lock_version", new_column_name="version")
