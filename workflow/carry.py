"""Carrying translations over an edit of the English.

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

Every translation carried or started with a text changes through `writes.apply`, as part of
the English edit (`EDIT_SOURCE`): one audit line each, its revision kept.
"""

from sqlalchemy import or_
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.models import Change, Person, SourceParagraph, Translation, utcnow
from workflow.realign import Alignment, Mapping, Status
from workflow.segmentation import fingerprint
from workflow.states import Action, TranslationState
from workflow.vocabulary import RevisionReason
from workflow.writes import Edit, Paragraph, apply


def _translations(session: Session, paragraph_ids: list[int]) -> dict[int, list[Translation]]:
    found: dict[int, list[Translation]] = {pid: [] for pid in paragraph_ids}
    if paragraph_ids:
        query = select(Translation).where(col(Translation.paragraph_id).in_(paragraph_ids))
        for translation in session.exec(query):
            found[translation.paragraph_id].append(translation)
    return found


def carry(
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
                row.lock_version += 1
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
        now: dict[str, object] = {
            "text": translation.text,
            "source_text": translation.source_text,
            "source_fingerprint": translation.source_fingerprint,
        }
        values: dict[str, object] = {}
        if merged:
            parts = [
                t.text
                for source in sources
                for t in by_paragraph[source.id]  # type: ignore[index]
                if t.lang == translation.lang and t.text
            ]
            if " ".join(parts) != translation.text:
                values = {
                    "text": " ".join(parts),
                    "source_text": old_english,
                    "source_fingerprint": fingerprint(old_english),
                    "updated_at": utcnow(),
                }
                now |= values
        stale = now["source_fingerprint"] not in (None, fingerprint(old_english))
        if now["text"] and mapping.status is Status.MINOR and not split and not stale:
            # Meaning cannot have changed: carried, publishable, marked for a glance.
            values |= {
                "check_from": translation.check_from or now["source_text"],
                "source_text": row.text,
                "source_fingerprint": row.fingerprint,
            }
        if values:
            comment = "merged" if "text" in values else "carried over a minor edit: check"
            edit = Edit(values, comment=comment, revision=RevisionReason.MERGE)
            target = Paragraph(translation, row)
            apply(
                session,
                Action.EDIT_SOURCE,
                target,
                person=person,
                expect=translation.lock_version,
                edit=edit,
            )


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
        translation = Translation(story_id=row.story_id, paragraph_id=row.id, lang=lang)
        session.add(translation)
        old = previous.get(lang)
        if old is None or not old.text:
            continue
        # The whole old translation as a starting point: stale until someone edits it.
        values: dict[str, object] = {
            "text": old.text,
            "state": TranslationState.TRANSLATED,
            "origin": old.origin,
            "source_text": old.source_text,
            "source_fingerprint": old.source_fingerprint,
        }
        comment = "split"
        if copy:
            values |= {
                "state": old.state,
                "check_from": old.check_from,
                "draft_text": old.draft_text,
                "draft_origin": old.draft_origin,
                "translated_by_id": old.translated_by_id,
                "updated_by_id": old.updated_by_id,
            }
            comment = (
                _copied_approval(session, old) if old.state is TranslationState.APPROVED else "copy"
            )
        session.flush()
        edit = Edit(
            values, comment=comment, revision=RevisionReason.COPY if copy else RevisionReason.SPLIT
        )
        target = Paragraph(translation, row)
        apply(session, Action.EDIT_SOURCE, target, person=person, expect=0, edit=edit)


def _copied_approval(session: Session, approved: Translation) -> str:
    """What the audit log says of a copy approved because `approved` was: who approved it."""
    query = (
        select(Change, Person.name)
        .join(Person, col(Person.id) == col(Change.person_id), isouter=True)
        .where(
            Change.translation_id == approved.id,
            Change.to_state == int(TranslationState.APPROVED),
            # the line that made it approved, not one that carried an approval along
            or_(
                col(Change.from_state).is_(None),
                col(Change.from_state) != int(TranslationState.APPROVED),
            ),
        )
        .order_by(col(Change.created_at).desc(), col(Change.id).desc())
    )
    found = session.exec(query).first()
    if found is not None and found[0].action != Action.APPROVE:
        return found[0].comment  # itself a copy: the approval carried once more
    who = found[1] if found and found[1] else "an editor"
    return f"Approved by {who}; carried to a copy of the paragraph, same English (copy)."
