"""What a check is: a small class with a code, a name, a severity and one method.

A check declares its code, name and severity once, as class keywords, and what it looks for as
its docstring (`class EmptyCheck(Check, code="empty", name="Empty", severity=Severity.ERROR)`).
It looks at one English paragraph and its translation (`Pair`) and returns a message when
something is wrong, or None. A class with a code registers itself; `run_checks` runs every
registered check and returns the findings (`Finding`).

A check that raises is a bug in the check, never a reason to refuse a person's save, an import
or a page: `run_checks` logs the traceback and reports the failure as a finding of its own
(`check-failed`, a warning naming the check), and the other checks still run.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from workflow.errors import plain_traceback
from workflow.vocabulary import Severity


@dataclass(frozen=True)
class Term:
    """A glossary entry: an English term and how each language must render it."""

    english: str
    translations: dict[str, str]
    note: str = ""


@dataclass(frozen=True)
class Pair:
    """One English paragraph and its translation into `lang`, with what a check may need."""

    source: str
    target: str
    lang: str
    draft_text: str | None = None  # the machine or memory draft the text started from
    draft_origin: str = ""
    glossary: Sequence[Term] = field(default_factory=tuple)


@dataclass(frozen=True)
class Finding:
    """A check's finding on one translation: a flag."""

    code: str
    severity: Severity
    message: str

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity.value, "message": self.message}


CHECKS: dict[str, "Check"] = {}
CHECK_FAILED = "check-failed"  # the code of the finding that stands for a check that raised
log = logging.getLogger(__name__)


class Check:
    """One quality check: declared with class keywords, its docstring saying what it wants."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.WARNING

    def __init_subclass__(
        cls, *, code: str = "", name: str = "", severity: Severity = Severity.WARNING
    ) -> None:
        super().__init_subclass__()
        cls.code, cls.name, cls.severity = code, name, severity
        cls.description = " ".join((cls.__doc__ or "").split())  # the docstring, as one line
        if code:
            CHECKS[code] = cls()

    def check(self, pair: Pair) -> str | None:
        raise NotImplementedError


def run_checks(pair: Pair) -> list[Finding]:
    """Every registered check's finding on the pair; an empty English paragraph has none."""
    if not pair.source.strip():
        return []
    findings = []
    for check in CHECKS.values():
        try:
            message = check.check(pair)
        except Exception as exc:  # drafting jobs run checks in worker threads too
            log.error(
                "The %r check failed on a %s translation:\n%s",
                check.code, pair.lang, plain_traceback(exc),
            )  # fmt: skip
            message = None
            findings.append(
                Finding(
                    CHECK_FAILED,
                    Severity.WARNING,
                    f"The “{check.name}” check could not read this text, so it was not checked "
                    "for that; the failure is logged for the desk's developers.",
                )
            )
        if message:
            findings.append(Finding(check.code, check.severity, message))
    return findings
