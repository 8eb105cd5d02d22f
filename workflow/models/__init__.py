"""The stored shape of the desk: people, stories, source paragraphs, translations and history.

Times are timezone-aware UTC (`utcnow`) on SQLite and PostgreSQL alike. Enum columns store the
enum's value through `EnumValue`, so stored numbers and words stay stable and portable. What a
thing has several of (a person's languages, a glossary term's translations) is rows, one each.

The tables are grouped by what they are: `story` (a story and its texts), `people` (people
and their access), `desk` (what the whole desk shares), `audit` (the audit log), `jobs`
(the work queue), `unsaved` (text a person typed and has not saved), `presence` (which
desks are open now, and where) and `integrations` (integration tokens and webhooks); every one
is importable from here.
"""

from workflow.models.audit import Change, ChangeScope
from workflow.models.base import as_utc, clock_at, insert_for, utcnow
from workflow.models.desk import (
    GlossaryTerm,
    GlossaryTranslation,
    MachineDraft,
    MemoryUnit,
    Setting,
)
from workflow.models.integrations import Integration, TokenScope, Webhook
from workflow.models.jobs import Job, JobState
from workflow.models.people import (
    BrowserSession,
    Person,
    PersonBase,
    PersonLanguage,
    SignInThrottle,
)
from workflow.models.presence import Presence
from workflow.models.story import (
    Comment,
    Flag,
    LanguageVersion,
    Revision,
    SourceParagraph,
    SourceVersion,
    StalePeriod,
    Story,
    StoryBase,
    Suggestion,
    Translation,
)
from workflow.models.unsaved import UnsavedText

__all__ = [
    "BrowserSession",
    "Change",
    "ChangeScope",
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
    "TokenScope",
    "Translation",
    "UnsavedText",
    "Webhook",
    "as_utc",
    "clock_at",
    "insert_for",
    "utcnow",
]
