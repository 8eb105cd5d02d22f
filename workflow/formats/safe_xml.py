"""XML from outside the desk, read so that it cannot reach further than its own bytes.

The parser's own settings do the work, whatever the encoding or padding of the file: entity
references are never expanded (no billion laughs, no file or URL read through an external
entity), no DTD is loaded and nothing is fetched from the network, and libxml2's limits on
depth and text size stay on. A document that declares entities is refused in words, from what
the parser found in it, not from a search of its text.
"""

from lxml import etree

from workflow.errors import InputError

UNTRUSTED = {
    "resolve_entities": False,  # `&name;` stays a reference, never its replacement text
    "load_dtd": False,  # an external DTD is not read
    "no_network": True,  # nothing is fetched from a URL
    "huge_tree": False,  # libxml2's limits on nesting depth and text node size stay on
}


def untrusted_parser() -> etree.XMLParser:
    """A parser for XML nobody at the desk wrote (a new one each time: parsers keep state)."""
    return etree.XMLParser(strip_cdata=False, **UNTRUSTED)


def parse_untrusted(data: bytes, what: str) -> "etree._Element":
    """The root element of an uploaded XML file; `InputError` in words when it is empty, not
    well formed, or declares entities. `what` names the kind of file in those words."""
    if not data.strip():
        raise InputError(f"The {what} file is empty.")
    try:
        root = etree.fromstring(data, untrusted_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise unreadable(exc, what) from None
    if root is None:
        raise InputError(f"This is not a readable {what} file (no root element).")
    refuse_declared_entities(root, what)
    return root


def refuse_declared_entities(root: "etree._Element", what: str) -> None:
    """Refuse a document whose DTD declares entities (the parser reads the DTD before the
    root element, so a streaming reader can ask at the root's start)."""
    declared = root.getroottree().docinfo.internalDTD
    if declared is not None and next(iter(declared.iterentities()), None) is not None:
        raise _declares_entities(what)


def _declares_entities(what: str) -> InputError:
    return InputError(f"The {what} file declares XML entities, which Lockstep does not read.")


def unreadable(error: Exception, what: str) -> InputError:
    """The refusal, in words, of XML the parser stopped at; libxml2 stops by itself at
    entities that multiply (a billion laughs), which is said as such."""
    reason = str(error).splitlines()[0] if str(error) else "not XML"
    if "entity amplification" in reason or "entity loop" in reason.lower():
        return _declares_entities(what)
    return InputError(f"This is not a readable {what} file ({reason}).")


def local_name(node: "etree._Element") -> str:
    """An element's name without its namespace; "" for a comment, an instruction or an
    entity reference, which are not elements."""
    return etree.QName(node).localname if isinstance(node.tag, str) else ""
