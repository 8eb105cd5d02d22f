"""What a machine-translation engine is to Lockstep, and the faults it can report.

An engine translates one paragraph into one target language. Long paragraphs are cut at
sentence boundaries to fit the engine's limit and joined back. Every fault becomes one of the
errors below, each naming the engine and saying what to do, so the desk can tell people plainly.
"""

import re
from abc import ABC, abstractmethod

from workflow.errors import LockstepError

DEFAULT_TIMEOUT = 10.0  # seconds for any one read; deep-translator itself waits forever
# Seconds for a whole call, however the reply trickles in: a long paragraph takes a few.
DEFAULT_DEADLINE = 30.0
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'»”’)]))\s+(?=[\"'«“‘(]*[A-ZА-ЯЁІЇЄҐ0-9])")


class MachineryError(LockstepError):
    """An engine could not give a draft; drafts made before it are kept."""

    def __init__(self, engine: str, fault: str, advice: str = "") -> None:
        self.engine, self.fault = engine, fault
        super().__init__(f"{engine}: {fault}." + (f" {advice}" if advice else ""))


class EngineUnreachable(MachineryError):
    """No connection to the engine (no network, wrong address, server down)."""


class EngineTimeout(MachineryError):
    """The engine did not answer in time."""


class RateLimited(MachineryError):
    """The engine refuses more requests for now."""


class EngineServerError(MachineryError):
    """The engine answered with an error."""


class MalformedReply(MachineryError):
    """The engine's answer could not be read, or was empty."""


class UnsupportedLanguage(MachineryError):
    """The engine does not translate into this language."""


class EngineNotConfigured(MachineryError):
    """A key or an address is missing or was refused."""


_ABBREVIATION = re.compile(
    r"(?:\b[A-ZА-Я]\.|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|St|Jr|Sr|Prof|Gov|Sen|Rep|No|vs|etc|"
    r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|г|гг|ул|им|т\.е|т\.к|н\.э)\.)$"
)


def sentences(text: str) -> list[str]:
    """A paragraph's sentences, in order (keeping every character but the spacing between).

    A full stop after an initial or a common abbreviation (U.S., Gen., Mr.) ends no sentence.
    """
    found: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if found and _ABBREVIATION.search(found[-1]):
            found[-1] = f"{found[-1]} {piece}"
        elif piece:
            found.append(piece)
    return found


def chunks(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut between sentences (or words, if one is longer)."""
    pieces: list[str] = []
    current = ""
    for sentence in sentences(text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


class Engine(ABC):
    """One machine-translation service."""

    name: str
    label: str
    max_chars: int = 4500
    needs_key: bool = False
    needs_url: bool = False

    def __init__(
        self,
        *,
        key: str = "",
        url: str = "",
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        self.key, self.url, self.timeout, self.deadline = key, url, timeout, deadline

    @property
    def outside(self) -> bool:
        """Whether text sent to this engine leaves the newsroom (embargoed stories never do)."""
        return True

    @property
    def cache_name(self) -> str:
        """What the cache of drafts is keyed by: the engine, and where it runs."""
        return f"{self.name}:{self.url}" if self.url else self.name

    def translate(self, text: str, target: str) -> str:
        """The engine's translation of one paragraph from English into `target`."""
        parts = [self.translate_piece(piece, target) for piece in chunks(text, self.max_chars)]
        for part in parts:
            if not part or not part.strip():
                raise MalformedReply(self.label, "the reply was empty", "Try again later.")
        return " ".join(part.strip() for part in parts)

    @abstractmethod
    def translate_piece(self, text: str, target: str) -> str:
        """Translate text that fits the engine's limit; raise a `MachineryError` on a fault."""
