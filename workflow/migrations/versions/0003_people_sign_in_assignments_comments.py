"""people sign in, assignments, comments

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "browsersession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("browsersession", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_browsersession_expires_at"), ["expires_at"])
        batch_op.create_index(batch_op.f("ix_browsersession_person_id"), ["person_id"])

    op.create_table(
        "comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=True),
        sa.Column("reply_to_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["reply_to_id"], ["comment.id"]),
        sa.ForeignKeyConstraint(["story_id"], ["story.id"]),
        sa.ForeignKeyConstraint(["translation_id"], ["translation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_reply_to_id"), ["reply_to_id"], unique=False)
        batch_op.create_index("ix_comment_story_lang", ["story_id", "lang"], unique=False)

    # The never-used `assignee_id` becomes the version's translator, beside a reviewer and a due
    # time. Dropping the column drops its foreign key with it on both databases.
    with op.batch_alter_table("languageversion", schema=None) as batch_op:
        batch_op.drop_column("assignee_id")
        batch_op.add_column(sa.Column("translator_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reviewer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_languageversion_due_at"), ["due_at"])
        batch_op.create_index(batch_op.f("ix_languageversion_reviewer_id"), ["reviewer_id"])
        batch_op.create_index(batch_op.f("ix_languageversion_translator_id"), ["translator_id"])
        batch_op.create_foreign_key(
            "fk_languageversion_translator_id_person", "person", ["translator_id"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_languageversion_reviewer_id_person", "person", ["reviewer_id"], ["id"]
        )

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True)
        )
        batch_op.add_column(
            sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.create_unique_constraint("uq_person_email", ["email"])

    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source_fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
            )
        )

    with op.batch_alter_table("translation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translated_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_translation_translated_by_id_person", "person", ["translated_by_id"], ["id"]
        )
    # Who translated each existing text: the author of its latest saved edit, so nobody
    # approves their own older work either.
    op.execute(
        "UPDATE translation SET translated_by_id = ("
        " SELECT revision.author_id FROM revision"
        " WHERE revision.translation_id = translation.id AND revision.reason = 'edit'"
        " ORDER BY revision.version DESC, revision.id DESC LIMIT 1"
        ") WHERE translation.text <> ''"
    )


def downgrade() -> None:
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_column("source_fingerprint")

    with op.batch_alter_table("translation", schema=None) as batch_op:
        batch_op.drop_constraint("fk_translation_translated_by_id_person", type_="foreignkey")
        batch_op.drop_column("translated_by_id")

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_constraint("uq_person_email", type_="unique")
        batch_op.drop_column("password_hash")
        batch_op.drop_column("email")

    with op.batch_alter_table("languageversion", schema=None) as batch_op:
        batch_op.drop_constraint("fk_languageversion_reviewer_id_person", type_="foreignkey")
        batch_op.drop_constraint("fk_languageversion_translator_id_person", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_languageversion_translator_id"))
        batch_op.drop_index(batch_op.f("ix_languageversion_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_languageversion_due_at"))
        batch_op.drop_column("due_at")
        batch_op.drop_column("reviewer_id")
        batch_op.drop_column("translator_id")
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "languageversion_assignee_id_fkey", "person", ["assignee_id"], ["id"]
        )

    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_story_lang")
        batch_op.drop_index(batch_op.f("ix_comment_reply_to_id"))
    op.drop_table("comment")
    op.drop_table("browsersession")
