"""The names the command line imports from before the split into `exchange` (a language
version as a file, XLIFF) and `memory` (TMX); new code imports from those modules, and this
one goes when the command line does too."""

from typing import Any

from workflow import exchange, memory


def __getattr__(name: str) -> Any:
    for module in (exchange, memory):
        if name in module.__all__:
            return getattr(module, name)
    raise AttributeError(f"module 'workflow.interchange' has no attribute {name!r}")
