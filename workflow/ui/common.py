"""What every page shares: the engine, who is at the desk, and showing refusals in words."""

import re
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from streamlit.errors import StreamlitAPIException

from workflow import LANGUAGES
from workflow.accounts import ensure_first_admin
from workflow.database import database_url, open_database
from workflow.demo import demo_enabled, load_demo
from workflow.edits import word_diff
from workflow.errors import EditConflict, LockstepError, SourceConflict
from workflow.machinery import Engine as MachineEngine
from workflow.machinery import EngineSettings, make_engine
from workflow.models import Person, as_utc
from workflow.states import TranslationState, VersionState

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
    VersionState.OUTDATED: "red",
}


@st.cache_resource(show_spinner="Opening the desk…")
def _engine_for(url: str, with_demo: bool) -> Engine:
    engine = open_database(url)
    try:
        with Session(engine) as session:
            if with_demo:
                load_demo(session)
            first = ensure_first_admin(session)
    except Exception:
        engine.dispose()  # not cached: the next run tries again, with no connection left open
        raise
    if first is not None and first.generated_password:
        # Printed once, where the operator started the app; never stored or logged elsewhere.
        print(
            f"\nLockstep: the first administrator signs in as {first.person.email} with the "
            f"password {first.generated_password}\n(change it with: python -m workflow user "
            f"set-password {first.person.name!r})\n",
            file=sys.stderr,
            flush=True,
        )
    return engine


def engine() -> Engine:
    """The process's engine for `DATABASE_URL`, with the schema and (on first start) the demo.

    A setting the desk cannot start with (a short LOCKSTEP_ADMIN_PASSWORD, a database newer
    than this Lockstep) is said in words on every page until the operator fixes it.
    """
    try:
        return _engine_for(database_url(), demo_enabled())
    except LockstepError as exc:
        st.error(f"The desk cannot start: {escape_markdown(str(exc))}", icon=":material/error:")
        st.stop()


def db() -> Session:
    """A short session for one action or one read. Objects stay readable after its commits,
    since pages go on showing them once the action is done."""
    return Session(engine(), expire_on_commit=False)


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


def current_person() -> Person | None:
    """The signed-in person (see `signin`), freshly read: their role may have changed."""
    person_id = st.session_state.get("person_id")
    if person_id is None:
        return None
    with db() as session:
        return session.get(Person, person_id)


def attempt(action: Callable[[], T]) -> T | None:
    """Run one domain action; a refusal is shown in words and nothing else happens."""
    try:
        return action()
    except (EditConflict, SourceConflict):
        raise  # the caller shows both texts; see `desk.conflict_box`, `english.conflict_box`
    except LockstepError as exc:
        # Refusals quote what people typed (names, addresses, text): shown inert.
        st.error(escape_markdown(str(exc)), icon=":material/block:")
    except OperationalError:
        st.error(
            "The database is busy or out of reach; nothing was changed. Try again in a moment.",
            icon=":material/hourglass_top:",
        )
    return None


def local_zone() -> ZoneInfo:
    """The zone of the person's browser (due times are read and typed in it); UTC if unknown."""
    try:
        return ZoneInfo(st.context.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_time(moment: datetime | None) -> str:
    """A time as the person reads it: in their browser's zone (UTC says so)."""
    if moment is None:
        return "no due time"
    zone = local_zone()
    local = as_utc(moment).astimezone(zone)
    suffix = " UTC" if zone.key == "UTC" else ""
    return f"{local:%a %d %b, %H:%M}{suffix}"


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
