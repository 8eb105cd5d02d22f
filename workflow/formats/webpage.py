"""Saved news web pages: the article's headline and paragraphs, read by trafilatura without
menus, boilerplate or scripts.

trafilatura's time grows faster than the page (a 20 MB page of short paragraphs takes minutes),
so a page is first counted by lxml's HTML parser, which takes a fraction of a second: more
elements than any news page has is refused before trafilatura sees it. The article's
paragraphs are then counted against the limits a story has.
"""

from collections.abc import Iterable
from html import escape
from itertools import islice
from typing import Any

from lxml import etree

from workflow.errors import InputError
from workflow.formats.base import FileFormat, ParsedStory
from workflow.formats.limits import ParagraphBudget, check_file_size
from workflow.segmentation import normalise, split_paragraphs

ARTICLE_MIN_WORDS = 8  # fewer, beside a headline, is a page without an article
# A news article's page has a few thousand elements, a long live blog some fifteen thousand;
# trafilatura reads 25,000 in about six seconds.
MAX_PAGE_ELEMENTS = 25_000


# The elements a story's paragraphs are written in; text between them is a paragraph too.
BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre"}
    | {"figcaption", "caption", "td", "th", "address", "div", "section", "article"}
    | {"header", "footer", "aside", "ul", "ol", "dl", "table", "tr", "main", "figure"}
)
INERT = ("script", "style", "noscript", "template", "head")  # never text a reader sees


def html_paragraphs(paragraphs: Iterable[str]) -> str:
    """Paragraphs as `<p>` elements, one a line, every character escaped: the one writer of a
    story's HTML (the site's export, this format, the ninjs body), so no text becomes markup."""
    return "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _parse_html(data: bytes, what: str, encoding: str | None = None) -> Any:
    """The parsed tree (None when there is nothing to parse); refused when it has more
    elements than any news page. No network, no comments, no processing instructions; a saved
    page says its own encoding (`encoding` None), a fragment out of JSON is UTF-8."""
    parser = etree.HTMLParser(
        no_network=True, huge_tree=False, remove_comments=True, remove_pis=True, encoding=encoding
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None  # nothing a reader could take text from
    if root is not None and next(islice(root.iter(), MAX_PAGE_ELEMENTS, None), None) is not None:
        raise InputError(
            f"The {what} has more than {MAX_PAGE_ELEMENTS:,} parts (paragraphs, links, "
            "boxes), more than a news article's page: save the article's own page, or paste "
            "its text."
        )
    return root


def html_block_texts(markup: str, what: str) -> list[str]:
    """The paragraphs of an HTML fragment (a story's body): the text of its block elements,
    normalised, in order, without scripts, styles or markup. A `<br>` is a line break inside
    a paragraph."""
    root = _parse_html(markup.encode("utf-8", "replace"), what, "utf-8")
    if root is None:
        return []
    etree.strip_elements(root, *INERT, with_tail=False)
    for element in root.iter():
        if element.tag in BLOCKS:  # a paragraph starts and ends at every block's edges
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
        elif element.tag == "br":
            element.tail = "\n" + (element.tail or "")
    return split_paragraphs("\n\n" + "".join(root.itertext()))


def _extract(data: bytes) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
    )


class WebPageFormat(FileFormat[ParsedStory]):
    """A news article's own page, saved from a browser."""

    name = "html"
    label = "Web page (.html)"
    extensions = (".html", ".htm")
    # trafilatura decides what on a page is the article (a short story is not one, to it):
    # what Lockstep writes is a plain page, not promised to read back the same.
    round_trips = False

    @classmethod
    def read(cls, data: bytes) -> ParsedStory:
        check_file_size(data, "web page")
        _parse_html(data, "web page")
        try:
            extracted = _extract(data)
        except (ValueError, TypeError, UnicodeError, RecursionError):
            extracted = None  # what trafilatura cannot parse has no article either
        text = (getattr(extracted, "text", None) if extracted is not None else None) or ""
        budget = ParagraphBudget("web page")
        body = [budget.spend(p) for p in (normalise(line) for line in text.split("\n")) if p]
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
        return ParsedStory(title, body, format_name=cls.name)

    @classmethod
    def write(cls, content: ParsedStory) -> bytes:
        paragraphs = html_paragraphs(content.paragraphs)
        headline = escape(content.headline)
        return (
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{headline}</title>'
            f"</head>\n<body><article>\n<h1>{headline}</h1>\n{paragraphs}\n</article></body>"
            "</html>\n"
        ).encode()
