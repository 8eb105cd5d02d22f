"""The desk's glossary: an English term and how it must be rendered in each target language
(a row per language: `GlossaryTranslation`).

The `glossary` check flags a paragraph whose English has a term but whose translation does not
use the given rendering. Changing the glossary rechecks the paragraphs that mention the term.
"""

from collections.abc import Callable, Mapping, Sequence
from functools import partial

from sqlalchemy import or_
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.errors import InputError, NotFound
from workflow.flags import glossary, refresh_flags
from workflow.models import (
    Change,
    GlossaryTerm,
    GlossaryTranslation,
    Person,
    SourceParagraph,
    Translation,
)
from workflow.queries import with_paragraphs
from workflow.records import Line, Record, RecordKind, changed_meanwhile
from workflow.typed_text import refuse_control_characters
from workflow.vocabulary import Event
from workflow.writes import apply

MAX_TERM = 200
_TERM_WRITES = (Event.ADD_TERM, Event.CHANGE_TERM, Event.REMOVE_TERM)

# A term as a page drew it: its English, its renderings by language code, and its note. A write
# given one is refused when the stored term differs in any of them (someone changed it since).
TermSeen = tuple[str, dict[str, str], str]


def term_as_drawn(term: GlossaryTerm) -> TermSeen:
    """What a page shows of a term, to hand back as `seen` when the form is submitted."""
    return term.english, dict(sorted(term.translations.items())), term.note


def list_terms(session: Session) -> Sequence[GlossaryTerm]:
    return session.exec(select(GlossaryTerm).order_by(col(GlossaryTerm.english))).all()


def save_term(
    session: Session,
    *,
    person: Person,
    english: str,
    translations: Mapping[str, str],
    note: str = "",
    term_id: int | None = None,
    seen: TermSeen | None = None,
) -> GlossaryTerm:
    """Add a term, or change one (`term_id`), with its rendering by language code (an empty
    one: none in that language); the paragraphs it concerns are checked again.

    `seen` is the term as the person's page drew it (`term_as_drawn`): the change is refused,
    nothing written, when the stored term is not that any more. None (the command line):
    compared with the term as read here."""
    unknown = sorted(set(translations) - set(LANGUAGES))
    if unknown:
        raise InputError(f"Unknown language {', '.join(unknown)}: use {', '.join(LANGUAGES)}.")
    refuse_control_characters(english, "The English")
    for lang, text in translations.items():
        refuse_control_characters(text, f"The {LANGUAGES[lang]}")
    refuse_control_characters(note, "The note", multiline=True)
    english = english.strip()
    rendered = {lang: text.strip() for lang, text in translations.items() if text.strip()}
    if not english or not rendered:
        raise InputError("A term needs its English and at least one translation.")
    if max(len(english), *map(len, rendered.values())) > MAX_TERM:
        raise InputError(f"A term may have at most {MAX_TERM} characters.")
    term = session.get(GlossaryTerm, term_id) if term_id else GlossaryTerm(english=english)
    if term is None:
        raise NotFound("That term is gone; reload the page.")
    clash = session.exec(select(GlossaryTerm).where(GlossaryTerm.english == english)).first()
    if clash is not None and clash.id != term.id:
        raise InputError(f"{english!r} is in the glossary already.")
    before = term.english
    was = _in_words(term) if term_id else ""
    drawn = (seen or term_as_drawn(term)) if term_id else None

    def write() -> Line:
        assert term is not None
        _rewrite(term, english, note, rendered)
        session.add(term)
        session.flush()
        _recheck(session, {before, english})
        return Line(f"{was} -> {_in_words(term)}" if was else _in_words(term))

    action = Event.CHANGE_TERM if term_id else Event.ADD_TERM
    apply(
        session, action, _term_record(session, write, term_id, drawn), person=person, expect=drawn
    )
    session.refresh(term)
    return term


def _rewrite(term: GlossaryTerm, english: str, note: str, rendered: Mapping[str, str]) -> None:
    term.english, term.note = english, note.strip()
    # Rows of languages kept are changed in place; the others go (the relationship deletes
    # orphans), so the unique (term, language) key never sees a row twice.
    kept = [row for row in term.translation_rows if row.lang in rendered]
    for row in kept:
        row.text = rendered[row.lang]
    term.translation_rows = kept + [
        GlossaryTranslation(lang=lang, text=text)
        for lang, text in sorted(rendered.items())
        if lang not in {row.lang for row in kept}
    ]


def _term_record(
    session: Session, write: Callable[[], Line], term_id: int | None, drawn: TermSeen | None
) -> Record:
    """A term's write, compared with the term as stored now (None: no such term)."""

    def refusal() -> str:
        # The term's audit lines name its English, as the page drew it or as it is now.
        names = {drawn[0] if drawn else "", (_stored_term(session, term_id) or ("",))[0]}
        about = or_(*(col(Change.detail).contains(f"{name}: ") for name in names if name))
        return changed_meanwhile(session, "this term", _TERM_WRITES, about)

    return Record(
        RecordKind.GLOSSARY, write, partial(_stored_term, session, term_id), refusal=refusal
    )


def _stored_term(session: Session, term_id: int | None) -> TermSeen | None:
    """A term as stored now, its row locked until the write commits (None: no such term)."""
    if term_id is None:
        return None
    query = select(GlossaryTerm).where(GlossaryTerm.id == term_id).with_for_update()
    term = session.exec(query.execution_options(populate_existing=True)).first()
    if term is None:
        return None
    session.refresh(term, ["translation_rows"])
    return term_as_drawn(term)


def delete_term(
    session: Session, *, person: Person, term_id: int, seen: TermSeen | None = None
) -> None:
    """Remove a term; refused, nothing removed, when it is not what the page drew (`seen`)."""
    term = session.get(GlossaryTerm, term_id)
    if term is None:
        raise NotFound("That term is gone; reload the page.")
    english, was = term.english, _in_words(term)
    drawn = seen or term_as_drawn(term)

    def write() -> Line:
        session.delete(term)
        session.flush()
        _recheck(session, {english})
        return Line(was)

    record = _term_record(session, write, term_id, drawn)
    apply(session, Event.REMOVE_TERM, record, person=person, expect=drawn)


def _in_words(term: GlossaryTerm) -> str:
    """ "Kyiv: ru Киев, uk Київ": a term as the audit log shows it."""
    renderings = ", ".join(f"{lang} {text}" for lang, text in sorted(term.translations.items()))
    return f"{term.english}: {renderings}"


def _recheck(session: Session, terms: set[str]) -> None:
    """Check again the translations whose English mentions any of the terms."""
    current = glossary(session)
    for term in terms:
        rows = session.exec(
            with_paragraphs(select(Translation, SourceParagraph), removed_too=True).where(
                col(SourceParagraph.text).icontains(term, autoescape=True),
                Translation.text != "",
            )
        ).all()
        for translation, paragraph in rows:
            refresh_flags(session, translation, paragraph, current)
