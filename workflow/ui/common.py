"""What every page shares: the engine, who is at the desk, and showing refusals in words."""

import re
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from streamlit.errors import StreamlitAPIException

from workflow import LANGUAGES
from workflow.database import database_url, open_database
from workflow.demo import demo_enabled, load_demo
from workflow.edits import word_diff
from workflow.errors import EditConflict, LockstepError
from workflow.machinery import Engine as MachineEngine
from workflow.machinery import EngineSettings, make_engine
from workflow.models import Person
from workflow.people import list_people
from workflow.states import Role, TranslationState, VersionState

T = TypeVar("T")

STATE_COLORS = {
    TranslationState.EMPTY: "gray",
    TranslationState.MACHINE_DRAFT: "violet",
    TranslationState.NEEDS_EDITING: "orange",
    TranslationState.TRANSLATED: "blue",
    TranslationState.APPROVED: "green",
}
VERSION_COLORS = {
    VersionState.IN_TRANSLATION: "gray",
    VersionState.IN_REVIEW: "orange",
    VersionState.APPROVED: "green",
    VersionState.PUBLISHED: "violet",
}


@st.cache_resource(show_spinner="Opening the desk…")
def _engine_for(url: str, with_demo: bool) -> Engine:
    engine = open_database(url)
    if with_demo:
        with Session(engine) as session:
            load_demo(session)
    return engine


def engine() -> Engine:
    """The process's engine for `DATABASE_URL`, with the schema and (on first start) the demo."""
    return _engine_for(database_url(), demo_enabled())


def db() -> Session:
    """A short session for one action or one read. Objects stay readable after its commits,
    since pages go on showing them once the action is done."""
    return Session(engine(), expire_on_commit=False)


def _forget_view() -> None:
    for key in ("desk_view", "kept:desk_view"):
        st.session_state.pop(key, None)


def secrets() -> dict[str, str]:
    """Streamlit secrets, when the app has any (engine keys may live there)."""
    try:
        return {k: str(v) for k, v in st.secrets.items() if isinstance(v, str | int)}
    except (FileNotFoundError, StreamlitAPIException, KeyError):
        return {}


def desk_engine() -> MachineEngine:
    """The machine-translation engine the settings choose (built per use: cheap, no network)."""
    with db() as session:
        return make_engine(EngineSettings.load(session, secrets()))


def restore(key: str) -> None:
    """Before drawing a widget: bring back its value from another page.

    Streamlit forgets the state of a widget that a run does not draw, so a choice made on the
    desk would be lost after a visit to the stories page; `remember` keeps a copy.
    """
    copy = f"kept:{key}"
    if key not in st.session_state and copy in st.session_state:
        st.session_state[key] = st.session_state[copy]


def remember(key: str) -> None:
    """After drawing a widget: keep a copy of its value for `restore`."""
    st.session_state[f"kept:{key}"] = st.session_state.get(key)


def choose_person() -> None:
    """The sidebar's "You are": until sign-in exists, people say who they are.

    Drawn by `app.py` on every run, before the page, so the choice holds across pages.
    """
    with db() as session:
        people = {p.id: p for p in list_people(session)}
    if not people:
        st.sidebar.warning(
            "Nobody works at this desk yet. Add people with "
            "`python -m workflow user add NAME --role editor --languages ru,uk`."
        )
        return
    if st.session_state.get("person_id") not in people:
        # A newcomer starts as an editor, who sees every action of the desk.
        editors = [p for p in people.values() if p.role is Role.EDITOR]
        st.session_state["person_id"] = (editors[0] if editors else next(iter(people.values()))).id

    def describe(person_id: int) -> str:
        person = people[person_id]
        langs = f", {person.languages.upper().replace(',', ' ')}" if person.languages else ""
        return f"{person.name} ({person.role.value}{langs})"

    st.sidebar.selectbox(
        "You are",
        list(people),
        format_func=describe,
        key="person_id",
        # A new person starts from the view that suits their role (see `desk.pick_view`).
        on_change=_forget_view,
    )


def current_person() -> Person | None:
    """The person chosen in the sidebar, freshly read (their role may have changed)."""
    person_id = st.session_state.get("person_id")
    if person_id is None:
        return None
    with db() as session:
        return session.get(Person, person_id)


def attempt(action: Callable[[], T]) -> T | None:
    """Run one domain action; a refusal is shown in words and nothing else happens."""
    try:
        return action()
    except EditConflict:
        raise  # the caller shows both texts; see `desk.conflict_box`
    except LockstepError as exc:
        st.error(str(exc), icon=":material/block:")
    except OperationalError:
        st.error(
            "The database is busy or out of reach; nothing was changed. Try again in a moment.",
            icon=":material/hourglass_top:",
        )
    return None


def language_name(lang: str) -> str:
    return LANGUAGES.get(lang, lang.upper())


def state_badge(state: TranslationState) -> None:
    st.badge(state.label, color=STATE_COLORS[state])  # type: ignore[arg-type]


def version_badge(state: VersionState) -> None:
    st.badge(state.label, color=VERSION_COLORS[state])  # type: ignore[arg-type]


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:"})


_AUTOLINK = re.compile(r"(?i)(://|www\.|@)")


def escape_markdown(text: str) -> str:
    """Text people typed, made inert for `st.markdown`/`st.caption` (no links, no HTML).

    Markdown's special characters are escaped, and an invisible word joiner breaks the
    patterns that would otherwise turn a bare address into a live link.
    """
    unlinked = _AUTOLINK.sub(lambda m: m[0][0] + "\u2060" + m[0][1:], text)
    return unlinked.translate(_MARKDOWN_SPECIAL)


def show_diff(old: str, new: str) -> None:
    """The English word diff: removed words struck through in red, added ones in green."""
    pieces = []
    for part in word_diff(old, new):
        text = escape_markdown(part.text)
        if part.kind == "delete":
            pieces.append(f":red[~~{text}~~]")
        elif part.kind == "insert":
            pieces.append(f":green[**{text}**]")
        else:
            pieces.append(text)
    st.markdown(" ".join(pieces))
