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


def docx_paragraphs(data: bytes) -> list[tuple[str, bool]]:
    """The non-empty paragraphs of a Word file, in order, each with whether it is a heading
    (a Title or Heading style)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, EOFError):
        raise InputError(
            "This Word file is damaged or incomplete (it may not have finished downloading): "
            "save it again from Word."
        ) from None
    except ValueError:  # a zip of another kind: a spreadsheet, a presentation, an OpenDocument
        raise InputError(
            "This is a zip file but not a Word document: save the story as .docx or text."
        ) from None
    found = []
    for paragraph in document.paragraphs:
        text = normalise(paragraph.text)
        if text:
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            found.append((text, style.startswith(("Heading", "Title"))))
    if not found:
        raise InputError("The Word file has no text: there is nothing to import.")
    return found


def read_docx(data: bytes) -> ParsedStory:
    """A story from a Word file: its first heading (or first paragraph) as the headline."""
    paragraphs = docx_paragraphs(data)
    headings = [i for i, (_, heading) in enumerate(paragraphs) if heading]
    first = headings[0] if headings else 0
    texts = [text for text, _ in paragraphs]
    # Anything above the headline (a kicker, a slug) is not part of the story's text.
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
