"""The format contract: every kind of file that comes in or goes out of the desk is a class
with a name, a label, file extensions, `read` (bytes to content, or `InputError` saying why
not) and `write` (content to bytes).

What a format reads is its content: a `ParsedStory` for story formats (seed text, plain text,
Markdown, Word, web page), an `XliffDocument` for XLIFF, a list of `MemoryEntry` for TMX. Every
reader refuses garbage, oversized files and more paragraphs than a story may have with an
`InputError` in words (never another exception), and a format that can write what it reads
(`round_trips`) reads back exactly what it wrote.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from workflow.errors import InputError
from workflow.formats.limits import check_story_size
from workflow.segmentation import decode


@dataclass(frozen=True)
class ParsedStory:
    """A story as read from a file, before it is stored: headline first, then body paragraphs."""

    headline: str
    paragraphs: list[str] = field(default_factory=list)
    section: str = ""
    date_line: str = ""
    format_name: str = "plain"

    def __post_init__(self) -> None:
        check_story_size(self.all_paragraphs)

    @property
    def all_paragraphs(self) -> list[str]:
        """The paragraphs to translate: the headline is translated like any other."""
        return [self.headline, *self.paragraphs]


Content = TypeVar("Content")


class FileFormat(ABC, Generic[Content]):
    """One kind of file: what it is called, how it is read and written."""

    name: ClassVar[str]
    label: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()
    round_trips: ClassVar[bool] = True  # `read(write(content)) == content`

    @classmethod
    @abstractmethod
    def read(cls, data: bytes) -> Content:
        """The file's content, or `InputError` saying in words why it cannot be read."""

    @classmethod
    @abstractmethod
    def write(cls, content: Content) -> bytes: ...


class StoryFormat(FileFormat[ParsedStory]):
    """A story written down as text: read from any encoding `decode` knows, written as UTF-8."""

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

    @classmethod
    def read(cls, data: bytes) -> ParsedStory:
        return cls.parse(decode(data))

    @classmethod
    def write(cls, content: ParsedStory) -> bytes:
        return cls.serialize(content).encode("utf-8")

    @staticmethod
    def _headline_and_body(paragraphs: list[str], format_name: str, **meta: str) -> ParsedStory:
        if not paragraphs:
            raise InputError("The text has no paragraphs: there is nothing to import.")
        return ParsedStory(paragraphs[0], paragraphs[1:], format_name=format_name, **meta)
