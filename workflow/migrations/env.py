"""Alembic's environment: runs migrations on the connection `database.migrate` hands over."""

from alembic import context
from sqlmodel import SQLModel

from workflow.models import load_all

load_all()  # every table on SQLModel.metadata, as the migrations make them
config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `python -m workflow db upgrade`.")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
