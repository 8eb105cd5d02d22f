"""TMX, the translation memory exchange format: units of one English text and its translations.

Read with the desk's safe XML parser (`safe_xml`); TMX 1.4 (`xml:lang`) and older (`lang`)
variants, language codes as older memories write them (`UA`, `RUS`, `EN-US`), formatting codes
(`bpt`, `ept`, `ph`...) left out of the text, and comments inside a segment skipped. Written as
TMX 1.4, one unit per `MemoryEntry`.
"""

import io
from dataclasses import dataclass, field

from lxml import etree

from workflow.errors import InputError
from workflow.formats.base import FileFormat
from workflow.formats.limits import MAX_EXCHANGE_BYTES, check_file_size
from workflow.formats.safe_xml import (
    UNTRUSTED,
    local_name,
    refuse_declared_entities,
    unreadable,
)
from workflow.segmentation import normalise

LANGUAGE_CODES = {"ua": "uk", "ukr": "uk", "rus": "ru", "eng": "en"}  # as older memories write
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
INLINE_CODES = {"bpt", "ept", "it", "ph", "ut"}  # formatting codes, not text


@dataclass(frozen=True)
class MemoryEntry:
    """One translation unit: its texts by language code (`en` for the English), in order."""

    texts: dict[str, str] = field(default_factory=dict)


def language_code(code: str | None) -> str:
    """`en`, `ru`, `uk`... from a TMX language attribute (`EN-US`, `UA`, `rus`)."""
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return LANGUAGE_CODES.get(base, base)


def _segment_text(tuv: "etree._Element") -> str:
    """The text of a TMX variant's segment, without formatting codes, comments or
    instructions (their tails, the text after them, are kept)."""
    parts: list[str] = []

    def walk(node: "etree._Element") -> None:
        parts.append(node.text or "")
        for child in node:
            if local_name(child) and local_name(child) not in INLINE_CODES:
                walk(child)
            parts.append(child.tail or "")

    for seg in tuv:
        if local_name(seg) == "seg":
            walk(seg)
    return normalise("".join(parts))


def _check_root(root: "etree._Element") -> None:
    refuse_declared_entities(root, "TMX")
    if local_name(root) != "tmx":
        raise InputError("This XML file is not a TMX translation memory.")


def _entry(unit: "etree._Element") -> MemoryEntry:
    texts: dict[str, str] = {}
    for tuv in unit.iter("{*}tuv", "tuv"):
        code = language_code(tuv.get(XML_LANG) or tuv.get("lang"))
        text = _segment_text(tuv)
        if code and text:
            texts.setdefault(code, text)
    return MemoryEntry(texts)


class TmxFormat(FileFormat[list[MemoryEntry]]):
    """A translation memory in TMX: the units it holds, each with its texts by language."""

    name = "tmx"
    label = "TMX translation memory"
    extensions = (".tmx",)

    @classmethod
    def read(cls, data: bytes) -> list[MemoryEntry]:
        """The units, read as a stream: each unit is let go once read, so a large memory
        takes the memory of its texts, not of its whole XML tree."""
        check_file_size(data, "TMX file", MAX_EXCHANGE_BYTES)
        if not data.strip():
            raise InputError("The TMX file is empty.")
        entries = []
        events = etree.iterparse(io.BytesIO(data), events=("start", "end"), **UNTRUSTED)
        try:
            for event, element in events:
                if event == "start":
                    if element.getparent() is None:
                        _check_root(element)
                elif local_name(element) == "tu":
                    entries.append(_entry(element))
                    element.clear(keep_tail=True)
        except etree.XMLSyntaxError as error:
            raise unreadable(error, "TMX") from None
        return entries

    @classmethod
    def write(cls, content: list[MemoryEntry]) -> bytes:
        root = etree.Element("tmx", version="1.4")
        etree.SubElement(
            root, "header", creationtool="Lockstep", creationtoolversion="1",
            segtype="paragraph",  # each unit is a whole paragraph
            adminlang="en", srclang="en", datatype="plaintext", **{"o-tmf": "Lockstep"},
        )  # fmt: skip
        body = etree.SubElement(root, "body")
        for entry in content:
            unit = etree.SubElement(body, "tu")
            for lang, text in entry.texts.items():
                tuv = etree.SubElement(unit, "tuv", {XML_LANG: lang})
                etree.SubElement(tuv, "seg").text = text
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
