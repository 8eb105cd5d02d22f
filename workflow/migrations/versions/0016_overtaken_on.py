"""presence and unsaved text: which paragraph an "edit anyway" was chosen on (a desk may hold
one it is not on, by the unsaved text its person keeps there), and since when a text has been
kept unsaved (its last change moves `updated_at`)

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("overtaken_on_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_presence_overtaken_on_id_translation", "translation", ["overtaken_on_id"], ["id"]
        )
    with op.batch_alter_table("unsavedtext", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kept_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("unsavedtext", schema=None) as batch_op:
        batch_op.drop_column("kept_since")
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.drop_constraint("fk_presence_overtaken_on_id_translation", type_="foreignkey")
        batch_op.drop_column("overtaken_on_id")
