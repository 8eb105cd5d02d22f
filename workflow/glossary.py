"""The desk's glossary: an English term and how it must be rendered in Russian and Ukrainian.

The `glossary` check flags a paragraph whose English has a term but whose translation does not
use the given rendering. Changing the glossary rechecks the paragraphs that mention the term.
"""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from workflow.errors import InputError, NotFound
from workflow.flags import glossary, refresh_flags
from workflow.models import GlossaryTerm, Person, SourceParagraph, Translation
from workflow.states import Action, authorize

MAX_TERM = 200


def list_terms(session: Session) -> Sequence[GlossaryTerm]:
    return session.exec(select(GlossaryTerm).order_by(col(GlossaryTerm.english))).all()


def save_term(
    session: Session,
    *,
    person: Person,
    english: str,
    ru: str = "",
    uk: str = "",
    note: str = "",
    term_id: int | None = None,
) -> GlossaryTerm:
    """Add a term, or change one (`term_id`); the paragraphs it concerns are checked again."""
    authorize(person, Action.EDIT_GLOSSARY)
    english, ru, uk = english.strip(), ru.strip(), uk.strip()
    if not english or not (ru or uk):
        raise InputError("A term needs its English and at least one translation.")
    if max(len(english), len(ru), len(uk)) > MAX_TERM:
        raise InputError(f"A term may have at most {MAX_TERM} characters.")
    term = session.get(GlossaryTerm, term_id) if term_id else GlossaryTerm(english=english)
    if term is None:
        raise NotFound("That term is gone; reload the page.")
    clash = session.exec(select(GlossaryTerm).where(GlossaryTerm.english == english)).first()
    if clash is not None and clash.id != term.id:
        raise InputError(f"{english!r} is in the glossary already.")
    before = term.english
    term.english, term.ru, term.uk, term.note = english, ru, uk, note.strip()
    session.add(term)
    session.flush()
    _recheck(session, {before, english})
    session.commit()
    session.refresh(term)
    return term


def delete_term(session: Session, *, person: Person, term_id: int) -> None:
    authorize(person, Action.EDIT_GLOSSARY)
    term = session.get(GlossaryTerm, term_id)
    if term is None:
        raise NotFound("That term is gone; reload the page.")
    english = term.english
    session.delete(term)
    session.flush()
    _recheck(session, {english})
    session.commit()


def _recheck(session: Session, terms: set[str]) -> None:
    """Check again the translations whose English mentions any of the terms."""
    current = glossary(session)
    for term in terms:
        rows = session.exec(
            select(Translation, SourceParagraph)
            .join(SourceParagraph, col(SourceParagraph.id) == col(Translation.paragraph_id))
            .where(
                col(SourceParagraph.text).icontains(term, autoescape=True),
                Translation.text != "",
            )
        ).all()
        for translation, paragraph in rows:
            refresh_flags(session, translation, paragraph, current)
