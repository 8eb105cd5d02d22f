"""Text a person types into a form (a name, an e-mail, a comment, a glossary term): printable
characters only.

Nobody types a NUL or another control character on purpose: it arrives pasted from a binary
file or forged in a request, and PostgreSQL refuses a NUL inside any text with an error that
would name the SQL. It is refused here, in words, before any query sees it.
"""

import re

from workflow.errors import InputError

# Unicode category Cc: C0 controls, DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def refuse_control_characters(text: str, what: str, *, multiline: bool = False) -> str:
    """`text` as it is, or `InputError` naming `what` when it holds a control character
    (line breaks and tabs are allowed in `multiline` text such as a comment)."""
    found = (_CONTROL_BUT_LINE_BREAKS if multiline else _CONTROL).search(text)
    if found is not None:
        raise InputError(
            f"{what} holds an invisible control character (U+{ord(found.group()):04X}), "
            "which cannot be stored: type it again, or paste it as plain text."
        )
    return text
