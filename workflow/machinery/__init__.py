"""Machine translation: the engines on offer and the settings that choose one.

Settings come from the environment (or Streamlit secrets, handed in by the app):
`LOCKSTEP_MT_ENGINE` (google, mymemory, deepl, microsoft, libre), `LOCKSTEP_MT_URL`,
`LOCKSTEP_MT_KEY`, `LOCKSTEP_MT_TIMEOUT` (seconds the engine may take to answer a request: a
self-hosted server on a slow machine may need more than the default). An administrator's
choice of engine and address in the app, stored in the database, comes first; keys never go
into the database.
"""

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from sqlmodel import Session

from workflow.errors import InputError
from workflow.machinery.base import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, Engine, MachineryError
from workflow.models import Person, Setting
from workflow.records import Line, Record, RecordKind, changed_meanwhile
from workflow.settings import stored_setting
from workflow.vocabulary import Event

DEFAULT_ENGINE = "google"
ENGINE_LABELS = {
    "google": "Google Translate (no key)",
    "mymemory": "MyMemory (no key)",
    "deepl": "DeepL (key)",
    "microsoft": "Microsoft Translator (key)",
    "libre": "LibreTranslate (your server's address, key if it needs one)",
}

__all__ = [
    "ENGINE_LABELS",
    "Engine",
    "EngineSettings",
    "MachineryError",
    "engine_for",
    "save_engine_choice",
]


@dataclass(frozen=True)
class EngineSettings:
    """Which engine, where, and with what key."""

    engine: str = DEFAULT_ENGINE
    url: str = ""
    key: str = ""
    timeout: float = DEFAULT_TIMEOUT  # seconds for any one read of the engine's answer

    @classmethod
    def load(cls, session: Session, secrets: Mapping[str, str] | None = None) -> "EngineSettings":
        """The admin's choice from the database, else the environment, else secrets."""

        def setting(name: str) -> str:
            stored = session.get(Setting, name)
            if stored is not None and stored.value:
                return stored.value
            return os.environ.get(name) or (secrets or {}).get(name, "")

        def configured(name: str) -> str:
            return os.environ.get(name) or (secrets or {}).get(name, "")

        return cls(
            engine=setting("LOCKSTEP_MT_ENGINE") or DEFAULT_ENGINE,
            url=setting("LOCKSTEP_MT_URL"),
            key=configured("LOCKSTEP_MT_KEY"),
            timeout=seconds(configured("LOCKSTEP_MT_TIMEOUT")),
        )


MOST_SECONDS = 120.0  # an engine that needs longer than this per answer is down


def seconds(text: str, default: float = DEFAULT_TIMEOUT) -> float:
    """A number of seconds as an operator wrote it ("30", "2.5"); `default` for anything that
    is not a positive number, and at most `MOST_SECONDS`."""
    try:
        value = float(text.strip())
    except ValueError:
        return default
    if not math.isfinite(value) or value <= 0:
        return default
    return min(value, MOST_SECONDS)


def save_engine_choice(
    session: Session,
    *,
    engine: str,
    url: str,
    person: Person,
    seen: tuple[str | None, str | None] | None = None,
) -> EngineSettings:
    """Store an administrator's choice of engine and address; refused if the stored choice is
    not the one their page drew (`seen`: the stored engine and address, None where never
    set; None: as read here)."""
    from workflow.writes import apply

    if engine not in ENGINE_LABELS:
        raise InputError(f"Unknown engine {engine!r}: choose one of {', '.join(ENGINE_LABELS)}.")
    names = ("LOCKSTEP_MT_ENGINE", "LOCKSTEP_MT_URL")
    drawn = [stored_setting(session, name) for name in names] if seen is None else list(seen)

    def write() -> Line:
        for name, value in zip(names, (engine, url.strip()), strict=True):
            stored = session.get(Setting, name) or Setting(name=name)
            stored.value = value
            session.add(stored)
        address = f" at {url.strip()}" if url.strip() else ""
        return Line(f"{engine}{address}")

    def stored() -> list[str | None]:
        return [stored_setting(session, name, lock=True) for name in names]

    refusal = partial(changed_meanwhile, session, "the engine", [Event.CHOOSE_ENGINE])
    record = Record(RecordKind.SETTING, write, stored, refusal=refusal)
    apply(session, Event.CHOOSE_ENGINE, record, person=person, expect=drawn)
    return EngineSettings.load(session)


def engine_for(settings: EngineSettings) -> Engine:
    """The engine the settings name, ready to translate."""
    if settings.engine == "fake":
        from workflow.machinery.fake import FakeEngine

        return FakeEngine()
    from workflow.machinery import deep, libre

    engines: dict[str, type[Engine]] = {
        "google": deep.GoogleEngine,
        "mymemory": deep.MyMemoryEngine,
        "deepl": deep.DeeplEngine,
        "microsoft": deep.MicrosoftEngine,
        "libre": libre.LibreEngine,
    }
    if settings.engine not in engines:
        raise InputError(
            f"Unknown engine {settings.engine!r} in LOCKSTEP_MT_ENGINE: "
            f"choose one of {', '.join(engines)}."
        )
    # However the reply trickles in, a whole call may take a few reads' time.
    deadline = max(DEFAULT_DEADLINE, 3 * settings.timeout)
    return engines[settings.engine](
        key=settings.key, url=settings.url, timeout=settings.timeout, deadline=deadline
    )
