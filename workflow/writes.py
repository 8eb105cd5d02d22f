"""The one way anything at the desk changes: `apply` (a translation, several, or one of the
desk's own rows, a `records.Record`), and its twin for a whole version, `move_version`.

Every write takes the same steps, in this order:

1. authorise: the person's role and languages, and the transition table (`states`);
2. compare-and-set: the rows change only if their lost-update counter (`Translation.lock_version`)
   is still what the caller saw (`expect`); otherwise the write is a conflict, never an
   overwrite. Every write moves the counter on, so whoever read the row before must read it
   again;
3. side effects: the text checked again (flags), stale periods opened or closed, a revision
   for a new text, and the language version reopened when its approval no longer holds;
4. one audit `Change` per translation changed (and one for the version moved);
5. commit, all or nothing. A write runs inside a SAVEPOINT (`transaction`): a refusal undoes
   what the write did and nothing else the caller's session holds; writes made inside a bigger
   one (an English edit, a version approval) commit with it.

A bulk write (approving a version, carrying translations over an English edit) is the same
call over several translations: one UPDATE for all of them, refused as a whole when any of
them moved since it was read. A refused text is kept in history all the same: nothing a
person typed is lost.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import tuple_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from workflow.errors import EditConflict, InvalidTransition, NotFound
from workflow.events import WebhookEvent, announce_caught_up, emit
from workflow.flags import refresh_flags
from workflow.history import TOUCHED, record_change, record_changes, record_revision, touch_stories
from workflow.import_policy import take_write_lock
from workflow.models import Change, LanguageVersion, Person, SourceParagraph, Translation, utcnow
from workflow.notify.news import tell_moved
from workflow.notify.sent_back import tell_sent_back_too
from workflow.progress import version_progress
from workflow.queries import is_stale, with_paragraphs
from workflow.records import PERMISSION, Record
from workflow.states import (
    PARAGRAPH_ACTION_ROLES,
    SYSTEM_TRANSITIONS,
    TRANSLATION_TRANSITIONS,
    VERSION_TRANSITIONS,
    Action,
    TranslationState,
    VersionState,
    authorize,
)
from workflow.trends import track_stale
from workflow.unsaved import forget_unsaved
from workflow.vocabulary import Event, RevisionReason

_DEPTH = "lockstep.writes.depth"  # in `Session.info`: how many `transaction`s are open


@contextmanager
def transaction(session: Session) -> Iterator[None]:
    """All or nothing: what runs inside is undone as a whole if it raises (and nothing the
    session held before it), and committed at the end of the outermost one."""
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    if depth == 0:
        session.info[TOUCHED] = set()
    touched_before = set(session.info[TOUCHED])
    try:
        if depth == 0:
            # SQLite: hold the write lock from the start, or a read inside (what the write
            # replaces) pins a snapshot, and a colleague's commit after it makes SQLite refuse
            # this write at once, "database is locked", instead of waiting its turn.
            take_write_lock(session)
        with session.begin_nested():
            yield
        if depth == 0:
            session.commit()
    except BaseException:
        session.info[TOUCHED] = touched_before  # the savepoint took its touches back
        raise
    finally:
        session.info[_DEPTH] = depth
        if depth == 0:
            session.info.pop(TOUCHED, None)


@dataclass(frozen=True)
class Paragraph:
    """A translation as a write reads it, with its English paragraph and its language version
    (None for a write an English edit makes: the version's state follows from staleness)."""

    translation: Translation
    english: SourceParagraph
    version: LanguageVersion | None = None
    version_state: VersionState | None = None  # as people see it: outdated after an edit

    @property
    def stale(self) -> bool:
        return is_stale(self.translation, self.english)

    @property
    def translating(self) -> bool:
        """Whether text written now is translation work rather than a reviewer's fix: the
        version is in translation, or outdated and being brought back in step."""
        return self.version_state in (VersionState.IN_TRANSLATION, VersionState.OUTDATED)


def read(session: Session, translation_id: int) -> Paragraph:
    """The translation, its current English paragraph and its version, for a write."""
    query = with_paragraphs(select(Translation, SourceParagraph, LanguageVersion)).join(
        LanguageVersion,
        (col(LanguageVersion.story_id) == col(Translation.story_id))
        & (col(LanguageVersion.lang) == col(Translation.lang)),
    )
    row = session.exec(query.where(Translation.id == translation_id)).first()
    if row is None:
        raise NotFound(
            f"Paragraph translation {translation_id} does not exist (any more): "
            "its English may have been removed. Reload the story."
        )
    translation, paragraph, version = row
    state = version_progress(session, version.story_id, version.lang).state
    return Paragraph(translation, paragraph, version, state)


@dataclass(frozen=True)
class Edit:
    """What a write sets on its translations (never the counter: `apply` moves it on), and
    what history says of it."""

    values: dict[str, Any]
    comment: str = ""
    revision: RevisionReason | None = None  # keep the new text as a revision, for this reason


# What the audit log's actions did to a paragraph, for messages about someone else's write.
_DID: dict[str, str] = {  # by the audit log's action words, old lines' included
    Action.SAVE: "saved this paragraph",
    Action.DRAFT: "put a draft into this paragraph",
    Action.MARK_TRANSLATED: "marked this paragraph translated",
    Action.APPROVE: "approved this paragraph",
    Action.SEND_BACK: "sent this paragraph back",
    Action.CONFIRM: "confirmed this paragraph",
    Action.EDIT_SOURCE: "changed the English of this paragraph",
}
# The paragraph actions whose audit line names the English they vouch for: an approval, and a
# confirmation that the text still says what the changed English says.
_VOUCHING = frozenset({Action.APPROVE, Action.CONFIRM})
_PAST = {
    Action.MARK_TRANSLATED: "marked translated",
    Action.APPROVE: "approved",
    Action.SEND_BACK: "sent back",
    Action.DRAFT: "given a machine draft",
}


def authorise(person: Person | None, action: Action, target: Paragraph) -> None:
    """Refuse unless the person may take `action` on the paragraph in its state (the
    transition table), in its version's state. None is the command line's operator."""
    if person is not None:
        paragraph_work = action in TRANSLATION_TRANSITIONS or action in PARAGRAPH_ACTION_ROLES
        if paragraph_work:
            authorize(person, action, target.translation.lang, target.version_state)
        else:
            authorize(person, action)
    transition = TRANSLATION_TRANSITIONS.get(action)
    state = TranslationState(target.translation.state)
    if transition is not None and state not in transition.sources:
        raise InvalidTransition(
            f"A paragraph that is {state.label.lower()} cannot be {_PAST.get(action, action)}."
        )


def apply(
    session: Session,
    action: Action | Event,
    target: Paragraph | Sequence[Paragraph] | Record,
    *,
    person: Person | None,
    expect: Any = None,
    edit: Edit | None = None,
) -> None:
    """Make one write to one translation, or the same write to several (set-wise): authorise,
    compare-and-set against `expect` (the counter the caller saw, per translation), side
    effects, one `Change` per translation, commit (see the module's docstring). A `Record`
    (a desk row) takes the same steps, `expect` being the value the caller read.

    A conflict raises `EditConflict` for a new text (the refused text kept as a revision) and
    `InvalidTransition` otherwise, saying who did what meanwhile."""
    if isinstance(target, Record):
        _apply_record(session, action, target, person=person, expect=expect)
        return
    assert isinstance(action, Action) and edit is not None and expect is not None
    rows = [target] if isinstance(target, Paragraph) else list(target)
    expected = [expect] if isinstance(expect, int) else list(expect)
    assert len(rows) == len(expected)
    if not rows:
        return
    for row in rows:
        authorise(person, action, row)
    moved = any(r.translation.lock_version != e for r, e in zip(rows, expected, strict=True))
    before = []
    for t in (row.translation for row in rows):
        assert t.id is not None  # flushed: a write changes stored rows
        before.append((t.id, t.story_id, t.lang, TranslationState(t.state)))
    try:
        with transaction(session):
            touch_stories(session, [row.translation.story_id for row in rows])  # locks first
            if moved or not _compare_and_set(session, rows, expected, edit.values):
                raise _Moved
            _side_effects(session, action, rows, before, person, edit)
    except _Moved:
        raise _refusal(session, action, rows, expected, person, edit) from None


class _Moved(Exception):
    """A row changed since the caller read it: the write is refused, never applied over it."""


def _compare_and_set(
    session: Session, rows: list[Paragraph], expected: list[int], values: dict[str, Any]
) -> bool:
    """One UPDATE of every row still at its expected counter; True when it reached them all."""
    ids = [row.translation.id for row in rows]
    still: ColumnElement[bool]
    if len(rows) == 1:
        still = (col(Translation.id) == ids[0]) & (col(Translation.lock_version) == expected[0])
    else:
        still = tuple_(col(Translation.id), col(Translation.lock_version)).in_(
            list(zip(ids, expected, strict=True))
        )
    query = (
        update(Translation)
        .where(still)
        .values(**values, lock_version=col(Translation.lock_version) + 1)
        .execution_options(synchronize_session=False)  # the rows are read again below
    )
    return session.exec(query).rowcount == len(rows)  # type: ignore[call-overload, no-any-return]


def _side_effects(
    session: Session,
    action: Action,
    rows: list[Paragraph],
    before: list[tuple[int, int, str, TranslationState]],
    person: Person | None,
    edit: Edit,
) -> None:
    """Flags, stale periods, revisions, the audit lines and the version's move, for rows the
    UPDATE just changed (`before`: each one's id, story, language and state as read)."""
    values = edit.values
    new_text = "text" in values or "draft_text" in values
    lines: list[Change] = []
    for row, (translation_id, story_id, lang, old_state) in zip(rows, before, strict=True):
        t = row.translation
        new_state = TranslationState(values.get("state", old_state))
        # Read back only what the side effects need: a bulk approval reads nothing.
        if len(rows) == 1 or new_text:
            session.refresh(t)
        else:
            session.expire(t)
        if new_text:
            refresh_flags(session, t, row.english)  # and the stale period
        elif "source_fingerprint" in values or (
            (old_state is TranslationState.EMPTY) != (new_state is TranslationState.EMPTY)
        ):
            track_stale(session, t, row.english)
        if edit.revision is not None and "text" in values:
            record_revision(session, t, person=person, reason=edit.revision)
            if action is Action.SAVE and person is not None and person.id is not None:
                # What they typed is saved now: their unsaved text ends in the same commit.
                forget_unsaved(session, person_id=person.id, translation_id=translation_id)
        record_change(
            session, story_id=story_id, lang=lang, translation_id=translation_id, action=action,
            person=person, from_state=old_state, to_state=new_state, comment=edit.comment,
            source_fingerprint=row.english.fingerprint if action in _VOUCHING else None,
            batch=lines,
        )  # fmt: skip
    record_changes(session, lines)
    _move_with(session, action, rows[0], before[0][3], values, person, edit.comment)
    # A version people saw outdated that this write left approved or published (its last
    # stale paragraph confirmed still valid) tells the CMS so; one it reopened does not.
    announce_caught_up(
        session,
        [
            (row.translation.story_id, row.translation.lang)
            for row in rows
            if row.version is not None and row.version_state is VersionState.OUTDATED
        ],
    )


def _move_with(
    session: Session,
    action: Action,
    row: Paragraph,
    old_state: TranslationState,
    values: dict[str, Any],
    person: Person | None,
    comment: str,
) -> None:
    """Move the version when a person's work on a paragraph means its state no longer holds:
    a paragraph sent back returns it to translation; new text, or a paragraph no longer
    approved, reopens an approved or published version for review."""
    version = row.version
    if version is None or (
        action not in TRANSLATION_TRANSITIONS and action not in PARAGRAPH_ACTION_ROLES
    ):
        return  # an English edit: an approved version becomes outdated by staleness alone
    new_state = TranslationState(values.get("state", old_state))
    if action is Action.SEND_BACK:
        where = "The headline" if row.english.position == 0 else f"Paragraph {row.english.position}"
        move, why = Action.RETURN_TO_TRANSLATION, f"{where} was sent back. {comment}".rstrip()
    elif new_state in (TranslationState.TRANSLATED, TranslationState.EMPTY) and (
        "text" in values or new_state is not old_state
    ):
        move, why = (
            Action.REOPEN,
            (
                "A translator confirmed a paragraph still valid against changed English after "
                "approval: an editor approves it again."
                if action is Action.CONFIRM
                else "A paragraph was edited after approval."
            ),
        )
    else:
        return
    if version.state in SYSTEM_TRANSITIONS[move].sources:
        move_version(session, move, version, person=person, comment=why)
    elif action is Action.SEND_BACK:
        # Back in translation already (an earlier paragraph of this round moved it), or never
        # submitted, or outdated: the translators hear of this paragraph too, added to the
        # round's news while it can still go.
        tell_sent_back_too(session, version, row.translation, said=why, by=person)


def _refusal(
    session: Session,
    action: Action,
    rows: list[Paragraph],
    expected: list[int],
    person: Person | None,
    edit: Edit,
) -> Exception:
    """The error a conflict raises; a person's refused text is kept in history first."""
    if len(rows) > 1:
        return InvalidTransition(
            "Someone changed some of these paragraphs a moment ago, so none was changed: "
            "reload, read them again, then try again."
        )
    row = rows[0]
    t = row.translation
    if action is Action.SAVE:
        with transaction(session):  # nothing typed is lost
            refused = (edit.values["text"], expected[0], row.english)
            record_revision(
                session, t, person=person, reason=RevisionReason.CONFLICT, refused=refused
            )
    session.refresh(t)
    who, did, when = last_write(session, t)
    if "text" in edit.values:
        return EditConflict(
            f"{who or 'Someone'} {did} while you were editing it. Your text was not saved: "
            "compare both, then keep yours or take theirs.",
            current_text=t.text,
            current_lock_version=t.lock_version,
            changed_by=who,
            changed_at=when,
            did=did,
        )
    if did == _DID[Action.SAVE]:
        did = "saved a new text for this paragraph"  # what the person acts on is not what they read
    return InvalidTransition(f"{who or 'Someone'} {did} after you opened it: read it first.")


def last_write(session: Session, t: Translation) -> tuple[str | None, str, object]:
    """Who last changed the translation, what they did, and when (from the audit log; from
    the row itself when the log has no line for it)."""
    line = session.exec(
        select(Change, Person.name)
        .join(Person, col(Person.id) == col(Change.person_id), isouter=True)
        .where(Change.translation_id == t.id)
        .order_by(col(Change.id).desc())
        .limit(1)
    ).first()
    if line is not None:
        change, name = line
        return name, _DID.get(change.action, "changed this paragraph"), change.created_at
    author = session.get(Person, t.updated_by_id) if t.updated_by_id else None
    return (author.name if author else None), "saved this paragraph", t.updated_at


def move_version(
    session: Session,
    action: Action,
    version: LanguageVersion,
    *,
    person: Person | None,
    seen: VersionState | None = None,
    comment: str = "",
    detail: str = "",
    vouches_for: str | None = None,
) -> LanguageVersion:
    """The version-level twin of `apply`: authorise (the version transition table), compare-
    and-set on the state the version was read in, one `Change`, commit.

    `seen` is the state the person saw (outdated, where the stored state is approved); a move
    the desk makes itself (`SYSTEM_TRANSITIONS`) that lost a race to a person's move is
    dropped, never made over it. `vouches_for` is the English an approval vouches for; `detail`
    goes into the audit line as it is."""
    system = action in SYSTEM_TRANSITIONS
    transition = SYSTEM_TRANSITIONS[action] if system else VERSION_TRANSITIONS[action]
    if person is not None and not system:
        authorize(person, action, version.lang)
    stored = VersionState(version.state)
    if (seen or stored) not in transition.sources:
        raise InvalidTransition(
            f"The version is {(seen or stored).label.lower()}; it cannot {action} now."
        )
    target = VersionState(transition.target)
    with transaction(session):
        touch_stories(session, [version.story_id])  # locks in the order every write takes
        moved = session.exec(
            update(LanguageVersion)  # type: ignore[call-overload]
            .where(col(LanguageVersion.id) == version.id, col(LanguageVersion.state) == stored)
            .values(state=target, updated_at=utcnow())
        ).rowcount
        if moved != 1:
            if system:
                return version
            raise InvalidTransition(
                "Someone changed this version a moment ago; reload and try again."
            )
        line = record_change(
            session, story_id=version.story_id, lang=version.lang, action=action, person=person,
            from_state=stored, to_state=target, comment=comment, detail=detail,
            source_fingerprint=vouches_for,
        )  # fmt: skip
        if (event := _ANNOUNCED.get(action)) is not None:
            data = {"state": target.slug}
            emit(session, event, version.story_id, data, lang=version.lang)
        tell_moved(session, action, version, line, by=person, comment=comment)
    return version


# The version moves outside systems hear of (`events`); outdated is announced by the English
# edit that makes it so (`sources.update_source`).
_ANNOUNCED = {
    Action.SUBMIT: WebhookEvent.VERSION_SUBMITTED,
    Action.APPROVE_VERSION: WebhookEvent.VERSION_APPROVED,
    Action.PUBLISH: WebhookEvent.VERSION_PUBLISHED,
}


def _apply_record(
    session: Session, action: Action | Event, record: Record, *, person: Person | None, expect: Any
) -> None:
    """`apply` for a desk row: authorise, compare what is stored with `expect`, write, one
    `Change`, commit; a refusal undoes the write and nothing else the caller's session held."""
    needed = record.permission or (PERMISSION.get(action) if isinstance(action, Event) else action)
    if person is not None and needed is not None:
        authorize(person, needed, record.lang)
    with transaction(session):
        if record.story_id is not None:  # locks in the order every write takes
            touch_stories(session, [record.story_id])
        if record.stored is not None and record.stored() != expect:
            raise InvalidTransition(
                record.refusal()
                if record.refusal is not None
                else f"Someone changed this {record.kind} a moment ago: reload, read it, then "
                "try again."
            )
        line = record.write()
        if line is not None:
            session.flush()  # a new row (a person added) has its id for the line
            record_change(
                session, action=action, person=person, subject=line.subject, detail=line.detail,
                actor=line.actor, story_id=line.story_id or record.story_id, lang=record.lang,
                translation_id=record.translation_id, comment=line.comment,
            )  # fmt: skip
