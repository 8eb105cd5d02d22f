"""The English source of a story: editing it, keeping every version, merging two editors'
edits.

An edit of the English is refused when someone saved another version meanwhile (never applied
over theirs); otherwise the realigner maps old paragraphs to new ones, `carry` brings each
paragraph's translations along (see there), and the whole edit commits as one.
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlmodel import Session, col, func, select, update

from workflow import LANGUAGES
from workflow.carry import carry
from workflow.errors import InputError, NotFound, SourceConflict
from workflow.events import WebhookEvent, announce_seen_state, emit
from workflow.flags import refresh_story_flags
from workflow.formats.limits import check_story_size
from workflow.history import TOUCHED, record_change
from workflow.models import (
    Change,
    Person,
    SourceVersion,
    Story,
    utcnow,
)
from workflow.notify.english import tell_english_changed
from workflow.progress import progress, stale_positions
from workflow.queries import current_paragraphs as current_paragraphs
from workflow.realign import Status, realign
from workflow.segmentation import normalise
from workflow.states import Action, VersionState, authorize
from workflow.writes import transaction


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
    check_story_size(new_texts, "English")
    # The English and every translation it carries, or nothing; a refusal undoes only this.
    with transaction(session):
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
        carry(session, story_id, rows, new_texts, alignment, person)
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
        seen = {
            lang: (before[(story_id, lang)].state, after[(story_id, lang)].state)
            for lang in LANGUAGES
        }
        _announce(session, update, seen)
        added = [pid for pid in now if pid not in english_before]
        tell_english_changed(
            session, story_id, update.version, changed, by=person, added_paragraphs=added
        )
    return update


def _announce(
    session: Session, update: SourceUpdate, seen: dict[str, tuple[VersionState, VersionState]]
) -> None:
    """Tell outside systems, in the edit's transaction: the English was corrected (with each
    language's stale paragraphs: their numbers, 0 the headline, and their new English), which
    approved or published versions it left outdated, and which it brought back in step
    (`seen`: each language's state as people saw it before the edit and after)."""
    story_id = update.story_id
    text_at = {p.position: p.text for p in current_paragraphs(session, story_id)}
    stale_at = {
        lang: stale_positions(session, story_id, lang) if update.stale.get(lang) else []
        for lang in LANGUAGES
    }
    stale = {
        lang: [{"number": n, "english": text_at.get(n, "")} for n in positions]
        for lang, positions in stale_at.items()
    }
    data = {"version": update.version, "summary": update.summary(), "stale": stale}
    emit(session, WebhookEvent.ENGLISH_CORRECTED, story_id, data)
    for lang, (was, now) in seen.items():
        announce_seen_state(session, story_id, lang, was, now, stale=stale_at[lang])


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
        raise NotFound(f"Story {story_id} does not exist.")
    session.info.get(TOUCHED, set()).add(story_id)  # the carried translations' writes need not


def _conflict(
    session: Session, story_id: int, based_on: int, paragraphs: list[str]
) -> SourceConflict:
    """Refuse an edit of an English version that is no longer the latest: say who saved what."""
    found = source_versions(session, story_id)
    latest, author = found[0]
    theirs = [p.text for p in current_paragraphs(session, story_id)]
    base = english_paragraphs(session, story_id, based_on)
    author = author or _maker(session, story_id)
    who = (author[:1].upper() + author[1:]) if author else "Someone"  # starts the sentence
    said = (
        f"There is no English version {based_on}: the latest is version {latest.number}. "
        "Your text was not saved."
        if based_on > latest.number
        else f"{who} saved English version {latest.number} while you were editing version "
        f"{based_on}. Your text was not saved: compare their English with yours, then apply "
        "your change to theirs."
    )
    return SourceConflict(
        said,
        theirs=theirs,
        yours=[normalise(p) for p in paragraphs if normalise(p)],
        current_version=latest.number,
        saved_by=author,
        base=base,
    )


def _maker(session: Session, story_id: int) -> str | None:
    """Who made the latest English when no person did: the audit line names the integration or
    the command line (`history.acting_as`)."""
    actor = session.exec(
        select(Change.actor)
        .where(
            Change.story_id == story_id,
            col(Change.action).in_([Action.EDIT_SOURCE.value, Action.IMPORT_STORY.value]),
        )
        .order_by(col(Change.id).desc())
        .limit(1)
    ).first()
    return actor or None


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
