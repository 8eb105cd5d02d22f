"""Translations in and out of the desk: a translator's file, XLIFF for CAT tools, TMX memory.

- `import_paragraphs`: a translation sent back as a text or Word file, aligned with the
  story's paragraphs by position; when the counts differ nothing is saved and the mismatch is
  shown for the person to resolve (never guessed).
- `export_xliff` / `import_xliff`: XLIFF 1.2 written and read by translate-toolkit, one unit
  per paragraph with its state and notes (flags, the stale English). On import only units whose
  target changed are saved, as revisions by the importing person; a unit whose English no
  longer matches the story's (the story changed meanwhile) is refused and named.
- `export_tmx` / `import_tmx`: approved pairs as TMX 1.4 for the newsroom's translation
  memory; a TMX brought in feeds the drafts (`drafts.exact_memory`, `drafts.similar_memory`).

Every save goes through `translations.save_translation`, so permissions, conflicts, flags
and history are the desk's own.
"""

import re
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any

from lxml import etree
from rapidfuzz import fuzz
from sqlmodel import Session, col, func, select
from translate.storage import tmx, xliff

from workflow import LANGUAGES
from workflow.desk import DeskRow, desk_rows
from workflow.drafts import add_suggestion
from workflow.edits import word_diff
from workflow.errors import EditConflict, InputError, NotFound
from workflow.history import Event, record_change
from workflow.models import (
    MemoryUnit,
    Person,
    Revision,
    SourceParagraph,
    Story,
    Translation,
    insert_for,
    utcnow,
)
from workflow.progress import version_progress
from workflow.segmentation import comparison_key, fingerprint, normalise
from workflow.states import Action, TranslationState, authorize
from workflow.translations import save_translation

IMPORT_REASON = "import"
MAX_EXCHANGE_BYTES = 50 * 1024 * 1024  # a newsroom's whole memory fits


def exchange_kind(head: bytes, filename: str | None = None) -> str | None:
    """ "xliff" or "tmx" when a file is one (by its first bytes or its name), else None."""
    name = (filename or "").lower()
    start = head[:4096].lower()
    if name.endswith((".xlf", ".xliff")) or b"<xliff" in start:
        return "xliff"
    if name.endswith(".tmx") or b"<tmx" in start:
        return "tmx"
    return None


def _check_xml(data: bytes, what: str) -> None:
    """Refuse before parsing what no CAT tool writes: entity declarations (the road to
    billion-laughs and external-entity attacks), and files beyond any real memory's size."""
    if len(data) > MAX_EXCHANGE_BYTES:
        raise InputError(f"The {what} file is {len(data) / 1_048_576:.0f} MB; the limit is 50 MB.")
    if not data.strip():
        raise InputError(f"The {what} file is empty.")
    if b"<!ENTITY" in data[:65536].upper():
        raise InputError(f"The {what} file declares XML entities, which Lockstep does not read.")


def _preview(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _story_rows(session: Session, story_id: int, lang: str) -> list[DeskRow]:
    if session.get(Story, story_id) is None:
        raise NotFound(f"Story {story_id} does not exist.")
    if lang not in LANGUAGES:
        raise InputError(f"Lockstep translates into {', '.join(LANGUAGES)}, not {lang!r}.")
    return desk_rows(session, story_id)


def _may_save(session: Session, person: Person, story_id: int, lang: str) -> None:
    """Refuse before anything is saved, rather than after the first paragraph."""
    authorize(person, Action.SAVE, lang, version_progress(session, story_id, lang).state)


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _positions(positions: list[int]) -> str:
    return ", ".join("the headline" if p == 0 else str(p) for p in positions)


@dataclass
class ImportReport:
    """What an import did: paragraphs saved, left as they were, refused, or held by a conflict."""

    lang: str
    saved: list[int] = field(default_factory=list)  # positions, 0 is the headline
    unchanged: int = 0
    refused: list[str] = field(default_factory=list)  # why, one line per unit
    conflicts: list[int] = field(default_factory=list)  # positions someone saved meanwhile
    were_approved: list[int] = field(default_factory=list)  # saved over an approved text

    def summary(self) -> str:
        text = f"{_count(len(self.saved), 'paragraph')} saved, {self.unchanged} unchanged"
        if self.were_approved:
            text += (
                f"; {_count(len(self.were_approved), 'paragraph')} that had been approved "
                f"({_positions(self.were_approved)}) need approving again"
            )
        if self.conflicts:
            text += (
                f"; not saved because someone saved them after the file was made: "
                f"{_positions(self.conflicts)} (the file's text is kept in their history)"
            )
        if self.refused:
            text += f"; {len(self.refused)} refused: " + "; ".join(self.refused)
        return text + "."


def _save(
    session: Session,
    report: ImportReport,
    row: DeskRow,
    text: str,
    person: Person,
    exported: int | None = None,
) -> None:
    """Save one imported text. `exported` is the version of the paragraph the file was made
    from: when someone saved another text since, a file that did not change the paragraph
    leaves theirs alone, and one that did is refused as a conflict (its text kept in the
    paragraph's history), never written over theirs."""
    current = row.translations[report.lang]
    text = normalise(text)
    base = current.version
    if exported is not None and exported != current.version:
        if text == _text_at(session, current.id, exported):
            report.unchanged += 1
            return
        base = exported
    elif text == current.text:
        report.unchanged += 1
        return
    try:
        save_translation(
            session, translation_id=current.id, text=text, person=person,
            base_version=base, reason=IMPORT_REASON,
        )  # fmt: skip
    except EditConflict:
        report.conflicts.append(row.position)
        return
    report.saved.append(row.position)
    if current.state is TranslationState.APPROVED:
        report.were_approved.append(row.position)


def _text_at(session: Session, translation_id: int, version: int) -> str | None:
    """A translation's text as it was at `version` (0: before anything was written)."""
    if version == 0:
        return ""
    return session.exec(
        select(Revision.text)
        .where(Revision.translation_id == translation_id, Revision.version == version)
        .order_by(col(Revision.id).desc())
    ).first()


# -- a translation sent back as a file ------------------------------------------------------


class ParagraphCountMismatch(InputError):
    """The file and the story have different numbers of paragraphs: nothing was saved."""

    def __init__(self, english: list[str], imported: list[str]) -> None:
        self.english, self.imported = english, imported
        super().__init__(
            f"The file has {len(imported)} paragraphs and the story has {len(english)} "
            "(headline included): nothing was saved. Compare them side by side, join or "
            "split paragraphs in the file so that each matches its English, and import again."
        )


def import_paragraphs(
    session: Session, *, story_id: int, lang: str, paragraphs: list[str], person: Person
) -> ImportReport:
    """Save a translation's paragraphs, by position, as revisions by `person`."""
    rows = _story_rows(session, story_id, lang)
    _may_save(session, person, story_id, lang)
    imported = [p for p in (normalise(p) for p in paragraphs) if p]
    if len(imported) != len(rows):
        raise ParagraphCountMismatch([row.english for row in rows], imported)
    report = ImportReport(lang)
    for row, text in zip(rows, imported, strict=True):
        _save(session, report, row, text, person)
    return report


# -- XLIFF 1.2 ------------------------------------------------------------------------------

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
ORIGINAL = "lockstep-story-{}"
UNIT_ID = re.compile(r"^p(\d+)(?:-v(\d+))?$")  # paragraph id, and the version exported


class _Xliff12Unit(xliff.xliffunit):
    namespace = XLIFF_NS


class _Xliff12File(xliff.xlifffile):
    """translate-toolkit's XLIFF, written as version 1.2 (it writes 1.1 by default)."""

    UnitClass = _Xliff12Unit
    namespace = XLIFF_NS
    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version='1.2' xmlns='{XLIFF_NS}'>
<file original='NoName' source-language='en' datatype='plaintext'>
<body>
</body>
</file>
</xliff>"""


# Paragraph states as XLIFF 1.2 target states.
XLIFF_STATES = {
    TranslationState.EMPTY: "needs-translation",
    TranslationState.MACHINE_DRAFT: "needs-review-translation",
    TranslationState.NEEDS_EDITING: "needs-review-translation",
    TranslationState.TRANSLATED: "translated",
    TranslationState.APPROVED: "signed-off",
}


def _diff_note(old: str, new: str) -> str:
    changes = []
    for part in word_diff(old, new):
        if part.kind == "delete":
            changes.append(f"removed “{part.text}”")
        elif part.kind == "insert":
            changes.append(f"added “{part.text}”")
    return (
        "The English changed after this was translated"
        + (": " + "; ".join(changes) if changes else "")
        + f". It was translated from: {old}"
    )


def export_xliff(session: Session, story_id: int, lang: str) -> bytes:
    """The language version as XLIFF 1.2: one unit per paragraph, id p<paragraph id>."""
    rows = _story_rows(session, story_id, lang)
    document = _Xliff12File(sourcelanguage="en", targetlanguage=lang)
    original = ORIGINAL.format(story_id)
    document.setfilename(document.getfilenode("NoName"), original)
    for row in rows:
        t = row.translations[lang]
        unit = document.addsourceunit(row.english, filename=original)
        unit.setid(f"p{row.paragraph_id}-v{t.version}")
        unit.target = t.text
        unit.set_state_n(xliff.xliffunit.statemap[XLIFF_STATES[t.state]])
        unit.markapproved(t.state is TranslationState.APPROVED and not t.stale)
        if t.stale:
            unit.set_state_n(xliff.xliffunit.statemap["needs-review-translation"])
        if row.is_headline:
            unit.addnote("The headline.", origin="lockstep")
        if t.stale and t.made_from is not None:
            unit.addnote(_diff_note(t.made_from, row.english), origin="lockstep-stale")
        for flag in t.flags:
            status = "" if flag.open else f" (overridden: {flag.override_reason})"
            unit.addnote(f"{flag.severity.value}: {flag.message}{status}", origin="lockstep-check")
        if t.thread is not None:
            remark = t.thread.comment
            unit.addnote(f"{remark.author or 'Reviewer'}: {remark.text}", origin="lockstep-review")
    return bytes(document)


def _read_xml(data: bytes, store: Any, root: str, what: str, described: str) -> Any:
    """A translate-toolkit store parsed from an upload; refused in words unless it is well
    formed and its root element is `root` (`what` and `described` name the kind)."""
    _check_xml(data, what)
    not_it = InputError(f"This XML file is not {described}.")
    try:
        document = store.parsestring(data)
    except AssertionError:  # translate-toolkit's check of the root element
        raise not_it from None
    except (etree.XMLSyntaxError, ValueError, AttributeError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "not XML"
        raise InputError(f"This is not a readable {what} file ({reason}).") from None
    if etree.QName(document.document.getroot()).localname != root:
        raise not_it
    return document


def _read_xliff(data: bytes) -> xliff.xlifffile:
    return _read_xml(data, xliff.xlifffile, "xliff", "XLIFF", "XLIFF")


def xliff_target(data: bytes) -> tuple[int, str]:
    """The story id and language an XLIFF file exported by Lockstep is for."""
    return _target_of(_read_xliff(data))


def _target_of(document: xliff.xlifffile) -> tuple[int, str]:
    found = [
        int(m.group(1))
        for name in document.getfilenames()
        if (m := re.fullmatch(ORIGINAL.format(r"(\d+)"), name or ""))
    ]
    if len(found) != 1:
        raise InputError(
            "This XLIFF was not exported by Lockstep (its <file original> names no story): "
            "export the language version from the desk and translate that file."
        )
    lang = (document.gettargetlanguage() or "").split("-")[0].split("_")[0].lower()
    if lang not in LANGUAGES:
        raise InputError(
            f"The XLIFF's target language is {lang or 'missing'}; Lockstep translates into "
            f"{', '.join(LANGUAGES)}."
        )
    return found[0], lang


def import_xliff(session: Session, data: bytes, *, person: Person) -> tuple[int, ImportReport]:
    """Save the units whose target changed; refuse those whose English no longer matches.
    Returns the story id and what was done."""
    document = _read_xliff(data)
    story_id, lang = _target_of(document)
    rows = {row.paragraph_id: row for row in _story_rows(session, story_id, lang)}
    _may_save(session, person, story_id, lang)
    report = ImportReport(lang)
    for unit in document.unit_iter():
        unit_id = unit.xmlelement.get("id") or ""
        match = UNIT_ID.match(unit_id)
        row = rows.get(int(match.group(1))) if match else None
        exported = int(match.group(2)) if match and match.group(2) else None
        english = normalise(str(unit.source or ""))
        target = normalise(str(unit.target or ""))
        if row is None:
            report.refused.append(
                f"unit {unit_id} (“{_preview(english)}”) is no longer in the story"
            )
            continue
        if english != row.english:
            report.refused.append(
                f"paragraph {row.position} (“{_preview(english)}”): its English changed since "
                "the file was exported"
                + ("; its text is offered beside the paragraph" if target else "")
            )
            if target:  # what the translator wrote is kept, as a suggestion to reuse
                score = int(fuzz.ratio(comparison_key(english), comparison_key(row.english)))
                add_suggestion(session, row.translations[lang].id, target, "import", score, english)
            continue
        if not target or target == english:
            # Empty, or the English copied into the target: the other tool's placeholder for
            # a unit nobody translated, which says nothing about the paragraph.
            report.unchanged += 1
            continue
        _save(session, report, row, target, person, exported)
    return story_id, report


# -- TMX 1.4 --------------------------------------------------------------------------------


def approved_pairs(
    session: Session, story_id: int | None = None, lang: str | None = None
) -> list[tuple[str, str, str]]:
    """(English, language, translation) of every approved translation still in step with its
    English, once each."""
    query = (
        select(SourceParagraph.text, Translation.lang, Translation.text)
        .join(SourceParagraph, col(SourceParagraph.id) == col(Translation.paragraph_id))
        .where(
            Translation.state == TranslationState.APPROVED,
            col(Translation.source_fingerprint) == col(SourceParagraph.fingerprint),
            col(SourceParagraph.removed).is_(False),
        )
        .distinct()
        .order_by(col(Translation.lang), col(SourceParagraph.text))
    )
    if story_id is not None:
        query = query.where(Translation.story_id == story_id)
    if lang is not None:
        query = query.where(Translation.lang == lang)
    return list(session.exec(query))


def export_tmx(session: Session, story_id: int | None = None, lang: str | None = None) -> bytes:
    """Approved pairs of one story or all, as TMX 1.4."""
    if story_id is not None and session.get(Story, story_id) is None:
        raise NotFound(f"Story {story_id} does not exist.")
    memory = tmx.tmxfile(sourcelanguage="en")
    for english, language, text in approved_pairs(session, story_id, lang):
        memory.addtranslation(english, "en", text, language)
    for header in memory.document.getroot().iter("header"):
        header.set("segtype", "paragraph")  # each unit is a whole paragraph
        header.set("creationtool", "Lockstep")
    return bytes(memory)


@dataclass
class MemoryReport:
    added: int = 0
    known: int = 0  # pairs the memory already held
    skipped: int = 0  # units without English, or in no language Lockstep translates into

    def summary(self) -> str:
        return (
            f"{_count(self.added, 'translation')} added to the memory, {self.known} already "
            "in it or approved at this desk, "
            f"{self.skipped} skipped (no English, or not Russian or Ukrainian)."
        )


def memory_counts(session: Session) -> dict[str, int]:
    """How many translations the memory brought in from TMX holds, per language."""
    query = select(MemoryUnit.lang, func.count()).group_by(col(MemoryUnit.lang))
    found = dict(session.exec(query).all())
    return {lang: int(found.get(lang, 0)) for lang in LANGUAGES}


LANGUAGE_CODES = {"ua": "uk", "ukr": "uk", "rus": "ru", "eng": "en"}  # as older memories write
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_INLINE_CODES = {"bpt", "ept", "it", "ph", "ut"}  # formatting codes, not text


def _language(code: str | None) -> str:
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return LANGUAGE_CODES.get(base, base)


def _segment_text(tuv: "etree._Element") -> str:
    """The text of a TMX variant's segment, without its inline formatting codes."""
    parts: list[str] = []

    def walk(node: "etree._Element") -> None:
        parts.append(node.text or "")
        for child in node:
            if etree.QName(child).localname not in TMX_INLINE_CODES:
                walk(child)
            parts.append(child.tail or "")

    for seg in tuv:
        if etree.QName(seg).localname == "seg":
            walk(seg)
    return normalise("".join(parts))


def _approved_here(session: Session, lang: str, english: str, text: str) -> bool:
    return (
        session.exec(
            select(Translation.id)
            .join(SourceParagraph, col(SourceParagraph.id) == col(Translation.paragraph_id))
            .where(
                SourceParagraph.fingerprint == fingerprint(english),
                Translation.lang == lang,
                Translation.text == text,
                Translation.state == TranslationState.APPROVED,
            )
        ).first()
        is not None
    )


def import_tmx(
    session: Session, data: bytes, *, origin: str, person: Person | None
) -> MemoryReport:
    """Bring a TMX into the memory drafts use. `person` None is the command line's operator.
    TMX 1.4 (`xml:lang`) and older (`lang`) variants are read; formatting codes are left out."""
    if person is not None:
        authorize(person, Action.IMPORT_MEMORY)
    memory = _read_xml(data, tmx.tmxfile, "tmx", "TMX", "a TMX translation memory")
    insert = insert_for(session)
    report = MemoryReport()
    for unit in memory.unit_iter():
        texts: dict[str, str] = {}
        for tuv in unit.xmlelement.iter("{*}tuv", "tuv"):
            code = _language(tuv.get(XML_LANG) or tuv.get("lang"))
            text = _segment_text(tuv)
            if code and text:
                texts.setdefault(code, text)
        english = texts.pop("en", "")
        pairs = [(lang, text) for lang, text in texts.items() if lang in LANGUAGES]
        if not english or not pairs:
            report.skipped += 1
            continue
        for lang, text in pairs:
            if _approved_here(session, lang, english, text):
                report.known += 1  # the desk's own approved translation: drafts use it already
                continue
            added = session.exec(
                insert(MemoryUnit)  # type: ignore[call-overload]
                .values(
                    lang=lang,
                    source_text=english,
                    source_fingerprint=fingerprint(english),
                    target=text,
                    target_fingerprint=sha256(text.encode()).hexdigest(),
                    origin=f"tmx:{origin}"[:200],
                    created_at=utcnow(),
                )
                .on_conflict_do_nothing()  # known already, or brought in a moment ago
                .returning(col(MemoryUnit.id))
            ).first()
            if added is not None:
                report.added += 1
            else:
                report.known += 1
    record_change(
        session, action=Event.IMPORT_MEMORY, person=person, detail=f"{origin}: {report.summary()}"
    )
    session.commit()
    return report
