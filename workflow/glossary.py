"""The desk's glossary: an English term and how it must be rendered in each target language
(a row per language: `GlossaryTranslation`).

The `glossary` check flags a paragraph whose English has a term but whose translation does not
use the given rendering. Changing the glossary rechecks the paragraphs that mention the term.
"""

from collections.abc import Mapping, Sequence
from functools import partial

from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.errors import InputError, NotFound
from workflow.flags import glossary, refresh_flags
from workflow.models import GlossaryTerm, GlossaryTranslation, Person, SourceParagraph, Translation
from workflow.queries import with_paragraphs
from workflow.records import Line, Record, RecordKind
from workflow.states import Action, authorize
from workflow.typed_text import refuse_control_characters
from workflow.vocabulary import Event
from workflow.writes import apply

MAX_TERM = 200


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
) -> GlossaryTerm:
    """Add a term, or change one (`term_id`), with its rendering by language code (an empty
    one: none in that language); the paragraphs it concerns are checked again."""
    authorize(person, Action.EDIT_GLOSSARY)
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

    def write() -> Line:
        assert term is not None
        _rewrite(term, english, note, rendered)
        session.add(term)
        session.flush()
        _recheck(session, {before, english})
        return Line(f"{was} -> {_in_words(term)}" if was else _in_words(term))

    action = Event.CHANGE_TERM if term_id else Event.ADD_TERM
    record = Record(RecordKind.GLOSSARY, write, partial(_stored_english, session, term_id))
    apply(session, action, record, person=person, expect=before if term_id else None)
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


def _stored_english(session: Session, term_id: int | None) -> str | None:
    """A term's English as stored now, locked until the write commits (None: no such term)."""
    if term_id is None:
        return None
    query = select(GlossaryTerm.english).where(GlossaryTerm.id == term_id).with_for_update()
    return session.exec(query).first()


def delete_term(session: Session, *, person: Person, term_id: int) -> None:
    authorize(person, Action.EDIT_GLOSSARY)
    term = session.get(GlossaryTerm, term_id)
    if term is None:
        raise NotFound("That term is gone; reload the page.")
    english, was = term.english, _in_words(term)

    def write() -> Line:
        session.delete(term)
        session.flush()
        _recheck(session, {english})
        return Line(was)

    record = Record(RecordKind.GLOSSARY, write, partial(_stored_english, session, term_id))
    apply(session, Event.REMOVE_TERM, record, person=person, expect=english)


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
