"""What the realigner says: where each new paragraph came from, and each old one's heir.

`Alignment.as_json` is the contract of `python -m workflow realign` (see the README).
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    UNCHANGED = "unchanged"
    MINOR = "minor"
    CHANGED = "changed"
    NEW = "new"


@dataclass(slots=True)
class Mapping:
    """Where one new paragraph came from."""

    index: int
    sources: tuple[int, ...]
    status: Status
    similarity: int
    moved: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "from": list(self.sources),
            "status": self.status.value,
            "similarity": self.similarity,
            "moved": self.moved,
        }


@dataclass(frozen=True)
class Alignment:
    """One mapping per new paragraph, in order; the old paragraphs that survive nowhere; and the
    heir of every other old paragraph (old index -> the new index that carries its row on)."""

    paragraphs: list[Mapping]
    removed: list[int]
    heirs: dict[int, int]

    def as_json(self) -> dict[str, Any]:
        size = len(self.removed) + len(self.heirs)
        return {
            "paragraphs": [m.as_json() for m in self.paragraphs],
            "removed": self.removed,
            "heirs": [self.heirs.get(i) for i in range(size)],
        }
