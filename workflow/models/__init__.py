"""The stored shape of the desk: people, stories, source paragraphs, translations and history.

Times are timezone-aware UTC (`utcnow`) on SQLite and PostgreSQL alike. Enum columns store the
enum's value through `EnumValue`, so stored numbers and words stay stable and portable. What a
thing has several of (a person's languages, a glossary term's translations) is rows, one each.

The tables are grouped by what they are: `story` (a story and its texts), `people` (people
and their access), `desk` (what the whole desk shares), `audit` (the audit log), `jobs`
(the work queue), `unsaved` (text a person typed and has not saved), `presence` (which
desks are open now, and where), `integrations` (integration tokens and webhooks) and
`notifications` (what people are told, and how they chose); every one is importable from here.

The tables at the heart of the desk (story, people, desk, audit) are loaded with the package;
the rest (the work queue, integrations, notifications, presence, unsaved text) when first named,
so a command that only reads stories (`status --json`, a CMS calling it per story) never pays
for building their classes. Nothing the heart's tables hold points into the rest. `load_all`
loads every table, for what needs the whole schema (migrations, a test emptying the database).
"""

import importlib
from typing import TYPE_CHECKING, Any

from workflow.models.audit import Change, ChangeScope
from workflow.models.base import as_utc, clock_at, insert_for, utcnow
from workflow.models.desk import (
    GlossaryTerm,
    GlossaryTranslation,
    MachineDraft,
    MemoryUnit,
    Setting,
)
from workflow.models.people import (
    BrowserSession,
    Person,
    PersonBase,
    PersonLanguage,
    SignInThrottle,
)
from workflow.models.story import (
    Comment,
    Flag,
    LanguageVersion,
    Revision,
    SourceParagraph,
    SourceVersion,
    Story,
    StoryBase,
    Suggestion,
    Translation,
)

if TYPE_CHECKING:
    from workflow.models.integrations import Integration, TokenScope, Webhook
    from workflow.models.jobs import Job, JobState
    from workflow.models.notifications import (
        Channel,
        Notification,
        NotificationChoice,
        NotificationKind,
        Timing,
    )
    from workflow.models.presence import Presence
    from workflow.models.stale import StalePeriod
    from workflow.models.unsaved import UnsavedText

# Where each table loaded on first use lives (a module of this package).
_LOADED_WHEN_NAMED = {
    "Integration": "integrations",
    "TokenScope": "integrations",
    "Webhook": "integrations",
    "Job": "jobs",
    "JobState": "jobs",
    "Channel": "notifications",
    "Notification": "notifications",
    "NotificationChoice": "notifications",
    "NotificationKind": "notifications",
    "Timing": "notifications",
    "Presence": "presence",
    "StalePeriod": "stale",
    "UnsavedText": "unsaved",
}


def __getattr__(name: str) -> Any:
    """A table of the rest, loaded the first time it is named (PEP 562)."""
    module = _LOADED_WHEN_NAMED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def load_all() -> None:
    """Load every table onto `SQLModel.metadata` (what migrations compare, what a test empties)."""
    for module in sorted(set(_LOADED_WHEN_NAMED.values())):
        importlib.import_module(f"{__name__}.{module}")


__all__ = [
    "BrowserSession",
    "Change",
    "ChangeScope",
    "Channel",
    "Comment",
    "Flag",
    "GlossaryTerm",
    "GlossaryTranslation",
    "Integration",
    "Job",
    "JobState",
    "LanguageVersion",
    "MachineDraft",
    "MemoryUnit",
    "Notification",
    "NotificationChoice",
    "NotificationKind",
    "Person",
    "PersonBase",
    "PersonLanguage",
    "Presence",
    "Revision",
    "Setting",
    "SignInThrottle",
    "SourceParagraph",
    "SourceVersion",
    "StalePeriod",
    "Story",
    "StoryBase",
    "Suggestion",
    "Timing",
    "TokenScope",
    "Translation",
    "UnsavedText",
    "Webhook",
    "as_utc",
    "clock_at",
    "insert_for",
    "load_all",
    "utcnow",
]
