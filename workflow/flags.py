"""Flags: the checks' findings on stored translations, kept current, shown, and overridden.

Flags are recomputed whenever a translation's text or its English changes (`refresh_flags`,
called by `translations` and `sources`). An empty translation carries no flags: its state
(empty) already says it and already blocks approval. An error blocks approving and publishing
until the text is fixed or an editor overrides the flag with a reason; an override lasts as
long as the same finding stands.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from workflow.checks import Pair, Severity, Term, run_checks
from workflow.errors import InputError, NotFound
from workflow.models import (
    Flag,
    GlossaryTerm,
    Person,
    SourceParagraph,
    Translation,
    utcnow,
)
from workflow.queries import is_current, of_version, with_paragraphs
from workflow.records import Line, Record, RecordKind
from workflow.states import Action, authorize
from workflow.trends import open_stale_periods, track_stale


@dataclass(frozen=True)
class FlagView:
    """A flag as the desk shows it."""

    id: int
    code: str
    severity: Severity
    message: str
    overridden_by: str | None
    override_reason: str | None
    overridden_at: datetime | None

    @property
    def open(self) -> bool:
        return self.overridden_by is None and self.override_reason is None

    @property
    def blocking(self) -> bool:
        return self.open and self.severity is Severity.ERROR


def glossary(session: Session) -> list[Term]:
    return [
        Term(t.english, t.translations, t.note)
        for t in session.exec(select(GlossaryTerm).order_by(col(GlossaryTerm.english)))
    ]


def refresh_flags(
    session: Session,
    translation: Translation,
    paragraph: SourceParagraph | None = None,
    terms: Sequence[Term] | None = None,
    open_stale: set[int] | None = None,
    existing: Sequence[Flag] | None = None,
) -> None:
    """Recompute one translation's flags for its current text and English (not committed),
    and note whether it has gone stale or is in step again (`trends.track_stale`).

    `open_stale` and `existing` (its stored flags), when given, were read once for a whole
    story, saving two queries per translation."""
    paragraph = paragraph or session.get(SourceParagraph, translation.paragraph_id)
    assert paragraph is not None and translation.id is not None
    track_stale(session, translation, paragraph, open_stale)
    findings = []
    if translation.text.strip() and is_current(paragraph):
        findings = run_checks(
            Pair(
                paragraph.text,
                translation.text,
                translation.lang,
                draft_text=translation.draft_text,
                draft_origin=translation.draft_origin,
                glossary=glossary(session) if terms is None else terms,
            )
        )
    checked = hashlib.sha256(f"{paragraph.text}\0{translation.text}".encode()).hexdigest()
    if existing is None:
        existing = session.exec(select(Flag).where(Flag.translation_id == translation.id)).all()
    # A finding stands (with its override) only while the English and the text it was made
    # on are the same: a new text is checked, and overridden, afresh.
    kept = {(f.code, f.message): f for f in existing if f.checked == checked}
    wanted = {(f.code, f.message) for f in findings}
    for flag in existing:
        if (flag.code, flag.message) not in wanted or flag.checked != checked:
            session.delete(flag)
    for finding in findings:
        if (finding.code, finding.message) not in kept:
            session.add(
                Flag(
                    translation_id=translation.id,
                    code=finding.code,
                    severity=finding.severity,
                    message=finding.message,
                    checked=checked,
                )
            )


def refresh_story_flags(
    session: Session,
    story_id: int,
    terms: Sequence[Term] | None = None,
    paragraph_ids: Sequence[int | None] | None = None,
) -> int:
    """Recompute the flags of a story's translations (after its English changed): of every
    paragraph, or of `paragraph_ids` only; returns how many translations were checked."""
    terms = glossary(session) if terms is None else terms
    # Removed paragraphs too: their flags are cleared.
    query = with_paragraphs(select(Translation, SourceParagraph), removed_too=True).where(
        Translation.story_id == story_id
    )
    if paragraph_ids is not None:
        if not paragraph_ids:
            return 0
        query = query.where(col(Translation.paragraph_id).in_(paragraph_ids))
    rows = session.exec(query).all()
    open_stale = open_stale_periods(session, story_id)
    stored: dict[int, list[Flag]] = {}
    for flag in session.exec(
        select(Flag)
        .join(Translation, col(Translation.id) == col(Flag.translation_id))
        .where(Translation.story_id == story_id)
    ):
        stored.setdefault(flag.translation_id, []).append(flag)
    for translation, paragraph in rows:
        assert translation.id is not None
        existing = stored.get(translation.id, [])
        refresh_flags(session, translation, paragraph, terms, open_stale, existing)
    return len(rows)


def recheck_all(session: Session) -> int:
    """Check every stored translation again (after an upgrade, or new check rules); returns
    how many were checked. Story by story, one commit each."""
    terms = glossary(session)
    story_ids = session.exec(select(Translation.story_id).distinct()).all()
    count = 0
    for story_id in story_ids:
        count += refresh_story_flags(session, story_id, terms)
        session.commit()
    return count


def story_flags(
    session: Session, story_id: int, translation_ids: Sequence[int] | None = None
) -> dict[int, list[FlagView]]:
    """Every flag of the story's translations (or of the given ones), by translation id,
    errors first."""
    query = (
        select(Flag, Person.name)
        .join(Translation, col(Translation.id) == col(Flag.translation_id))
        .join(Person, col(Person.id) == col(Flag.overridden_by_id), isouter=True)
        .where(Translation.story_id == story_id)
        .order_by(col(Flag.severity), col(Flag.id))
    )
    if translation_ids is not None:
        query = query.where(col(Flag.translation_id).in_(translation_ids))
    found: dict[int, list[FlagView]] = {}
    for flag, who in session.exec(query):
        assert flag.id is not None
        found.setdefault(flag.translation_id, []).append(
            FlagView(
                flag.id,
                flag.code,
                flag.severity,
                flag.message,
                who,
                flag.override_reason,
                flag.overridden_at,
            )
        )
    return found


def open_errors(
    session: Session, story_id: int, lang: str, translation_ids: Sequence[int] | None = None
) -> list[tuple[int, str, str]]:
    """The errors nobody overrode on the version's current paragraphs, as (paragraph
    position, code, message), in paragraph order."""
    query = (
        of_version(
            select(SourceParagraph.position, Flag.code, Flag.message)
            .select_from(Translation)
            .join(Flag, col(Flag.translation_id) == col(Translation.id)),
            story_id,
            lang,
        )
        .where(Flag.severity == Severity.ERROR, col(Flag.override_reason).is_(None))
        .order_by(col(SourceParagraph.position), col(Flag.code))
    )
    if translation_ids is not None:
        query = query.where(col(Translation.id).in_(translation_ids))
    return [(position, code, message) for position, code, message in session.exec(query)]


def describe_errors(errors: list[tuple[int, str, str]]) -> str:
    """ "paragraph 4 (numbers), the headline (wrong-language)": for refusals."""
    return ", ".join(
        f"{'the headline' if position == 0 else f'paragraph {position}'} ({code})"
        for position, code, _ in errors
    )


def override_flag(session: Session, *, flag_id: int, person: Person, reason: str) -> Flag:
    """An editor decides a flag is wrong here, and says why; recorded in the audit log."""
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise NotFound("That flag is gone: the text or the English changed. Reload the page.")
    translation = session.get(Translation, flag.translation_id)
    assert translation is not None
    authorize(person, Action.OVERRIDE, translation.lang)
    reason = reason.strip()
    if not reason:
        raise InputError("Say why the flag does not apply: the next reader will want to know.")
    from workflow.writes import apply  # the write path checks texts with this module

    seen = flag.override_reason

    def write() -> Line:
        assert flag is not None
        flag.overridden_by_id, flag.override_reason = person.id, reason
        flag.overridden_at = utcnow()
        session.add(flag)
        return Line(comment=f"{flag.code}: {reason}")

    def stored() -> str | None:
        """The flag's override as stored now (another editor may have made one meanwhile)."""
        query = select(Flag.override_reason).where(Flag.id == flag_id).with_for_update()
        return session.exec(query).first()

    record = Record(
        RecordKind.FLAG, write, stored, story_id=translation.story_id,
        lang=translation.lang, translation_id=translation.id,
    )  # fmt: skip
    apply(session, Action.OVERRIDE, record, person=person, expect=seen)
    session.refresh(flag)
    return flag
