"""Driving the app as a person would, through Streamlit's AppTest."""

from pathlib import Path

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from workflow.database import open_database
from workflow.models import Person

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60


def open_app(person_name: str | None = None, view: str | None = None) -> AppTest:
    """The app on `DATABASE_URL` (set by the `db_url` fixture), as the named person."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    if person_name is not None:
        at.selectbox(key="person_id").set_value(person_id(person_name)).run()
    if view is not None:
        at.radio(key="desk_view").set_value(view).run()
    assert not at.exception, at.exception
    return at


def person_id(name: str) -> int:
    engine = open_database()
    with Session(engine) as session:
        found = session.exec(select(Person.id).where(Person.name == name)).one()
    engine.dispose()
    return found


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def badges(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value]


def button_labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]
