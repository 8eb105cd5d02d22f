"""Stories (and translations) that arrive as documents: Word files and saved news web pages.

Read with the libraries made for them: python-docx for `.docx` (paragraphs in order, a heading
or title as the headline, empty paragraphs dropped), trafilatura for HTML (the article's
headline and body, without menus, boilerplate or scripts). What a file is, is found from its
first bytes as well as its name; a file that is none of the known kinds, or is damaged (a
truncated zip), is refused with a reason before anything is stored.
"""

import io
import zipfile
from pathlib import PurePath

from lxml import etree

from workflow.errors import InputError
from workflow.formats.base import ParsedStory
from workflow.segmentation import normalise

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # Word files carry images; web pages carry scripts

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .doc (and .xls, .ppt)
HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article")

DOCUMENT_FORMATS = ("docx", "html")
ARTICLE_MIN_WORDS = 8  # fewer, beside a headline, is a page without an article


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
    if suffix in (".html", ".htm") or any(mark in head for mark in HTML_MARKS):
        return "html"
    return None


def _check_size(data: bytes) -> None:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"The file is {len(data) / 1_048_576:.1f} MB; documents larger than 20 MB are refused."
        )


MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what a Word file may expand to: more is a zip bomb
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SKIPPED_CONTAINERS = {f"{W}tbl", f"{W}txbxContent"}  # tables and text boxes: not the story
HEADLINE_WITHIN = 2  # a heading this near the top is the headline; anything above it, a slug


def _check_unpacked(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, EOFError):
        return  # python-docx says so below, in the words for a damaged file
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            f"This Word file unpacks to {unpacked / 1_048_576:.0f} MB (the limit is 100 MB): "
            "it is not an ordinary story. Save the text as a new .docx."
        )


def _paragraph_text(element: "etree._Element") -> str:
    """All the text a reader sees in a paragraph: every run, including tracked insertions,
    smart tags and content controls (python-docx's `Paragraph.text` skips those); deleted
    text (`w:delText`) stays out."""
    parts = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}noBreakHyphen":
            parts.append("\u2011")
        else:
            parts.append(" ")
    return "".join(parts)


def docx_paragraphs(data: bytes) -> list[tuple[str, bool]]:
    """The non-empty paragraphs of a Word file's body, in order, each with whether it is a
    heading (a Title or Heading style). Tables and text boxes are left out."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph

    _check_size(data)
    _check_unpacked(data)
    damaged = InputError(
        "This Word file is damaged or incomplete (it may not have finished downloading): "
        "save it again from Word."
    )
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, EOFError, etree.XMLSyntaxError):
        raise damaged from None
    except ValueError:  # a zip of another kind: a spreadsheet, a presentation, an OpenDocument
        raise InputError(
            "This is a zip file but not a Word document: save the story as .docx or text."
        ) from None
    found = []
    for element in document.element.body.iter(f"{W}p"):
        if any(a.tag in SKIPPED_CONTAINERS for a in element.iterancestors()):
            continue
        text = normalise(_paragraph_text(element))
        if text:
            style = Paragraph(element, document._body).style  # type: ignore[arg-type]
            name = (style.name if style is not None else "") or ""
            found.append((text, name.startswith(("Heading", "Title"))))
    if not found:
        raise InputError("The Word file has no text: there is nothing to import.")
    return found


def read_docx(data: bytes) -> ParsedStory:
    """A story from a Word file: a heading at the top (under at most a slug) is the
    headline; otherwise the first paragraph is. Nothing further down is ever dropped."""
    paragraphs = docx_paragraphs(data)
    texts = [text for text, _ in paragraphs]
    first = next((i for i, (_, heading) in enumerate(paragraphs[:HEADLINE_WITHIN]) if heading), 0)
    return ParsedStory(texts[first], texts[first + 1 :], format_name="docx")


def read_web_page(data: bytes) -> ParsedStory:
    """A story from a saved news web page: the article's headline and paragraphs."""
    import trafilatura

    _check_size(data)
    extracted = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
    )
    text = (getattr(extracted, "text", None) if extracted is not None else None) or ""
    body = [p for p in (normalise(line) for line in text.split("\n")) if p]
    title = normalise(getattr(extracted, "title", "") or "")
    if body and title and body[0] == title:
        body = body[1:]
    if not title and body:
        title, body = body[0], body[1:]
    if sum(len(p.split()) for p in body) < ARTICLE_MIN_WORDS:
        # What is left when a page has no article is a menu item or a banner.
        raise InputError(
            "No article was found in this web page (only menus, scripts or an empty page): "
            "save the article's own page, or paste its text."
        )
    return ParsedStory(title, body, format_name="html")
