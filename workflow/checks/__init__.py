"""Quality checks: small registered classes that flag a translation that does not say what the
English says (numbers, language, emptiness, links, glossary terms...)."""

from workflow.checks import glossary, language, numbers, omission, text  # noqa: F401  (registers them)
from workflow.checks.base import CHECKS, Check, Finding, Pair, Severity, Term, run_checks

__all__ = ["CHECKS", "Check", "Finding", "Pair", "Severity", "Term", "run_checks"]
