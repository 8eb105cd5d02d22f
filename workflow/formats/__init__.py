"""Every file format the desk reads and writes, by name, and finding the right one for a file
or a pasted text.

Story formats (`STORY_FORMATS`): seed text, IPTC ninjs (JSON), plain text and Markdown
(`FORMATS`, the ones that are text), Word and web pages (`DOCUMENT_FORMATS`). Exchange
formats: XLIFF for CAT tools and TMX for translation memory. All of them keep one contract
(`base.FileFormat`).
"""

from pathlib import PurePath
from typing import Any

from workflow.errors import InputError
from workflow.formats.base import FileFormat, ParsedStory, StoryFormat
from workflow.formats.markdown import MarkdownFormat
from workflow.formats.ninjs import NinjsFormat
from workflow.formats.plaintext import PlainTextFormat
from workflow.formats.seed import SeedFormat
from workflow.formats.tmx import MemoryEntry, TmxFormat
from workflow.formats.webpage import WebPageFormat
from workflow.formats.word import WordFormat, word_paragraphs
from workflow.formats.xliff import XliffDocument, XliffFormat, XliffUnit
from workflow.segmentation import check_text, decode

# Order matters for recognition: the most specific format first, plain text last.
FORMATS: dict[str, type[StoryFormat]] = {
    f.name: f for f in (SeedFormat, NinjsFormat, MarkdownFormat, PlainTextFormat)
}
DOCUMENT_FORMATS: dict[str, type[FileFormat[ParsedStory]]] = {
    f.name: f for f in (WordFormat, WebPageFormat)
}
STORY_FORMATS: dict[str, type[FileFormat[ParsedStory]]] = {**FORMATS, **DOCUMENT_FORMATS}
ALL_FORMATS: dict[str, type[FileFormat[Any]]] = {
    **STORY_FORMATS,
    XliffFormat.name: XliffFormat,
    TmxFormat.name: TmxFormat,
}

__all__ = [
    "ALL_FORMATS",
    "DOCUMENT_FORMATS",
    "FORMATS",
    "FileFormat",
    "MemoryEntry",
    "ParsedStory",
    "StoryFormat",
    "TmxFormat",
    "XliffDocument",
    "XliffFormat",
    "XliffUnit",
    "exchange_kind",
    "parse_story",
    "read_paragraphs_file",
    "read_story_file",
]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .doc (and .xls, .ppt)
HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article")


def document_kind(data: bytes, filename: str | None = None) -> str | None:
    """ "docx" or "html" when the file is one (by content first, then name); None for text.
    Refuses, with a reason, files that are documents of a kind Lockstep cannot read."""
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if data.startswith(ZIP_MAGIC):
        return "docx"
    if data.startswith(OLE_MAGIC):
        raise InputError(
            "This is an old Word (.doc) file: open it in Word and save it as .docx, then import it."
        )
    if data.startswith(b"%PDF"):
        raise InputError("This is a PDF: export the story from its source as .docx or text.")
    if suffix == ".docx":
        raise InputError(
            f"{PurePath(filename or '').name} is named .docx but is not a Word file "
            "(it may be damaged or renamed): save it again from Word."
        )
    head = data[:4096].lstrip().lower()
    if suffix in WebPageFormat.extensions or any(mark in head for mark in HTML_MARKS):
        return "html"
    return None


def exchange_kind(head: bytes, filename: str | None = None) -> str | None:
    """ "xliff" or "tmx" when a file is one (by its first bytes or its name), else None."""
    name = (filename or "").lower()
    start = head[:4096].lower()
    if name.endswith(XliffFormat.extensions) or b"<xliff" in start:
        return "xliff"
    if name.endswith(TmxFormat.extensions) or b"<tmx" in start:
        return "tmx"
    return None


def find_format(text: str, filename: str | None = None) -> type[StoryFormat]:
    """The format a text is written in: the seed layout or JSON (ninjs) by content, else by
    file extension, else by what the text looks like."""
    by_content: tuple[type[StoryFormat], ...] = (SeedFormat, NinjsFormat)
    for found in by_content:  # what their content says outweighs a file's name
        if found.recognises(text):
            return found
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
    if kind in DOCUMENT_FORMATS:
        return DOCUMENT_FORMATS[kind].read(data)
    return parse_story(decode(data), filename=filename, format_name=format_name)


def read_paragraphs_file(data: bytes, *, filename: str | None = None) -> list[str]:
    """A translation sent back as a file: its paragraphs in order, headline first. A Word
    file, a web page, or text in UTF-8, UTF-16, Windows-1251 or Windows-1252."""
    kind = document_kind(data, filename)
    if kind == "docx":
        return [text for text, _ in word_paragraphs(data)]
    if kind == "html":
        return WebPageFormat.read(data).all_paragraphs
    return PlainTextFormat.read(data).all_paragraphs
