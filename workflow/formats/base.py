"""What every story format is: a name, file extensions, a way to recognise, parse and write it."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from workflow.errors import InputError


@dataclass(frozen=True)
class ParsedStory:
    """A story as read from a file, before it is stored: headline first, then body paragraphs."""

    headline: str
    paragraphs: list[str] = field(default_factory=list)
    section: str = ""
    date_line: str = ""
    format_name: str = "plain"

    @property
    def all_paragraphs(self) -> list[str]:
        """The paragraphs to translate: the headline is translated like any other."""
        return [self.headline, *self.paragraphs]


class StoryFormat(ABC):
    """One way a story is written down."""

    name: str
    label: str
    extensions: tuple[str, ...] = ()

    @classmethod
    def recognises(cls, text: str) -> bool:
        """Whether the text looks like this format (used when no format is named)."""
        return False

    @classmethod
    @abstractmethod
    def parse(cls, text: str) -> ParsedStory: ...

    @classmethod
    @abstractmethod
    def serialize(cls, story: ParsedStory) -> str: ...

    @staticmethod
    def _headline_and_body(paragraphs: list[str], format_name: str, **meta: str) -> ParsedStory:
        if not paragraphs:
            raise InputError("The text has no paragraphs: there is nothing to import.")
        return ParsedStory(paragraphs[0], paragraphs[1:], format_name=format_name, **meta)
