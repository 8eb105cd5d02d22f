"""XLIFF 1.2, the file CAT tools exchange: units of English with a translation, a state and
notes, written and read by translate-toolkit.

A file is read only after the desk's safe XML parser has found it well formed and free of
entity declarations (`safe_xml`); anything translate-toolkit cannot make sense of is refused
in words, never as its own exception.
"""

from dataclasses import dataclass

from lxml import etree
from translate.storage import xliff

from workflow.errors import InputError
from workflow.formats.base import FileFormat
from workflow.formats.limits import MAX_EXCHANGE_BYTES, check_file_size, check_story_size
from workflow.formats.safe_xml import local_name, parse_untrusted

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"


@dataclass(frozen=True)
class XliffUnit:
    """One unit: its id, English, translation, XLIFF state, approval and notes (from, text)."""

    unit_id: str
    source: str
    target: str = ""
    state: str = ""  # an XLIFF 1.2 target state: needs-translation, translated, signed-off...
    approved: bool = False
    notes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class XliffDocument:
    """One XLIFF `<file>`: what it was made from (`original`), its target language, its units."""

    original: str
    target_language: str
    units: tuple[XliffUnit, ...] = ()
    source_language: str = "en"


class _Xliff12Unit(xliff.xliffunit):
    namespace = XLIFF_NS


class _Xliff12File(xliff.xlifffile):
    """translate-toolkit's XLIFF, written as version 1.2 (it writes 1.1 by default)."""

    UnitClass = _Xliff12Unit
    namespace = XLIFF_NS
    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version='1.2' xmlns='{XLIFF_NS}'>
<file original='NoName' source-language='en' datatype='plaintext'>
<body>
</body>
</file>
</xliff>"""


def _unit(unit: xliff.xliffunit) -> XliffUnit:
    element = unit.xmlelement
    target = next((t for t in element if local_name(t) == "target"), None)
    notes = tuple(
        (note.get("from", ""), note.text or "")
        for note in element.iter("{*}note", "note")
        if local_name(note) == "note"
    )
    return XliffUnit(
        unit_id=element.get("id") or "",
        source=str(unit.source or ""),
        target=str(unit.target or ""),
        state=(target.get("state") or "") if target is not None else "",
        approved=element.get("approved") == "yes",
        notes=notes,
    )


class XliffFormat(FileFormat[XliffDocument]):
    """XLIFF 1.2 with one `<file>`: the units of one language version."""

    name = "xliff"
    label = "XLIFF 1.2"
    extensions = (".xlf", ".xliff")

    @classmethod
    def read(cls, data: bytes) -> XliffDocument:
        check_file_size(data, "XLIFF file", MAX_EXCHANGE_BYTES)
        root = parse_untrusted(data, "XLIFF")
        if local_name(root) != "xliff":
            raise InputError("This XML file is not XLIFF.")
        try:
            store = xliff.xlifffile.parsestring(data)
            names = [name or "" for name in store.getfilenames()]
            units = tuple(_unit(unit) for unit in store.unit_iter())
            target_language = store.gettargetlanguage() or ""
        except (AssertionError, etree.XMLSyntaxError, ValueError, AttributeError, TypeError):
            raise InputError(
                "This is not a readable XLIFF file (its structure is not XLIFF's)."
            ) from None
        check_story_size([unit.source for unit in units], "XLIFF file")  # one story's units
        return XliffDocument(
            original=names[0] if len(names) == 1 else "",
            target_language=target_language,
            units=units,
            source_language=store.getsourcelanguage() or "",
        )

    @classmethod
    def write(cls, content: XliffDocument) -> bytes:
        store = _Xliff12File(
            sourcelanguage=content.source_language, targetlanguage=content.target_language
        )
        store.setfilename(store.getfilenode("NoName"), content.original)
        for item in content.units:
            unit = store.addsourceunit(item.source, filename=content.original)
            unit.setid(item.unit_id)
            unit.target = item.target
            if item.state:
                unit.set_state_n(xliff.xliffunit.statemap[item.state])
            unit.markapproved(item.approved)
            for origin, text in item.notes:
                unit.addnote(text, origin=origin)
        return bytes(store)
