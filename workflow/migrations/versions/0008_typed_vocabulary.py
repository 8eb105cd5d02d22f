"""typed vocabulary: a person's languages and a glossary term's translations as rows, one per
language; actions, revision reasons, origins and severities as the words of their enums

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from workflow.errors import LockstepError

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The words as this revision knows them, written out: a migration must not change meaning
# when the enums of a later Lockstep grow.
ACTIONS = {
    # states.Action
    "import story", "save", "draft", "mark translated", "approve", "send back", "submit",
    "approve version", "request changes", "publish", "edit the English", "set the embargo",
    "configure the desk", "confirm still valid", "comment", "assign", "take unheld work",
    "override a flag", "edit the glossary", "import a translation memory", "reopen",
    "return to translation",
    # vocabulary.Event
    "add person", "change role", "change languages", "set password", "sign in",
    "failed sign-in", "sign-in throttled", "sign out", "set self-review", "choose engine",
    "add glossary term", "change glossary term", "remove glossary term", "upgrade database",
}  # fmt: skip
REASONS = {"edit", "revert", "conflict", "machine draft", "import", "merge", "split", "copy"}
ORIGINS = {"", "human", "machine", "memory", "import"}
SEVERITIES = {"error", "warning"}

VOCABULARY = [
    ("change", "action", ACTIONS),
    ("revision", "reason", REASONS),
    ("revision", "origin", ORIGINS),
    ("translation", "origin", ORIGINS),
    ("translation", "draft_origin", ORIGINS),
    ("suggestion", "origin", ORIGINS),
    ("flag", "severity", SEVERITIES),
]


def upgrade() -> None:
    connection = op.get_bind()
    _vocabulary_to_enum_values(connection)

    op.create_table(
        "personlanguage",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("person_id", "lang"),
    )
    people = connection.execute(sa.text("SELECT id, languages FROM person")).all()
    rows = [
        {"person_id": person_id, "lang": code}
        for person_id, languages in people
        for code in sorted({code.strip() for code in (languages or "").split(",")} - {""})
    ]
    if rows:
        connection.execute(
            sa.text("INSERT INTO personlanguage (person_id, lang) VALUES (:person_id, :lang)"),
            rows,
        )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("languages")

    op.create_table(
        "glossarytranslation",
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(["term_id"], ["glossaryterm.id"]),
        sa.PrimaryKeyConstraint("term_id", "lang"),
    )
    for lang in ("ru", "uk"):
        connection.execute(
            sa.text(
                "INSERT INTO glossarytranslation (term_id, lang, text)"
                f" SELECT id, '{lang}', {lang} FROM glossaryterm WHERE {lang} <> ''"
            )
        )
    with op.batch_alter_table("glossaryterm", schema=None) as batch_op:
        batch_op.drop_column("uk")
        batch_op.drop_column("ru")


def _vocabulary_to_enum_values(connection: sa.Connection) -> None:
    """Map the words stored so far to the values of their enums; refuse, in words and with
    nothing changed, a word no enum has (rather than leave a row the desk cannot read)."""
    # A machine origin named its engine ("machine:google"); the audit line of the draft
    # still does, the column keeps the kind.
    for table, column in (
        ("revision", "origin"),
        ("translation", "origin"),
        ("translation", "draft_origin"),
        ("suggestion", "origin"),
    ):
        connection.execute(
            sa.text(f"UPDATE \"{table}\" SET {column} = 'machine' WHERE {column} LIKE 'machine:%'")
        )
    unknown = []
    for table, column, words in VOCABULARY:
        stored = connection.execute(sa.text(f'SELECT DISTINCT {column} FROM "{table}"')).scalars()
        unknown += [f"{table}.{column} {word!r}" for word in stored if word not in words]
    if unknown:
        raise LockstepError(
            "The database holds words this Lockstep does not know, so it was not upgraded: "
            + ", ".join(sorted(unknown))
        )


def downgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("glossaryterm", schema=None) as batch_op:
        for lang in ("ru", "uk"):
            batch_op.add_column(
                sa.Column(
                    lang,
                    sqlmodel.sql.sqltypes.AutoString(length=200),
                    server_default="",
                    nullable=False,
                )
            )
    for lang in ("ru", "uk"):
        connection.execute(
            sa.text(
                f"UPDATE glossaryterm SET {lang} = COALESCE((SELECT text FROM glossarytranslation"
                f" WHERE term_id = glossaryterm.id AND lang = '{lang}'), '')"
            )
        )
    op.drop_table("glossarytranslation")

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "languages",
                sqlmodel.sql.sqltypes.AutoString(length=50),
                server_default="",
                nullable=False,
            )
        )
    languages: dict[int, list[str]] = {}
    for person_id, lang in connection.execute(
        sa.text("SELECT person_id, lang FROM personlanguage ORDER BY person_id, lang")
    ):
        languages.setdefault(person_id, []).append(lang)
    for person_id, codes in languages.items():
        connection.execute(
            sa.text("UPDATE person SET languages = :codes WHERE id = :id"),
            {"codes": ",".join(codes), "id": person_id},
        )
    op.drop_table("personlanguage")
    # The enum values are words the older code reads as they are ("machine" starts with
    # "machine", as its origins did): nothing to map back.
