"""What every page shares: the engine, who is at the desk, showing refusals in words, and
showing what people typed as text (`md`, `escape_markdown`, `escape_cells`): Streamlit renders
everything a page gives `st.markdown`, `st.caption`, `st.error` and their kind, and `st.table`
cells, as Markdown."""

import re
import string
import sys
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from streamlit.errors import StreamlitAPIException

from workflow import languages
from workflow.accounts import ensure_first_admin
from workflow.database import DEFAULT_DATABASE_URL, database_url, open_database
from workflow.demo import demo_enabled, load_demo
from workflow.edits import word_diff
from workflow.errors import EditConflict, LockstepError, SourceConflict
from workflow.machinery import Engine as MachineEngine
from workflow.machinery import EngineSettings, engine_for
from workflow.models import Person, as_utc, utcnow
from workflow.states import TranslationState, VersionState

T = TypeVar("T")

# The colours `st.badge` takes.
BadgeColor = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "primary"]
STATE_COLORS: dict[TranslationState, BadgeColor] = {
    TranslationState.EMPTY: "gray",
    TranslationState.MACHINE_DRAFT: "violet",
    TranslationState.NEEDS_EDITING: "orange",
    TranslationState.TRANSLATED: "blue",
    TranslationState.APPROVED: "green",
}
VERSION_COLORS: dict[VersionState, BadgeColor] = {
    VersionState.IN_TRANSLATION: "gray",
    VersionState.IN_REVIEW: "orange",
    VersionState.APPROVED: "green",
    VersionState.PUBLISHED: "violet",
    VersionState.OUTDATED: "red",
}


@st.cache_resource(show_spinner="Opening the desk…")
def _open_desk(url: str, with_demo: bool) -> Engine:
    # The quick start's default file is made on first start; any other address must exist
    # (`python -m workflow db upgrade` makes it), so a mistyped one is said, not made.
    engine = open_database(url, create=url == DEFAULT_DATABASE_URL)
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


def open_desk() -> Engine:
    """The process's engine (as `engine`), for a caller that is not a page (the HTTP API):
    raises `LockstepError` when the desk cannot start."""
    return _open_desk(database_url(), demo_enabled())


def engine() -> Engine:
    """The process's engine for `DATABASE_URL`, with the schema and (on first start) the demo.

    A setting the desk cannot start with (a short LOCKSTEP_ADMIN_PASSWORD, a database newer
    than this Lockstep) is said in words on every page until the operator fixes it.
    """
    try:
        return open_desk()
    except LockstepError as exc:
        st.error(md("The desk cannot start: {}", exc), icon=":material/error:")
        st.stop()


def db() -> Session:
    """A short session for one action or one read. Objects stay readable after its commits,
    since pages go on showing them once the action is done."""
    return Session(engine(), expire_on_commit=False)


def secrets() -> dict[str, str]:
    """Streamlit secrets, when the app has any (engine keys may live there)."""
    try:
        return {k: str(v) for k, v in st.secrets.items() if isinstance(v, str | int | float)}
    except (FileNotFoundError, StreamlitAPIException, KeyError):
        return {}


def desk_engine() -> MachineEngine:
    """The machine-translation engine the settings choose (built per use: cheap, no network)."""
    with db() as session:
        return engine_for(EngineSettings.load(session, secrets()))


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
        raise  # the caller shows both texts; see `conflict.conflict_box`, `english.conflict_box`
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


def clock(moment: datetime) -> str:
    """A time as the person reads it, in their browser's zone: "10:41" today, "5 Dec 10:41"
    another day (text left unsaved may wait days)."""
    zone = local_zone()
    there = as_utc(moment).astimezone(zone)
    if there.date() == utcnow().astimezone(zone).date():
        return f"{there:%H:%M}"
    return f"{there.day} {there:%b %H:%M}"


def format_time(moment: datetime | None) -> str:
    """A time as the person reads it: in their browser's zone (UTC says so)."""
    if moment is None:
        return "no due time"
    zone = local_zone()
    local = as_utc(moment).astimezone(zone)
    suffix = " UTC" if zone.key == "UTC" else ""
    return f"{local:%a %d %b, %H:%M}{suffix}"


language_name = languages.language_name  # "Ukrainian", never "UK"


def state_badge(state: TranslationState) -> None:
    st.badge(state.label, color=STATE_COLORS[state])


class Markdown(str):
    """Markdown the page composed: its own markup, with every piece of people's text escaped."""


# Backslash-escaping covers CommonMark's own syntax: emphasis, links, images, HTML, headings,
# lists, tables, maths (`$`), entities (`&`) and setext underlines (`=`).
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:&="})

# Streamlit also reads its own patterns in the text a backslash escape leaves behind: icon codes
# (`:material/home:`, replaced in the raw source before parsing), emoji shortcodes and the
# `:streamlit:` logo (found in text nodes), typographic arrows (`->`) and GitHub's bare links
# (`http://`, `www.`, `a@b`). An invisible word joiner (U+2060) inside each one breaks it; a
# colon before a name or a `//` gets one, which also stops `:red[...]` directives.
WORD_JOINER = "\u2060"
_BREAK = re.compile(r"(?<=:)(?=[\w+\-/])|(?<=@)|(?i:(?<=w)(?=ww\.))|(?<=[-<>~])(?=[->=])")
# Indenting a line would make it code (shown in monospace, escapes and all); Markdown shows no
# indent anyway. Control characters are not shown either (CommonMark turns NUL into U+FFFD).
_LINE_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_markdown(text: str) -> Markdown:
    """Text a person or a file wrote (or a message quoting it), made inert for Streamlit's
    Markdown: shown as typed, never as a link, a picture, HTML, an icon, an emoji or a colour."""
    if isinstance(text, Markdown):
        return text  # escaped already, by `md` or here
    lines = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    shown = _LINE_INDENT.sub("", lines)
    return Markdown(_BREAK.sub(WORD_JOINER, shown).translate(_MARKDOWN_SPECIAL))


class _Quoting(string.Formatter):
    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, Markdown):
            return format(str(value), format_spec)
        return escape_markdown(format(value, format_spec))


def md(template: str, /, *args: object, **values: object) -> Markdown:
    """The page's own Markdown `template` (a literal: icons, colours, bold) with its fields
    filled in, each value escaped unless it is `Markdown` already.

    The one way to put anything but a literal into `st.markdown`, `st.caption`, `st.error` and
    their kind: `md(":orange[**{who}**] · {when}", who=name, when=time)`.
    """
    return Markdown(_Quoting().vformat(template, args, values))


def escape_cells(rows: list[dict[str, object]]) -> list[dict[str, Markdown]]:
    """Rows for `st.table`, whose cells and headers Streamlit renders as Markdown."""
    return [
        {escape_markdown(str(k)): escape_markdown(str(v)) for k, v in row.items()} for row in rows
    ]


@cache  # the desk's labels are few (states, origins, percentages) and it draws many
def badge(label: str, color: BadgeColor, icon: str = "") -> Markdown:
    """A badge as Markdown (`:blue-badge[Translated]`), to put several on one line: one
    element, where `st.badge` draws one each. `icon` is the page's own (`:material/...:`)."""
    return md(":{}-badge[{}{}]", Markdown(color), Markdown(f"{icon} " if icon else ""), label)


def version_badge(state: VersionState) -> None:
    st.badge(state.label, color=VERSION_COLORS[state])


def show_diff(old: str, new: str) -> None:
    """The English word diff: removed words struck through in red, added ones in green."""
    st.markdown(diff_markdown(old, new))


def diff_markdown(old: str, new: str) -> Markdown:
    """The word diff of `show_diff`, as Markdown to show with other lines."""
    pieces = []
    for part in word_diff(old, new):
        if part.kind == "delete":
            pieces.append(md(":red[~~{}~~]", part.text))
        elif part.kind == "insert":
            pieces.append(md(":green[**{}**]", part.text))
        else:
            pieces.append(escape_markdown(part.text))
    return md(" ".join(["{}"] * len(pieces)), *pieces)
