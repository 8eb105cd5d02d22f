"""presence: whether the browser says the desk's paragraph box has the focus, so a colleague
sees someone typing before they leave the box

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("focused", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.drop_column("focused")
