"""How much a file may bring in: the desk's limits on size and paragraphs, and the one check
every reader counts against while it reads.

A story of more paragraphs than a desk can show, or text beyond what a newsroom writes, is
refused with the number it came to, before anything is stored; a reader stops counting as
soon as a limit is passed, so a huge file costs no more than the limit to refuse.
"""

from workflow.errors import InputError
from workflow.segmentation import MAX_INPUT_BYTES

MAX_PARAGRAPHS = 5_000  # a story; the longest live blogs run to a few hundred
MAX_TEXT_BYTES = MAX_INPUT_BYTES  # 2 MB of text, as UTF-8, once read out of a file
MAX_FILE_BYTES = 20 * 1024 * 1024  # a Word file or web page as uploaded (images, scripts)
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what a Word file's parts really unpack to
MAX_EXCHANGE_BYTES = 50 * 1024 * 1024  # an XLIFF or TMX: a newsroom's whole memory fits


MEGABYTE = 1_048_576


def megabytes(limit: int) -> int:
    """A limit in whole megabytes, as an upload box states it (and Streamlit enforces it)."""
    return limit // MEGABYTE


def story_upload_limits() -> str:
    """What a story file may weigh, in the words its upload box shows."""
    return (
        f"text up to {megabytes(MAX_TEXT_BYTES)} MB, a Word file or web page up to "
        f"{megabytes(MAX_FILE_BYTES)} MB"
    )


def check_file_size(data: bytes, what: str, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file larger than `limit` before reading it; `what` names its kind."""
    if len(data) > limit:
        raise InputError(
            f"The {what} is {len(data) / 1_048_576:.1f} MB; the limit is {limit // 1_048_576} MB."
        )


class ParagraphBudget:
    """Counts paragraphs and their text as a reader finds them; refuses past the limits."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.paragraphs = 0
        self.text_bytes = 0

    def spend(self, text: str) -> str:
        self.paragraphs += 1
        self.text_bytes += len(text.encode("utf-8", "surrogatepass"))
        if self.paragraphs > MAX_PARAGRAPHS:
            raise InputError(
                f"The {self.what} has more than {MAX_PARAGRAPHS:,} paragraphs, the most a story "
                "may have: split it into several stories."
            )
        if self.text_bytes > MAX_TEXT_BYTES:
            raise InputError(
                f"The {self.what} holds more than {MAX_TEXT_BYTES // 1_048_576} MB of text, the "
                "most a story may have: split it into several stories."
            )
        return text


def check_story_size(paragraphs: list[str], what: str = "story") -> list[str]:
    """The paragraphs, or `InputError` when they are more than a story may have."""
    budget = ParagraphBudget(what)
    for text in paragraphs:
        budget.spend(text)
    return paragraphs
