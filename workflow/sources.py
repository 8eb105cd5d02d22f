"""The English source of a story: editing it, keeping every version, and carrying translations.

When the English changes, the realigner maps old paragraphs to new ones and each paragraph keeps
its identity (its row, and so its translations) wherever it went:

- unchanged and moved paragraphs keep their translations untouched, with their state;
- after a minor edit, translations are carried and marked "check" (they stay publishable);
- after a real change, translations keep their text as a starting point and become stale: the
  English they were made from no longer matches (staleness is derived from fingerprints, so
  reverting the English clears it by itself);
- which new paragraph carries an old one's row on is the realigner's word (`Alignment.heirs`):
  its exact copy wherever it went, else the most similar paragraph that came from it;
- the other parts of a split paragraph and a merged paragraph start from the old
  translation(s), stale where the English changed;
- a further exact copy of a paragraph (pasted twice) starts from its translation as it was,
  state and approval included: the English is the same word for word. Its history says
  "copy", and the audit log who approved the original;
- new paragraphs start empty; removed ones leave the desk but stay in history.
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlmodel import Session, col, func, select, update

from workflow import LANGUAGES
from workflow.errors import InputError, NotFound, SourceConflict
from workflow.flags import refresh_story_flags
from workflow.history import record_change, record_revision
from workflow.models import (
    Change,
    Person,
    SourceParagraph,
    SourceVersion,
    Story,
    Translation,
    utcnow,
)
from workflow.progress import progress
from workflow.queries import current_paragraphs as current_paragraphs
from workflow.realign import Alignment, Mapping, Status, realign
from workflow.segmentation import fingerprint, normalise
from workflow.states import Action, TranslationState, VersionState, authorize


@dataclass
class SourceUpdate:
    """What an edit of the English did, in words a desk understands."""

    story_id: int
    version: int
    counts: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    stale: dict[str, int] = field(default_factory=dict)
    outdated: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return self.version > 0

    def summary(self) -> str:
        if not self.changed_anything:
            return "The English is unchanged: nothing was updated."
        parts = [f"{n} {status}" for status, n in self.counts.items() if n]
        if self.removed:
            parts.append(f"{self.removed} removed")
        text = f"English version {self.version}: " + ", ".join(parts) + "."
        stale = [f"{n} in {LANGUAGES[lang]}" for lang, n in self.stale.items() if n]
        if stale:
            text += " Stale translations: " + ", ".join(stale) + "."
        if self.outdated:
            names = " and ".join(LANGUAGES[lang] for lang in self.outdated)
            text += f" The approved {names} version is now outdated."
        return text


def english_paragraphs(session: Session, story_id: int, version: int) -> list[str]:
    """The story's English as it stood in `version` (the current paragraphs when it is the
    latest, else as that version was recorded)."""
    if version == latest_version(session, story_id):
        return [p.text for p in current_paragraphs(session, story_id)]
    recorded = session.exec(
        select(SourceVersion.text).where(
            SourceVersion.story_id == story_id, SourceVersion.number == version
        )
    ).first()
    return recorded.split("\n\n") if recorded else []


def record_source_version(
    session: Session, story_id: int, paragraphs: list[str], person: Person | None, summary: str
) -> SourceVersion:
    number = session.exec(
        select(func.coalesce(func.max(SourceVersion.number), 0)).where(
            SourceVersion.story_id == story_id
        )
    ).one()
    version = SourceVersion(
        story_id=story_id,
        number=number + 1,
        text="\n\n".join(paragraphs),
        summary=summary,
        author_id=person.id if person else None,
    )
    session.add(version)
    return version


def source_versions(session: Session, story_id: int) -> list[tuple[SourceVersion, str | None]]:
    """Every version of the story's English, newest first, with who made it."""
    return list(
        session.exec(
            select(SourceVersion, Person.name)
            .join(Person, col(Person.id) == col(SourceVersion.author_id), isouter=True)
            .where(SourceVersion.story_id == story_id)
            .order_by(col(SourceVersion.number).desc())
        )
    )


def latest_version(session: Session, story_id: int) -> int:
    """The number of the story's current English version."""
    return session.exec(
        select(func.coalesce(func.max(SourceVersion.number), 0)).where(
            SourceVersion.story_id == story_id
        )
    ).one()


def update_source(
    session: Session,
    *,
    story_id: int,
    paragraphs: list[str],
    person: Person | None,
    based_on: int | None = None,
) -> SourceUpdate:
    """Replace the story's English with `paragraphs` (headline first) and carry translations.

    `based_on` is the English version the editor started from: if someone saved another
    version meanwhile, the edit is refused (`SourceConflict`, carrying their English and
    yours), never applied over theirs. `person` None is the command line, run by an operator
    of the server.
    """
    if person is not None:
        authorize(person, Action.EDIT_SOURCE)
    new_texts = [normalise(p) for p in paragraphs if normalise(p)]
    if not new_texts:
        raise InputError("The English cannot be empty: a story needs at least a headline.")
    _lock_story(session, story_id)
    story = session.get(Story, story_id, populate_existing=True)
    assert story is not None  # _lock_story found it
    if based_on is not None and latest_version(session, story_id) != based_on:
        raise _conflict(session, story_id, based_on, paragraphs)
    rows = current_paragraphs(session, story_id)
    if [row.text for row in rows] == new_texts:
        return SourceUpdate(story_id, 0)
    before = progress(session, [story_id])

    alignment = realign([row.text for row in rows], new_texts)
    english_before = {row.id: row.text for row in rows}
    _apply(session, story_id, rows, new_texts, alignment, person)
    story.headline, story.updated_at = new_texts[0], utcnow()
    story.english_changed_at = story.updated_at
    session.add(story)
    session.flush()

    after = progress(session, [story_id])
    update = SourceUpdate(
        story_id,
        version=0,
        counts={s.value: 0 for s in Status},
        removed=len(alignment.removed),
        stale={lang: after[(story_id, lang)].stale for lang in LANGUAGES},
        outdated=[
            lang
            for lang in LANGUAGES
            if after[(story_id, lang)].state is VersionState.OUTDATED
            and before[(story_id, lang)].state is not VersionState.OUTDATED
        ],
    )
    for mapping in alignment.paragraphs:
        update.counts[mapping.status.value] += 1
    version = record_source_version(session, story_id, new_texts, person, "")
    update.version = version.number
    version.summary = update.summary()
    record_change(
        session, story_id=story_id, action=Action.EDIT_SOURCE, person=person,
        comment=version.summary,
    )  # fmt: skip
    session.flush()
    # The English changed under these translations (or they are new): check them again. A
    # translation whose English and text are as they were keeps its flags as they are.
    now = {row.id: row.text for row in current_paragraphs(session, story_id)}
    changed = [pid for pid, text in now.items() if english_before.get(pid) != text]
    changed += [pid for pid in english_before if pid not in now]  # removed: flags cleared
    refresh_story_flags(session, story_id, paragraph_ids=changed)
    session.commit()
    return update


def _lock_story(session: Session, story_id: int) -> None:
    """One English edit of a story at a time, across processes and on both databases.

    The edit's first statement writes the story's row: on PostgreSQL that takes the row's lock,
    on SQLite the database's write lock (where SELECT ... FOR UPDATE does nothing, and a check
    made before the first write holds no lock at all). A second editor waits here until the
    first commits, then reads the version the first saved and is refused, never applied over it.
    """
    touched = session.exec(
        update(Story)  # type: ignore[call-overload]
        .where(col(Story.id) == story_id)
        .values(updated_at=col(Story.updated_at))
    )
    if touched.rowcount != 1:
        session.rollback()
        raise NotFound(f"Story {story_id} does not exist.")


def _conflict(
    session: Session, story_id: int, based_on: int, paragraphs: list[str]
) -> SourceConflict:
    """Refuse an edit of an English version that is no longer the latest: say who saved what."""
    found = source_versions(session, story_id)
    latest, author = found[0]
    theirs = [p.text for p in current_paragraphs(session, story_id)]
    base = english_paragraphs(session, story_id, based_on)
    session.rollback()  # nothing was written; let the next editor's save go ahead
    who = author or "Someone"
    return SourceConflict(
        f"{who} saved English version {latest.number} while you were editing version "
        f"{based_on}. Your text was not saved: compare their English with yours, then apply "
        "your change to theirs.",
        theirs=theirs,
        yours=[normalise(p) for p in paragraphs if normalise(p)],
        current_version=latest.number,
        saved_by=author,
        base=base,
    )


def merge_edit(base: list[str], mine: list[str], theirs: list[str]) -> list[str] | None:
    """My edit of the English `base`, applied to `theirs` (another editor's edit of the same
    base) paragraph by paragraph; None when we both changed, or removed, the same paragraphs.

    Each paragraph I replaced, removed or inserted is applied where its base paragraphs stand in
    their English, provided they left those paragraphs as they were: a correction made while a
    colleague added a paragraph elsewhere goes through without undoing theirs.
    """
    unchanged_by_them: dict[int, int] = {}  # base index -> its index in theirs
    for tag, i1, i2, j1, _ in SequenceMatcher(None, base, theirs, autojunk=False).get_opcodes():
        if tag == "equal":
            unchanged_by_them |= {i1 + k: j1 + k for k in range(i2 - i1)}
    merged = list(theirs)
    mine_ops = SequenceMatcher(None, base, mine, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(mine_ops):  # from the end: earlier places stay valid
        if tag == "equal":
            continue
        if i2 > i1:  # I replaced or removed base[i1:i2]: all still there, together, in theirs
            places = [unchanged_by_them.get(i, -1) for i in range(i1, i2)]
            start, end = places[0], places[0] + len(places)
            if start < 0 or places != list(range(start, end)):
                return None
        elif i1 in unchanged_by_them:  # I inserted before base[i1]
            start = end = unchanged_by_them[i1]
        elif i1 == 0 or i1 - 1 in unchanged_by_them:  # or after base[i1 - 1]
            start = end = unchanged_by_them[i1 - 1] + 1 if i1 else 0
        else:
            return None
        merged[start:end] = mine[j1:j2]
    return merged


def _translations(session: Session, paragraph_ids: list[int]) -> dict[int, list[Translation]]:
    found: dict[int, list[Translation]] = {pid: [] for pid in paragraph_ids}
    if paragraph_ids:
        query = select(Translation).where(col(Translation.paragraph_id).in_(paragraph_ids))
        for translation in session.exec(query):
            found[translation.paragraph_id].append(translation)
    return found


def _apply(
    session: Session,
    story_id: int,
    rows: list[SourceParagraph],
    new_texts: list[str],
    alignment: Alignment,
    person: Person | None,
) -> None:
    """Give each new paragraph its row: the row of the old paragraph(s) it is the heir of (the
    realigner decides), or a new row, started from the old translation for a further part of a
    split paragraph or a further copy."""
    by_paragraph = _translations(session, [row.id for row in rows if row.id is not None])
    inherited: dict[int, list[int]] = {}  # new index -> old indices whose rows it carries on
    for i, j in sorted(alignment.heirs.items()):
        inherited.setdefault(j, []).append(i)
    parts_of: dict[int, int] = {}  # old index -> how many new paragraphs came from it
    for mapping in alignment.paragraphs:
        for i in mapping.sources:
            parts_of[i] = parts_of.get(i, 0) + 1
    for mapping in alignment.paragraphs:
        text = new_texts[mapping.index]
        sources = [rows[i] for i in mapping.sources]
        heir_of = inherited.get(mapping.index)
        if heir_of:
            row = rows[heir_of[0]]
            old_english = " ".join(source.text for source in sources)
            if row.text != text:
                row.version += 1
            row.position, row.text, row.fingerprint = mapping.index, text, fingerprint(text)
            session.add(row)
            for i in heir_of[1:]:
                rows[i].removed = True  # merged into `row`; its translations join row's below
                session.add(rows[i])
            split = parts_of[heir_of[0]] > 1
            _carry(session, mapping, by_paragraph, sources, old_english, row, person, split)
        else:
            row = SourceParagraph(
                story_id=story_id, position=mapping.index, text=text, fingerprint=fingerprint(text)
            )
            session.add(row)
            session.flush()
            # A further exact copy (a paragraph pasted twice) has the same English word for
            # word: its translation is as good, state and approval included.
            copy = mapping.status is Status.UNCHANGED and len(sources) == 1
            _start(session, row, sources[0] if sources else None, by_paragraph, person, copy=copy)
    for i in alignment.removed:
        rows[i].removed = True
        session.add(rows[i])


def _carry(
    session: Session,
    mapping: Mapping,
    by_paragraph: dict[int, list[Translation]],
    sources: list[SourceParagraph],
    old_english: str,
    row: SourceParagraph,
    person: Person | None,
    split: bool,
) -> None:
    """Bring a kept paragraph's translations in step with what happened to its English.

    The part of a split paragraph that inherits the row keeps the whole old translation, which
    says more than the part does: it stays stale until someone edits it, even when no word
    changed.
    """
    merged = len(sources) > 1
    for translation in by_paragraph[row.id]:  # type: ignore[index]
        if merged:
            parts = [
                t.text
                for source in sources
                for t in by_paragraph[source.id]  # type: ignore[index]
                if t.lang == translation.lang and t.text
            ]
            if " ".join(parts) != translation.text:
                translation.text = " ".join(parts)
                translation.version += 1
                translation.source_text = old_english
                translation.source_fingerprint = fingerprint(old_english)
                translation.updated_at = utcnow()
                record_revision(session, translation, person=person, reason="merge")
        if not translation.text:
            continue
        if mapping.status is Status.MINOR and not split and not _is_stale(translation, old_english):
            # Meaning cannot have changed: carried, publishable, marked for a glance.
            translation.check_from = translation.check_from or translation.source_text
            translation.source_text = row.text
            translation.source_fingerprint = row.fingerprint
        session.add(translation)


def _is_stale(translation: Translation, old_english: str) -> bool:
    """Stale already before this edit (made from English older than `old_english`)."""
    return translation.source_fingerprint not in (None, fingerprint(old_english))


def _start(
    session: Session,
    row: SourceParagraph,
    split_from: SourceParagraph | None,
    by_paragraph: dict[int, list[Translation]],
    person: Person | None,
    *,
    copy: bool = False,
) -> None:
    """Translations of a paragraph that is new, a further part of a split one, or a further
    exact copy of one (`copy`: the translation goes on as it was, approval included)."""
    assert row.id is not None
    previous = {t.lang: t for t in by_paragraph[split_from.id]} if split_from else {}  # type: ignore[index]
    for lang in LANGUAGES:
        old = previous.get(lang)
        translation = Translation(story_id=row.story_id, paragraph_id=row.id, lang=lang)
        if old is not None and old.text:
            # The whole old translation as a starting point: stale until someone edits it.
            translation.text = old.text
            translation.state = TranslationState.TRANSLATED
            translation.origin = old.origin
            translation.version = 1
            translation.source_text = old.source_text
            translation.source_fingerprint = old.source_fingerprint
            if copy:
                translation.state, translation.check_from = old.state, old.check_from
                translation.draft_text, translation.draft_origin = old.draft_text, old.draft_origin
                translation.translated_by_id = old.translated_by_id
                translation.updated_by_id = old.updated_by_id
        session.add(translation)
        if translation.text:
            session.flush()
            record_revision(session, translation, person=person, reason="copy" if copy else "split")
            if copy and old is not None and old.state is TranslationState.APPROVED:
                _carry_approval(session, old, translation, person)


def _carry_approval(
    session: Session, approved: Translation, copy: Translation, person: Person | None
) -> None:
    """Record in the audit log that `copy` is approved because `approved` was, and by whom."""
    query = (
        select(Change, Person.name)
        .join(Person, col(Person.id) == col(Change.person_id), isouter=True)
        .where(
            Change.translation_id == approved.id,
            Change.to_state == int(TranslationState.APPROVED),
        )
        .order_by(col(Change.created_at).desc(), col(Change.id).desc())
    )
    found = session.exec(query).first()
    if found is not None and found[0].action != Action.APPROVE:
        comment = found[0].comment  # itself a copy: the approval carried once more
    else:
        who = found[1] if found and found[1] else "an editor"
        comment = f"Approved by {who}; carried to a copy of the paragraph, same English (copy)."
    record_change(
        session, story_id=copy.story_id, action=Action.EDIT_SOURCE, person=person,
        lang=copy.lang, translation_id=copy.id, to_state=TranslationState.APPROVED,
        comment=comment,
    )  # fmt: skip
