"""Word files (.docx): a story's paragraphs in order, a heading at the top as its headline.

A .docx is a zip of XML parts. What the zip's directory says about sizes is never trusted:
every part is inflated in small pieces with a running count of the bytes it really unpacks to,
and the file is refused as soon as the count passes the limit, so a zip bomb, or a file whose
directory understates its size, costs no more than the limit to refuse. The text part is then
read as a stream by the desk's safe XML parser and counted paragraph by paragraph against the
limits a story has (`limits`). Tables and text boxes are not the story and are left out;
tracked insertions are read, deleted text is not.
"""

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import docx
from lxml import etree

from workflow.errors import InputError
from workflow.formats.base import FileFormat, ParsedStory
from workflow.formats.limits import (
    MAX_UNPACKED_BYTES,
    ParagraphBudget,
    check_file_size,
)
from workflow.formats.safe_xml import UNTRUSTED, parse_untrusted, unreadable
from workflow.segmentation import normalise

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SKIPPED_CONTAINERS = {f"{W}tbl", f"{W}txbxContent"}  # tables and text boxes: not the story
HEADLINE_WITHIN = 2  # a heading this near the top is the headline; anything above it, a slug
CHUNK = 64 * 1024
CONTENT_TYPES = "[Content_Types].xml"
WORD_MAIN = (  # the content types of a Word document's main part: document, template, macros
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
WORD_STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"

DAMAGED = (
    "This Word file is damaged or incomplete (it may not have finished downloading): "
    "save it again from Word."
)


def _damaged() -> InputError:
    return InputError(DAMAGED)


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes as they really unpack, in pieces of at most `CHUNK`, checked against
    its CRC; the sizes the zip declares are not used to decide how much comes out."""
    if info.flag_bits & 0x1:
        raise InputError("This Word file is password-protected: save a copy without a password.")
    offset = info.header_offset
    if data[offset : offset + 4] != b"PK\x03\x04":
        raise _damaged()
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    raw = memoryview(data)[start : start + info.compress_size]
    crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (bytes(raw[i : i + CHUNK]) for i in range(0, len(raw), CHUNK))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _deflated(raw)
    else:
        raise InputError("This Word file is compressed in a way Word does not use: save it again.")
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
        yield piece
    if crc != info.CRC:
        raise _damaged()


def _deflated(raw: memoryview) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pending = bytes(raw)
    try:
        while pending:
            yield inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
        yield inflater.flush()
    except zlib.error:
        raise _damaged() from None


class _Package:
    """A Word file's parts, after counting what all of them really unpack to."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            members = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
            raise _damaged() from None
        unpacked = 0
        for info in members:
            for piece in _inflate(data, info):
                unpacked += len(piece)
                if unpacked > MAX_UNPACKED_BYTES:
                    raise InputError(
                        f"This Word file unpacks to more than {MAX_UNPACKED_BYTES // 1_048_576} "
                        "MB: it is not an ordinary story. Save the text as a new .docx."
                    )
        self.names = {info.filename: info for info in members}

    def pieces(self, name: str) -> Iterator[bytes]:
        if name not in self.names:
            raise _damaged()
        return _inflate(self.data, self.names[name])

    def read(self, name: str) -> bytes:
        return b"".join(self.pieces(name))

    def part_of_type(self, types: tuple[str, ...]) -> str | None:
        """The name of the part whose content type is one of `types` (None if none is)."""
        if CONTENT_TYPES not in self.names:
            raise _damaged()
        declared = parse_untrusted(self.read(CONTENT_TYPES), "Word")
        for override in declared.iter("{*}Override"):
            if override.get("ContentType") in types:
                return (override.get("PartName") or "").lstrip("/")
        return None


def _style_names(package: _Package) -> dict[str, str]:
    """Paragraph style ids to their names ("heading 1", "Title"), from the styles part."""
    part = package.part_of_type((WORD_STYLES,))
    if part is None or part not in package.names:
        return {}
    styles = parse_untrusted(package.read(part), "Word")
    names = {}
    for style in styles.iter(f"{W}style"):
        name = next(style.iter(f"{W}name"), None)
        if name is not None:
            names[style.get(f"{W}styleId") or ""] = name.get(f"{W}val") or ""
    return names


def _paragraph_text(element: Any) -> str:
    """All the text a reader sees in a paragraph: every run, including tracked insertions,
    smart tags and content controls; deleted text (`w:delText`) and text boxes stay out."""
    parts = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        if any(a.tag == f"{W}txbxContent" for a in node.iterancestors() if a is not element):
            continue
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}noBreakHyphen":
            parts.append("\u2011")
        else:
            parts.append(" ")
    return "".join(parts)


def _is_heading(element: Any, styles: dict[str, str]) -> bool:
    style = next(element.iter(f"{W}pStyle"), None)
    style_id = style.get(f"{W}val") or "" if style is not None else ""
    return styles.get(style_id, style_id).lower().startswith(("heading", "title"))


def word_paragraphs(data: bytes) -> list[tuple[str, bool]]:
    """The non-empty paragraphs of a Word file's body, in order, each with whether it is a
    heading (a Title or Heading style). Tables and text boxes are left out."""
    check_file_size(data, "Word file")
    package = _Package(data)
    main = package.part_of_type(WORD_MAIN)
    if main is None:
        raise InputError(
            "This is a zip file but not a Word document: save the story as .docx or text."
        )
    styles = _style_names(package)
    budget = ParagraphBudget("Word file")
    parser = etree.XMLPullParser(events=("end",), tag=f"{W}p", **UNTRUSTED)
    found: list[tuple[str, bool]] = []
    try:
        for piece in package.pieces(main):
            parser.feed(piece)
            found.extend(_read_events(parser, styles, budget))
        parser.close()
        found.extend(_read_events(parser, styles, budget))
    except etree.XMLSyntaxError as error:
        refusal = unreadable(error, "Word")
        raise refusal if "entities" in str(refusal) else _damaged() from None
    if not found:
        raise InputError("The Word file has no text: there is nothing to import.")
    return found


def _read_events(
    parser: etree.XMLPullParser, styles: dict[str, str], budget: ParagraphBudget
) -> Iterator[tuple[str, bool]]:
    for _, element in parser.read_events():
        in_story = not any(a.tag in SKIPPED_CONTAINERS for a in element.iterancestors())
        if in_story and (text := normalise(_paragraph_text(element))):
            yield budget.spend(text), _is_heading(element, styles)
        parent = element.getparent()
        if parent is not None and parent.tag == f"{W}body":
            # What is read is let go, so a long file takes no more memory than a short one.
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del parent[0]


class WordFormat(FileFormat[ParsedStory]):
    """A Word file: a heading at the top (under at most a slug) is the headline, otherwise
    the first paragraph is; nothing further down is ever dropped."""

    name = "docx"
    label = "Word (.docx)"
    extensions = (".docx",)

    @classmethod
    def read(cls, data: bytes) -> ParsedStory:
        paragraphs = word_paragraphs(data)
        texts = [text for text, _ in paragraphs]
        top = enumerate(paragraphs[:HEADLINE_WITHIN])
        first = next((i for i, (_, heading) in top if heading), 0)
        return ParsedStory(texts[first], texts[first + 1 :], format_name=cls.name)

    @classmethod
    def write(cls, content: ParsedStory) -> bytes:
        document = docx.Document()
        document.add_heading(content.headline, level=1)
        for text in content.paragraphs:
            document.add_paragraph(text)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
