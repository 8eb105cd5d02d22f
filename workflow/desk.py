"""What the desk shows for a story: each English paragraph beside its translations, and the
head of a language version (its state, progress, open errors, who holds it).

The desk's read model: a page run reads a version through `read_version_desk` in a constant
number of set-based queries, whatever the story's length; a paragraph that reruns on its own
reads itself again with `desk_rows(..., paragraph_id=...)`, and the head with `version_head`.
Words and characters are counted from the texts as read (`counts_of`), never queried apiece.
The person at the desk sees their own unsaved text beside each paragraph they typed in
(`unsaved`), read in one more query; nobody else's.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from workflow.assignments import Assignment, assignment
from workflow.checks import Severity
from workflow.comments import Thread, paragraph_threads
from workflow.counts import StoryCounts, count_story
from workflow.flags import FlagView, open_errors, story_flags
from workflow.models import Person, SourceParagraph, Suggestion, Translation
from workflow.progress import (
    VersionProgress,
    stale_positions,
    story_counts,
    version_progress,
)
from workflow.queries import in_story, is_stale, with_paragraphs
from workflow.states import TranslationState, VersionState
from workflow.unsaved import Unsaved, unsaved_texts
from workflow.versions import get_version, latest_request, publish_refusals, published_at
from workflow.vocabulary import Origin


@dataclass(frozen=True)
class SuggestionView:
    """A draft offered beside a translation: its text, where it came from, and for what English."""

    id: int
    text: str
    origin: Origin
    match: int
    source_text: str


@dataclass(frozen=True)
class TranslationView:
    """One translation as a person sees it at the desk."""

    id: int
    lang: str
    text: str
    state: TranslationState
    lock_version: int  # the counter a save or an action on it must name
    stale: bool
    made_from: str | None
    check_from: str | None  # the English before a minor edit, until someone checks it
    origin: Origin
    updated_by: str | None
    updated_at: datetime
    thread: Thread | None = None  # the editor's comment and the answers, until approved
    draft_origin: Origin = Origin.NONE  # where the draft it started from came from
    draft_change: int | None = None  # % of the draft a person changed; None without a draft
    suggestions: list[SuggestionView] = field(default_factory=list)
    flags: list[FlagView] = field(default_factory=list)  # the checks' findings, errors first
    unsaved: Unsaved | None = None  # what the person reading typed here and has not saved

    @property
    def needs_attention(self) -> bool:
        """Someone still has to act on it: stale, to check, unfinished, or talked about (a
        comment thread stays in view until the paragraph is approved)."""
        return bool(self.attention_reasons())

    def attention_reasons(self, *, reviewing: bool = False) -> list[str]:
        """Why someone still has to act on it, in the desk's words (none when nobody has);
        `reviewing`: for someone who approves, a translated paragraph waits for them too."""
        reasons = {
            "empty": self.state is TranslationState.EMPTY,
            "machine draft": self.state is TranslationState.MACHINE_DRAFT,
            "sent back": self.state is TranslationState.NEEDS_EDITING,
            "English changed": self.stale,
            "minor English edit": self.check_from is not None and not self.stale,
            "flagged": any(f.blocking for f in self.flags),
            "comment": self.thread is not None,
            "to approve": reviewing and self.state is TranslationState.TRANSLATED,
        }
        return [reason for reason, holds in reasons.items() if holds]

    @property
    def unedited_machine_text(self) -> bool:
        return self.draft_origin is Origin.MACHINE and self.draft_change == 0 and bool(self.text)


@dataclass(frozen=True)
class DeskRow:
    """One English paragraph and its translations by language."""

    paragraph_id: int
    position: int
    english: str
    translations: dict[str, TranslationView]  # filled as the rows are read

    @property
    def is_headline(self) -> bool:
        return self.position == 0

    @property
    def name(self) -> str:
        """How a person names it in a sentence: "headline" or "paragraph 12"."""
        return "headline" if self.is_headline else f"paragraph {self.position}"

    @property
    def needs_attention(self) -> bool:
        """Anything in any language that someone still has to do."""
        return any(t.needs_attention for t in self.translations.values())


def next_needing_attention(
    rows: Sequence[DeskRow],
    lang: str,
    current: int | None,
    *,
    backwards: bool = False,
    reviewing: bool = False,
) -> DeskRow | None:
    """The paragraph after (or before) the one whose paragraph id is `current` that needs
    attention in `lang` (`TranslationView.attention_reasons`, as `reviewing` says), in story
    order and round past the end; None when no other does.

    Without a current paragraph (or one no longer in `rows`), the first (or last) that does.
    """
    ordered = list(reversed(rows)) if backwards else list(rows)
    at = next((i for i, row in enumerate(ordered) if row.paragraph_id == current), None)
    # From the one after the current round to the one before it; from the start without one.
    around = ordered if at is None else ordered[at + 1 :] + ordered[:at]
    return next(
        (row for row in around if row.translations[lang].attention_reasons(reviewing=reviewing)),
        None,
    )


def _suggestions(
    session: Session, story_id: int, translation_ids: list[int] | None
) -> dict[int, list[SuggestionView]]:
    query = (
        select(Suggestion)
        .join(Translation, col(Translation.id) == col(Suggestion.translation_id))
        .where(Translation.story_id == story_id)
        .order_by(col(Suggestion.match).desc(), col(Suggestion.id))
    )
    if translation_ids is not None:
        query = query.where(col(Suggestion.translation_id).in_(translation_ids))
    found: dict[int, list[SuggestionView]] = {}
    for s in session.exec(query):
        assert s.id is not None
        found.setdefault(s.translation_id, []).append(
            SuggestionView(s.id, s.text, s.origin, s.match, s.source_text)
        )
    return found


def desk_rows(session: Session, story_id: int, *, paragraph_id: int | None = None) -> list[DeskRow]:
    """The story's paragraphs in order (or one), each with its translation in every language.

    Five set-based queries whatever the story's length: the rows, then the threads (two), the
    suggestions and the flags, of the whole story or of the one paragraph's translations."""
    query = in_story(
        with_paragraphs(
            select(SourceParagraph, Translation, Person.name).select_from(Translation)
        ).join(Person, col(Person.id) == col(Translation.updated_by_id), isouter=True),
        story_id,
    ).order_by(col(Translation.lang))
    if paragraph_id is not None:
        query = query.where(SourceParagraph.id == paragraph_id)
    found = session.exec(query).all()
    # One paragraph's extras are read for its own translations, not the whole story's.
    ids = None if paragraph_id is None else [t.id for _, t, _ in found if t.id is not None]
    comments = paragraph_threads(session, story_id, ids)
    suggestions = _suggestions(session, story_id, ids)
    flags = story_flags(session, story_id, ids)
    rows: dict[int, DeskRow] = {}
    for paragraph, translation, author in found:
        assert paragraph.id is not None and translation.id is not None
        row = rows.setdefault(
            paragraph.id, DeskRow(paragraph.id, paragraph.position, paragraph.text, {})
        )
        row.translations[translation.lang] = TranslationView(
            id=translation.id,
            lang=translation.lang,
            text=translation.text,
            state=TranslationState(translation.state),
            lock_version=translation.lock_version,
            stale=is_stale(translation, paragraph),
            made_from=translation.source_text,
            check_from=translation.check_from,
            origin=translation.origin,
            updated_by=author,
            updated_at=translation.updated_at,
            thread=comments.get(translation.id)
            if translation.state is not TranslationState.APPROVED
            else None,
            draft_origin=translation.draft_origin,
            draft_change=None
            if translation.draft_text is None
            else 100 - round(fuzz.ratio(translation.draft_text, translation.text)),
            suggestions=suggestions.get(translation.id, []),
            flags=flags.get(translation.id, []),
        )
    return list(rows.values())


@dataclass(frozen=True)
class VersionHead:
    """What the head of a language version shows, read in one go."""

    story_id: int
    lang: str
    progress: VersionProgress
    request: Thread | None  # the open request for changes to the whole version
    errors: list[tuple[int, str, str]]  # (position, code, message) nobody fixed or overrode
    held: Assignment
    refusals: list[str]  # why the site may not have the version now (`publish_refusals`)
    counts: StoryCounts  # words and characters of the English and of each language
    published_at: datetime | None = None  # when a published version was published

    @property
    def state(self) -> VersionState:
        return self.progress.state


def version_head(
    session: Session, story_id: int, lang: str, rows: list[DeskRow] | None = None
) -> VersionHead:
    """The version's head; counted from `rows` (the story as just read) when given, so the desk
    reads its paragraphs once, else in the database."""
    if rows is None:
        progress = version_progress(session, story_id, lang)
        errors = open_errors(session, story_id, lang)
        stale_at = stale_positions(session, story_id, lang) if progress.stale else []
        counts = story_counts(session, [story_id]).get(story_id, counts_of([]))
    else:
        stored = VersionState(get_version(session, story_id, lang).state)
        progress, errors = progress_of(rows, story_id, lang, stored), errors_of(rows, lang)
        stale_at = [row.position for row in rows if row.translations[lang].stale]
        counts = counts_of(rows)
    published = progress.state is VersionState.PUBLISHED
    return VersionHead(
        story_id=story_id,
        lang=lang,
        progress=progress,
        request=latest_request(session, story_id, lang),
        errors=errors,
        held=assignment(session, story_id, lang),
        refusals=publish_refusals(progress, stale_at, errors),
        counts=counts,
        published_at=published_at(session, story_id, lang) if published else None,
    )


def progress_of(
    rows: list[DeskRow], story_id: int, lang: str, stored: VersionState
) -> VersionProgress:
    """The version's progress counted from its rows as read (what `version_progress` counts
    in the database)."""
    shown = [row.translations[lang] for row in rows]
    return VersionProgress(
        story_id,
        lang,
        stored,
        counts=dict(Counter(t.state for t in shown)),
        stale=sum(t.stale for t in shown),
        check=sum(t.check_from is not None for t in shown),
    )


def counts_of(rows: list[DeskRow]) -> StoryCounts:
    """Words and characters of the story's English and translations, from its rows as read
    (what `progress.story_counts` reads from the database)."""
    return count_story(
        (row.english, {lang: t.text for lang, t in row.translations.items()}) for row in rows
    )


def errors_of(rows: list[DeskRow], lang: str) -> list[tuple[int, str, str]]:
    """The errors nobody overrode, as `flags.open_errors` reads them, from rows in hand."""
    return sorted(
        (row.position, f.code, f.message)
        for row in rows
        for f in row.translations[lang].flags
        if f.severity is Severity.ERROR and f.override_reason is None
    )


@dataclass(frozen=True)
class VersionDesk:
    """One language version at the desk: its head and its paragraphs, read together."""

    head: VersionHead
    rows: list[DeskRow]


def read_version_desk(
    session: Session, story_id: int, lang: str, *, person_id: int | None = None
) -> VersionDesk:
    """Everything the editing view of a version shows, in a constant number of queries; with
    the unsaved text of the person `person_id` (one query more) on the paragraphs they typed in."""
    rows = desk_rows(session, story_id)
    if person_id is not None:
        with_unsaved(rows, unsaved_texts(session, person_id, story_id=story_id))
    return VersionDesk(version_head(session, story_id, lang, rows), rows)


def with_unsaved(rows: list[DeskRow], unsaved: dict[int, Unsaved]) -> None:
    """Put each unsaved text (by translation id) on its translation in `rows`."""
    if not unsaved:
        return
    for row in rows:
        for lang, t in row.translations.items():
            if t.id in unsaved:
                row.translations[lang] = replace(t, unsaved=unsaved[t.id])


def counters(session: Session, story_id: int, lang: str) -> dict[int, tuple[int, Origin]]:
    """Each translation of a version: its lock counter and where its text came from (one
    statement: what an open desk compares with what it drew, to follow others' changes)."""
    rows = session.exec(
        select(Translation.id, Translation.lock_version, Translation.origin).where(
            Translation.story_id == story_id, Translation.lang == lang
        )
    )
    return {i: (lock, Origin(origin)) for i, lock, origin in rows if i is not None}
