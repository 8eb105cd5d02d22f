"""How text becomes paragraphs: the one place that decides what a paragraph is.

Rules:
- input is text in UTF-8, UTF-16, Windows-1252 or Windows-1251 (`decode`); empty, binary or
  oversized input is refused with a one-line reason, before anything is stored;
- text is normalised to Unicode NFC, line endings to `\\n`, runs of spaces and tabs to one space,
  invisible format characters removed (zero-width ones, and the bidirectional controls that
  can reorder what a reader sees: embeddings, overrides and isolates always, left-to-right and
  right-to-left marks unless the paragraph has right-to-left letters they may be ordering);
  no-break spaces are kept (they carry meaning in numbers);
- blank lines separate paragraphs, and the lines of one paragraph are joined with a space;
- a text with no blank line at all has one paragraph per line.
"""

import contextlib
import hashlib
import re
import unicodedata

import charset_normalizer

from workflow.errors import InputError

MAX_INPUT_BYTES = 2 * 1024 * 1024

_SPACES = re.compile(r"[^\S\n\u00a0\u202f]+")  # whitespace but newlines and no-break spaces
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
_BIDI_MARKS = re.compile(r"[\u200e\u200f\u061c]")
# Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms: where marks may be needed.
_RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


ENCODINGS = ("utf_8", "utf_16", "cp1252", "cp1251")  # what newsroom files arrive in
ENCODING_NAMES = "UTF-8, UTF-16, Windows-1252 or Windows-1251"


def decode(data: bytes) -> str:
    """The text of a file or upload, or `InputError` saying why it cannot be read as text.

    UTF-8 first (a byte-order mark is dropped), UTF-16 by its byte-order mark, else the
    encoding charset-normalizer finds among Windows-1252 (Western) and Windows-1251 (Cyrillic).
    """
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"The file is {len(data) / 1_048_576:.1f} MB; stories larger than 2 MB are refused."
        )
    if not data.strip():
        raise InputError("The file is empty: there is no text to import.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return check_text(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise InputError("The file says it is UTF-16 but is damaged: save it again.") from None
    if b"\x00" in data[:8192]:
        return check_text(_utf16_without_mark(data))
    try:
        return check_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        failed_at = exc.start
    found = charset_normalizer.from_bytes(data, cp_isolation=list(ENCODINGS)).best()
    if found is None:
        raise InputError(
            f"The file is not text in {ENCODING_NAMES} (byte {failed_at} cannot be read): "
            "save it as UTF-8."
        )
    text = str(found)
    if found.encoding == "cp1251" and _mostly_latin(text):
        # Short Western text with a few accents (Café, €3,000) reads as Cyrillic too; a
        # Russian or Ukrainian text is mostly Cyrillic letters.
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode("cp1252")
    return check_text(text)


def _utf16_without_mark(data: bytes) -> str:
    """Text in UTF-16 saved without a byte-order mark, told by where its NUL bytes fall:
    the high bytes of spaces, digits and Latin letters are all on one side (odd positions for
    little-endian, even for big-endian); a binary file has them on both."""
    head = data[:8192]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    pairs = len(head) // 2
    binary = InputError("This is a binary file, not text: save the story as plain text first.")
    if len(data) % 2 or min(odd, even) > pairs // 100 or max(odd, even) < pairs // 20:
        raise binary
    try:
        return data.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        raise binary from None


def _mostly_latin(text: str) -> bool:
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return latin > cyrillic


def check_text(text: str) -> str:
    """Refuse pasted text that is empty, oversized or full of control characters."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
        raise InputError("The text is larger than 2 MB; split the story or shorten it.")
    if not text.strip():
        raise InputError("The text is empty: there is nothing to import.")
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 100):
        raise InputError("This looks like binary data, not text: save the story as plain text.")
    return text


def normalise(text: str) -> str:
    """One paragraph's text as stored: NFC, single spaces, no invisible characters."""
    if text.isascii() and text.isprintable():
        # The common case, many times faster than the regular expressions below.
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            return " ".join(text.split())
        return text
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", _CONTROL.sub("", text))
    if _RIGHT_TO_LEFT.search(text) is None:
        text = _BIDI_MARKS.sub("", text)
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def split_paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs of a text, normalised, in order."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    has_blank_line = _BLANK_LINE.search(text.strip()) is not None
    blocks = _BLANK_LINE.split(text) if has_blank_line else text.split("\n")
    return [p for p in (normalise(block) for block in blocks) if p]


_QUOTES = str.maketrans(
    {
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def comparison_key(text: str) -> str:
    """The text as compared across versions: normalised, one quote style, plain spaces.

    Two paragraphs with the same key are the same paragraph: nothing a reader could notice
    changed between them.
    """
    text = normalise(text)
    return text if text.isascii() else text.translate(_QUOTES)


def fingerprint(text: str) -> str:
    """A stable identity for a paragraph's English text (its `comparison_key`)."""
    return hashlib.sha256(comparison_key(text).encode("utf-8")).hexdigest()
