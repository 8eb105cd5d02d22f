"""The names the command line imports from before the split into `exchange` (a language
version as a file, XLIFF) and `memory` (TMX); new code imports from those modules."""

from workflow.exchange import (
    ImportReport,
    ParagraphCountMismatch,
    exchange_kind,
    export_xliff,
    import_paragraphs,
    import_xliff,
    xliff_target,
)
from workflow.memory import MemoryReport, export_tmx, import_tmx, memory_counts

__all__ = [
    "ImportReport",
    "MemoryReport",
    "ParagraphCountMismatch",
    "exchange_kind",
    "export_tmx",
    "export_xliff",
    "import_paragraphs",
    "import_tmx",
    "import_xliff",
    "memory_counts",
    "xliff_target",
]
