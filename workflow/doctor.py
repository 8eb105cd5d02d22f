"""`python -m workflow doctor`: is this desk able to work, and if not, what is wrong, in words."""

from collections.abc import Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, func, select

from workflow.database import (
    NoDatabase,
    database_url,
    head_revision,
    make_db_engine,
    schema_revision,
)
from workflow.machinery import EngineSettings, MachineryError, engine_for
from workflow.models import Person, Story

SAMPLE = "The desk is open."


def _where(url: str) -> str:
    """The database's address without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def checks(url: str | None = None) -> Iterator[tuple[bool, str]]:
    """Each check's result and a sentence about it; later checks are skipped when one fails.

    A database that is not there is said to be missing, never created (`db upgrade` does)."""
    url = url or database_url()
    try:
        engine = make_db_engine(url, create=False)
    except NoDatabase as missing:
        yield False, str(missing)
        return
    try:
        yield from _checks(url, engine)
    finally:
        engine.dispose()


def _checks(url: str, engine: Engine) -> Iterator[tuple[bool, str]]:
    try:
        with engine.connect() as connection:
            current = schema_revision(connection)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        yield False, f"database {_where(url)} cannot be reached: {reason}"
        return
    yield True, f"database {_where(url)} answers"
    head = head_revision()
    if current != head:
        yield (
            False,
            (
                f"schema at {current or 'nothing'}, code expects {head}: "
                "run `python -m workflow db upgrade`"
            ),
        )
        return
    yield True, f"schema at {head}, the newest"
    with Session(engine) as session:
        stories = session.exec(select(func.count()).select_from(Story)).one()
        people = session.exec(select(func.count()).select_from(Person)).one()
        settings = EngineSettings.load(session)
    yield (
        people > 0,
        f"{people} people, {stories} stories"
        + ("" if people else ": add people with `python -m workflow user add`"),
    )
    try:
        mt = engine_for(settings)
        mt.translate(SAMPLE, "ru")
    except MachineryError as fault:
        yield False, f"machine translation: {fault}"
    except Exception as exc:  # a wrong setting is reported, not raised: this is a diagnosis
        yield False, f"machine translation: {exc}"
    else:
        yield True, f"machine translation through {mt.label} answers"
