"""What the desk shows for a story: each English paragraph beside its translations."""

from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from workflow.comments import Thread, paragraph_threads
from workflow.flags import FlagView, story_flags
from workflow.models import Person, SourceParagraph, Suggestion, Translation
from workflow.progress import UNFINISHED
from workflow.queries import in_story, is_stale, with_paragraphs
from workflow.states import TranslationState
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

    @property
    def needs_attention(self) -> bool:
        """Someone still has to act on it: stale, to check, unfinished, or talked about (a
        comment thread stays in view until the paragraph is approved)."""
        return (
            self.stale
            or self.check_from is not None
            or self.state in UNFINISHED
            or self.thread is not None
            or any(f.blocking for f in self.flags)
        )

    @property
    def unedited_machine_text(self) -> bool:
        return self.draft_origin is Origin.MACHINE and self.draft_change == 0 and bool(self.text)


@dataclass(frozen=True)
class DeskRow:
    """One English paragraph and its translations by language."""

    paragraph_id: int
    position: int
    english: str
    translations: dict[str, TranslationView] = field(default_factory=dict)

    @property
    def is_headline(self) -> bool:
        return self.position == 0

    @property
    def needs_attention(self) -> bool:
        """Anything in any language that someone still has to do."""
        return any(t.needs_attention for t in self.translations.values())


def _suggestions(session: Session, story_id: int) -> dict[int, list[SuggestionView]]:
    query = (
        select(Suggestion)
        .join(Translation, col(Translation.id) == col(Suggestion.translation_id))
        .where(Translation.story_id == story_id)
        .order_by(col(Suggestion.match).desc(), col(Suggestion.id))
    )
    found: dict[int, list[SuggestionView]] = {}
    for s in session.exec(query):
        assert s.id is not None
        found.setdefault(s.translation_id, []).append(
            SuggestionView(s.id, s.text, s.origin, s.match, s.source_text)
        )
    return found


def desk_rows(session: Session, story_id: int, *, paragraph_id: int | None = None) -> list[DeskRow]:
    """The story's paragraphs in order (or one), each with its translation in every language."""
    query = in_story(
        with_paragraphs(
            select(SourceParagraph, Translation, Person.name).select_from(Translation)
        ).join(Person, col(Person.id) == col(Translation.updated_by_id), isouter=True),
        story_id,
    ).order_by(col(Translation.lang))
    if paragraph_id is not None:
        query = query.where(SourceParagraph.id == paragraph_id)
    comments = paragraph_threads(session, story_id)
    suggestions = _suggestions(session, story_id)
    flags = story_flags(session, story_id)
    rows: dict[int, DeskRow] = {}
    for paragraph, translation, author in session.exec(query):
        assert paragraph.id is not None and translation.id is not None
        row = rows.setdefault(
            paragraph.id, DeskRow(paragraph.id, paragraph.position, paragraph.text)
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
