"""A language version in and out of the desk as a file: a translator's text or Word file, and
XLIFF for CAT tools.

- `import_paragraphs`: a translation sent back as a text or Word file, aligned with the
  story's paragraphs by position; when the counts differ nothing is saved and the mismatch is
  shown for the person to resolve (never guessed).
- `export_xliff` / `import_xliff`: XLIFF 1.2 (`formats.XliffFormat`), one unit per paragraph
  with its state and notes (flags, the stale English). On import only units whose target
  changed are saved, as revisions by the importing person; a unit whose English no longer
  matches the story's (the story changed meanwhile) is refused and named.

The file is read, and the whole import refused, before anything is written
(`import_policy`); what each paragraph gets is decided then too, with the English it is a
translation of. Every save goes through the write path (`writes.apply`, with the edit
`translations.save_edit` makes), so permissions, conflicts, flags and history are the desk's
own; each batch reads the version's state again, so a version submitted for review during a
long import stops it (`PartialImport`). The translation memory's TMX is `memory`.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.desk import DeskRow, desk_rows
from workflow.drafts import add_suggestion
from workflow.edits import word_diff
from workflow.errors import EditConflict, InputError, LockstepError, NotFound
from workflow.formats import XliffDocument, XliffFormat, XliffUnit, exchange_kind
from workflow.formats.limits import check_story_size
from workflow.import_policy import Batches, take_write_lock
from workflow.languages import language_code
from workflow.models import LanguageVersion, Person, Revision, SourceParagraph, Story, Translation
from workflow.progress import version_progress
from workflow.queries import with_paragraphs
from workflow.segmentation import comparison_key, fingerprint, normalise
from workflow.states import Action, TranslationState, authorize
from workflow.translations import save_edit
from workflow.writes import Paragraph, apply, transaction

__all__ = [
    "ImportReport",
    "ParagraphCountMismatch",
    "PartialImport",
    "exchange_kind",
    "export_xliff",
    "import_paragraphs",
    "import_xliff",
    "xliff_target",
]

IMPORT_REASON = "import"
SAVES_LOCK_BUDGET_S = 0.8  # a batch of saves holds the lock 0.2-0.4 s: well under a second
ALL_OR_NOTHING_UP_TO = 40  # saves one transaction holds the lock for well under a second


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
    """Refuse before anything is saved, rather than after the first paragraph (each batch
    asks again, with the state as it is then)."""
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


@dataclass(frozen=True)
class _Planned:
    """One paragraph an import will save: decided before the import takes the write lock."""

    position: int
    translation_id: int
    text: str  # normalised
    base: int  # the counter the text is based on: a save over a later one is a conflict
    was_approved: bool
    english: str  # the English the file's text translates: stale if it is corrected meanwhile


def _plan(
    session: Session,
    report: ImportReport,
    planned: list[_Planned],
    row: DeskRow,
    text: str,
    exported: int | None = None,
) -> None:
    """Decide what one imported text does (nothing is written here). `exported` is the lock
    version of the paragraph the file was made from: when someone saved another text since, a
    file that did not change the paragraph leaves theirs alone, and one that did is refused as a
    conflict when written (its text kept in the paragraph's history), never written over
    theirs."""
    current = row.translations[report.lang]
    text = normalise(text)
    base = current.lock_version
    if text == current.text:  # the same file again: its earlier saves are no conflict
        report.unchanged += 1
        return
    if exported is not None and exported != current.lock_version:
        if text == _text_at(session, current.id, exported):
            report.unchanged += 1
            return
        base = exported
    was_approved = current.state is TranslationState.APPROVED
    planned.append(_Planned(row.position, current.id, text, base, was_approved, row.english))


class PartialImport(LockstepError):
    """A long import stopped part way: the batches before the failure are saved, the rest
    not; importing the same file again saves the rest (what was saved counts as unchanged)."""

    def __init__(self, report: ImportReport, planned: int, reason: str) -> None:
        self.report, self.planned, self.reason = report, planned, reason
        super().__init__(
            f"{len(report.saved)} of {_count(planned, 'paragraph')} saved; the rest were not: "
            f"{reason}. Import the same file again to save the rest."
        )


def _write_batch(
    session: Session, report: ImportReport, batch: Sequence[_Planned], person: Person
) -> None:
    found = session.exec(
        with_paragraphs(select(Translation, SourceParagraph)).where(
            col(Translation.id).in_([p.translation_id for p in batch])
        )
    ).all()
    if not found:  # nothing to save, or the English changed under the whole batch
        report.conflicts.extend(p.position for p in batch)
        return
    rows = {t.id: (t, english) for t, english in found}
    t = found[0][0]
    version = session.exec(
        select(LanguageVersion).where(
            LanguageVersion.story_id == t.story_id, LanguageVersion.lang == t.lang
        )
    ).one()
    state = version_progress(session, t.story_id, t.lang).state
    authorize(person, Action.SAVE, t.lang, state)  # submitted meanwhile: stop here
    for p in batch:
        if p.translation_id not in rows:  # its English was removed meanwhile
            report.conflicts.append(p.position)
            continue
        t, english = rows[p.translation_id]
        target = Paragraph(t, english, version, state)
        edit = save_edit(target, p.text, person, IMPORT_REASON)
        # The text translates the English it was planned against: an English correction
        # committed since leaves it stale, flagged at the desk, not passed as current.
        edit.values["source_text"] = p.english
        edit.values["source_fingerprint"] = fingerprint(p.english)
        try:
            apply(session, Action.SAVE, target, person=person, expect=p.base, edit=edit)
        except EditConflict:
            report.conflicts.append(p.position)
            continue
        report.saved.append(p.position)
        if p.was_approved:
            report.were_approved.append(p.position)


def _write(session: Session, report: ImportReport, planned: list[_Planned], person: Person) -> None:
    """Save what was planned through the write path, in batches (`import_policy.Batches`):
    each batch is one transaction holding the write lock for a fraction of a second, so the
    desk's saves go on during a large import. Each batch reads the version's state in its own
    transaction, and each text vouches for the English it was planned against. A failure
    after some batches were saved raises `PartialImport`."""

    def write(session: Session, batch: Sequence[_Planned], _known: None) -> None:
        take_write_lock(session)
        with transaction(session):
            _write_batch(session, report, batch, person)
        written.append((len(report.saved), len(report.conflicts), len(report.were_approved)))

    written = [(len(report.saved), len(report.conflicts), len(report.were_approved))]

    # A save costs milliseconds (checks, revision, audit line), far more than a memory unit:
    # a short file is one transaction; a long one starts with one save (the first also loads
    # the checks) and lets the batches grow to the budget.
    first = len(planned) if len(planned) <= ALL_OR_NOTHING_UP_TO else 1
    batches = Batches(size=max(first, 1), budget_s=SAVES_LOCK_BUDGET_S)
    try:
        batches.run(session, planned, prepare=lambda _session, _batch: None, write=write)
    except (LockstepError, OperationalError) as failure:
        session.rollback()  # only the failed batch's transaction is open: the rest committed
        if batches.batches == 0:
            raise  # nothing was saved: the plain refusal says it all
        saved, conflicts, were_approved = written[batches.batches]
        del report.saved[saved:], report.conflicts[conflicts:]
        del report.were_approved[were_approved:]
        reason = str(failure) if isinstance(failure, LockstepError) else "the database was busy"
        reason = reason.rstrip(".")
        raise PartialImport(report, len(planned), reason) from failure


def _text_at(session: Session, translation_id: int, lock_version: int) -> str | None:
    """A translation's text as it was at `lock_version` (0: before anything was written)."""
    if lock_version == 0:
        return ""
    return session.exec(
        select(Revision.text)
        .where(Revision.translation_id == translation_id, Revision.lock_version == lock_version)
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
    imported = check_story_size([p for p in (normalise(p) for p in paragraphs) if p], "translation")
    if len(imported) != len(rows):
        raise ParagraphCountMismatch([row.english for row in rows], imported)
    report, planned = ImportReport(lang), list[_Planned]()
    for row, text in zip(rows, imported, strict=True):
        _plan(session, report, planned, row, text)
    _write(session, report, planned, person)
    return report


# -- XLIFF 1.2 ------------------------------------------------------------------------------

ORIGINAL = "lockstep-story-{}"
UNIT_ID = re.compile(r"^p(\d+)(?:-v(\d+))?$")  # paragraph id, and the version exported

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


def _unit(row: DeskRow, lang: str) -> XliffUnit:
    t = row.translations[lang]
    notes = []
    if row.is_headline:
        notes.append(("lockstep", "The headline."))
    if t.stale and t.made_from is not None:
        notes.append(("lockstep-stale", _diff_note(t.made_from, row.english)))
    for flag in t.flags:
        status = "" if flag.open else f" (overridden: {flag.override_reason})"
        notes.append(("lockstep-check", f"{flag.severity.value}: {flag.message}{status}"))
    if t.thread is not None:
        remark = t.thread.comment
        notes.append(("lockstep-review", f"{remark.author or 'Reviewer'}: {remark.text}"))
    return XliffUnit(
        unit_id=f"p{row.paragraph_id}-v{t.lock_version}",
        source=row.english,
        target=t.text,
        state="needs-review-translation" if t.stale else XLIFF_STATES[t.state],
        approved=t.state is TranslationState.APPROVED and not t.stale,
        notes=tuple(notes),
    )


def export_xliff(session: Session, story_id: int, lang: str) -> bytes:
    """The language version as XLIFF 1.2: one unit per paragraph, id p<paragraph id>."""
    rows = _story_rows(session, story_id, lang)
    return XliffFormat.write(
        XliffDocument(
            original=ORIGINAL.format(story_id),
            target_language=lang,
            units=tuple(_unit(row, lang) for row in rows),
        )
    )


def xliff_target(data: bytes) -> tuple[int, str]:
    """The story id and language an XLIFF file exported by Lockstep is for."""
    return _target_of(XliffFormat.read(data))


def _target_of(document: XliffDocument) -> tuple[int, str]:
    found = re.fullmatch(ORIGINAL.format(r"(\d+)"), document.original)
    if found is None:
        raise InputError(
            "This XLIFF was not exported by Lockstep (its <file original> names no story): "
            "export the language version from the desk and translate that file."
        )
    try:
        lang = language_code(document.target_language)  # `ua` too, as the newsroom writes it
    except InputError:
        raise InputError(
            f"The XLIFF's target language is {document.target_language.strip() or 'missing'}; "
            f"Lockstep translates into {', '.join(LANGUAGES)}."
        ) from None
    return int(found.group(1)), lang


def import_xliff(session: Session, data: bytes, *, person: Person) -> tuple[int, ImportReport]:
    """Save the units whose target changed; refuse those whose English no longer matches.
    Returns the story id and what was done."""
    document = XliffFormat.read(data)
    story_id, lang = _target_of(document)
    rows = {row.paragraph_id: row for row in _story_rows(session, story_id, lang)}
    _may_save(session, person, story_id, lang)
    report, planned = ImportReport(lang), list[_Planned]()
    for unit in document.units:
        _import_unit(session, report, planned, rows, unit)
    _write(session, report, planned, person)
    return story_id, report


def _import_unit(
    session: Session,
    report: ImportReport,
    planned: list[_Planned],
    rows: dict[int, DeskRow],
    unit: XliffUnit,
) -> None:
    match = UNIT_ID.match(unit.unit_id)
    row = rows.get(int(match.group(1))) if match else None
    exported = int(match.group(2)) if match and match.group(2) else None
    english = normalise(unit.source)
    target = normalise(unit.target)
    if row is None:
        report.refused.append(
            f"unit {unit.unit_id} (“{_preview(english)}”) is no longer in the story"
        )
        return
    if english != row.english:
        report.refused.append(
            f"paragraph {row.position} (“{_preview(english)}”): its English changed since "
            "the file was exported"
            + ("; its text is offered beside the paragraph" if target else "")
        )
        if target:  # what the translator wrote is kept, as a suggestion to reuse
            score = int(fuzz.ratio(comparison_key(english), comparison_key(row.english)))
            translation_id = row.translations[report.lang].id
            add_suggestion(session, translation_id, target, "import", score, english)
        return
    if not target or target == english:
        # Empty, or the English copied into the target: the other tool's placeholder for
        # a unit nobody translated, which says nothing about the paragraph.
        report.unchanged += 1
        return
    _plan(session, report, planned, row, target, exported)
