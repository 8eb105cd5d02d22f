"""PostgreSQL databases of their own for tests and benchmarks that need an empty one.

Each has a name no other run shares (a random suffix), and only that database is dropped
afterwards: a run never drops a database it did not create, whatever server the URL names.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text


@contextmanager
def scratch_postgres_database(server_url: str, purpose: str) -> Iterator[str]:
    """A new, empty database on the server of `server_url`; its URL; dropped on leaving."""
    name = f"lockstep_scratch_{purpose}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            # The server's URL with another database: its host, port and options kept.
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                # FORCE: a connection the test left open does not keep the database alive.
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def empty_desk_url(backend: str, directory: Path, purpose: str) -> Iterator[str]:
    """An empty database of a test's own on `backend`: a SQLite file in `directory`, or a
    scratch PostgreSQL database on the server `TEST_DATABASE_URL` names."""
    if backend == "postgresql":
        with scratch_postgres_database(os.environ["TEST_DATABASE_URL"], purpose) as url:
            yield url
    else:
        yield f"sqlite:///{directory / 'desk.db'}"
