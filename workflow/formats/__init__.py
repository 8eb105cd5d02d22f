"""Story formats by name, and finding the right one for a file or a pasted text."""

from pathlib import PurePath

from workflow.errors import InputError
from workflow.formats.base import ParsedStory, StoryFormat
from workflow.formats.documents import (
    DOCUMENT_FORMATS,
    document_kind,
    docx_paragraphs,
    read_docx,
    read_web_page,
)
from workflow.formats.markdown import MarkdownFormat
from workflow.formats.plaintext import PlainTextFormat
from workflow.formats.seed import SeedFormat
from workflow.segmentation import check_text, decode, split_paragraphs

# Order matters for recognition: the most specific format first, plain text last.
FORMATS: dict[str, type[StoryFormat]] = {
    f.name: f for f in (SeedFormat, MarkdownFormat, PlainTextFormat)
}

__all__ = [
    "DOCUMENT_FORMATS",
    "FORMATS",
    "ParsedStory",
    "StoryFormat",
    "parse_story",
    "read_paragraphs_file",
    "read_story_file",
]


def find_format(text: str, filename: str | None = None) -> type[StoryFormat]:
    """The format a text is written in: the seed layout by content, else by file extension."""
    if SeedFormat.recognises(text):
        return SeedFormat
    suffix = PurePath(filename).suffix.lower() if filename else ""
    for fmt in FORMATS.values():
        if suffix and suffix in fmt.extensions:
            return fmt
    return next(f for f in FORMATS.values() if f.recognises(text))


def parse_story(
    text: str, *, filename: str | None = None, format_name: str | None = None
) -> ParsedStory:
    """A pasted or decoded text as a story; `InputError` when it cannot be one."""
    text = check_text(text)
    if format_name:
        if format_name not in FORMATS:
            names = ", ".join(FORMATS)
            raise InputError(f"Unknown format {format_name!r}: choose one of {names}.")
        return FORMATS[format_name].parse(text)
    return find_format(text, filename).parse(text)


def read_story_file(
    data: bytes, *, filename: str | None = None, format_name: str | None = None
) -> ParsedStory:
    """The bytes of an uploaded or given file as a story; `InputError` says why not.

    A Word file or a web page is found from its content (or named by `format_name`); anything
    else is text in one of the encodings `decode` reads, in one of `FORMATS`."""
    kind = format_name if format_name in DOCUMENT_FORMATS else None
    kind = kind or (None if format_name else document_kind(data, filename))
    if kind == "docx":
        return read_docx(data)
    if kind == "html":
        return read_web_page(data)
    return parse_story(decode(data), filename=filename, format_name=format_name)


def read_paragraphs_file(data: bytes, *, filename: str | None = None) -> list[str]:
    """A translation sent back as a file: its paragraphs in order, headline first. A Word
    file or text in UTF-8, UTF-16, Windows-1251 or Windows-1252."""
    kind = document_kind(data, filename)
    if kind == "docx":
        return [text for text, _ in docx_paragraphs(data)]
    if kind == "html":
        story = read_web_page(data)
        return story.all_paragraphs
    return split_paragraphs(decode(data))
