"""Changing one paragraph's translation: save, machine draft, mark translated, approve, send
back, confirm, revert.

Each verb here says what the change is (the values it sets, its preconditions) and hands it to
`writes.apply`, the one write path: authorise, compare-and-set (a concurrent change is never
overwritten), flags and stale periods, a revision for a new text, the audit log, commit.
"""

from rapidfuzz import fuzz
from sqlmodel import Session

from workflow.comments import add_comment, clean_comment
from workflow.errors import (
    InvalidTransition,
    NotFound,
    OpenFlags,
    StaleTranslation,
)
from workflow.flags import open_errors
from workflow.history import record_change
from workflow.models import (
    LanguageVersion,
    Person,
    Revision,
    Translation,
    utcnow,
)
from workflow.progress import version_progress
from workflow.segmentation import normalise
from workflow.settings import refuse_self_review
from workflow.states import (
    TRANSLATION_TRANSITIONS,
    Action,
    TranslationState,
    VersionState,
    authorize,
    permitted,
)
from workflow.unsaved import forget_unsaved
from workflow.versions import english_fingerprint
from workflow.vocabulary import Origin, RevisionReason
from workflow.writes import Edit, Paragraph, apply, authorise, read, transaction

REWRITE_BELOW = 50  # % similarity to the text before, under which an edit is a new translation


def save_translation(
    session: Session,
    *,
    translation_id: int,
    text: str,
    person: Person,
    base_lock_version: int,
    reason: RevisionReason = RevisionReason.EDIT,
    draft: tuple[str, str] | None = None,
) -> Translation:
    """Save a person's text for a paragraph; refuse with `EditConflict` if someone saved since.

    `base_lock_version` is the lost-update counter the text was based on. `draft`, when the person
    started from a suggestion, is its text and origin, so post-editing is measured against it.
    Saving text identical to the stored text changes nothing. An empty text empties the
    paragraph (its old text stays in history). The person's unsaved text of the paragraph
    (`unsaved`) is forgotten with the save; a refused save keeps it.
    """
    target = read(session, translation_id)
    t = target.translation
    authorize(person, Action.SAVE, t.lang, target.version_state)
    text = normalise(text)
    if text != t.text:
        # Ends the saver's unsaved text of the paragraph in the same commit (`writes`); a
        # refused save (a conflict, a busy database) keeps it.
        edit = save_edit(target, text, person, reason, draft)
        apply(session, Action.SAVE, target, person=person, expect=base_lock_version, edit=edit)
    elif person.id is not None:
        # A save that changed nothing ends it too: the box holds the saved text.
        with transaction(session):
            forget_unsaved(session, person_id=person.id, translation_id=translation_id)
    session.refresh(t)
    return t


def save_edit(
    target: Paragraph,
    text: str,
    person: Person,
    reason: str,
    draft: tuple[str, str] | None = None,
) -> Edit:
    """What saving a person's (normalised) `text` sets on the paragraph, for `apply`; `reason`
    is the revision's (a `RevisionReason`: every caller says why it saves)."""
    t = target.translation
    values = {
        "text": text,
        "state": TranslationState.TRANSLATED if text else TranslationState.EMPTY,
        "origin": Origin.HUMAN,
        "source_fingerprint": target.english.fingerprint,
        "source_text": target.english.text,
        "check_from": None,
        "updated_at": utcnow(),
        "updated_by_id": person.id,
    }
    if draft is not None:
        values["draft_text"], values["draft_origin"] = normalise(draft[0]), draft[1]
    if target.translating or fuzz.ratio(t.text, text) < REWRITE_BELOW:
        # A reviewer's fix leaves the translation the translator's; a rewrite makes it theirs.
        values["translated_by_id"] = person.id if text else None
    return Edit(values, revision=RevisionReason(reason))


def revert_translation(
    session: Session, *, revision_id: int, person: Person, base_lock_version: int
) -> Translation:
    """Bring back the text of an earlier revision: itself a new revision, nothing erased."""
    revision = session.get(Revision, revision_id)
    if revision is None:
        raise NotFound(f"Revision {revision_id} does not exist.")
    return save_translation(
        session,
        translation_id=revision.translation_id,
        text=revision.text,
        person=person,
        base_lock_version=base_lock_version,
        reason=RevisionReason.REVERT,
    )


def store_draft(
    session: Session, *, translation_id: int, text: str, origin: str, person: Person | None
) -> Translation:
    """Put a machine or memory draft into an empty paragraph (never over a person's text).

    `person` None is the command line, run by an operator of the server.
    """
    target = read(session, translation_id)
    t = target.translation
    values = {
        "text": normalise(text),
        "draft_text": normalise(text),
        "draft_origin": origin,
        "state": TranslationState.MACHINE_DRAFT,
        "origin": origin,
        "source_fingerprint": target.english.fingerprint,
        "source_text": target.english.text,
        "check_from": None,
        "updated_at": utcnow(),
        "updated_by_id": person.id if person else None,
    }
    edit = Edit(values, comment=origin, revision=RevisionReason.MACHINE_DRAFT)
    apply(session, Action.DRAFT, target, person=person, expect=t.lock_version, edit=edit)
    session.refresh(t)
    return t


def _change_state(
    session: Session,
    translation_id: int,
    person: Person,
    action: Action,
    *,
    comment: str,
    seen: int | None,
) -> Translation:
    """Move one paragraph by `action`; `seen` is the lost-update counter the person saw, or
    None to act on the text as it is now."""
    target = read(session, translation_id)
    t = target.translation
    authorise(person, action, target)
    if action is Action.APPROVE:
        _refuse_unready_approval(session, target, person)
    values: dict[str, object] = {
        "state": TRANSLATION_TRANSITIONS[action].target,
        "updated_at": utcnow(),
    }
    if action is Action.APPROVE:
        values["check_from"] = None  # the editor has read it against the current English
    if action is Action.MARK_TRANSLATED:
        # Marking translated is a person vouching for the text against the current English.
        values |= {
            "source_fingerprint": target.english.fingerprint,
            "source_text": target.english.text,
            "updated_by_id": person.id,
        }
        if target.translating:
            values["translated_by_id"] = person.id
    expect = t.lock_version if seen is None else seen
    with transaction(session):
        apply(session, action, target, person=person, expect=expect, edit=Edit(values, comment))
        if action is Action.SEND_BACK and comment:
            add_comment(
                session, story_id=t.story_id, lang=t.lang, person=person, text=comment,
                translation=t,
            )  # fmt: skip
    session.refresh(t)
    return t


def _refuse_unready_approval(
    session: Session, target: Paragraph, person: Person, *, stale_checked: bool = False
) -> None:
    """Refuse approving the paragraph: stale (unless the person is confirming it against the
    new English, `stale_checked`), the person's own translation, an open error."""
    t = target.translation
    if target.stale and not stale_checked:
        raise StaleTranslation(
            "The English of this paragraph changed after it was translated: "
            "check the translation against the new English and save it before approving."
        )
    refuse_self_review(session, person, [t])
    _refuse_open_errors(session, t)


def _refuse_open_errors(session: Session, t: Translation) -> None:
    """Refuse vouching for a paragraph (approving it, confirming it still valid) while a check
    finds an error in it nobody fixed or overrode."""
    assert t.id is not None
    if errors := open_errors(session, t.story_id, t.lang, [t.id]):
        raise OpenFlags(
            "A check found an error in this paragraph: "
            + "; ".join(message for _, _, message in errors)
            + " Fix the text, or override the flag with a reason."
        )


def confirm_translation(
    session: Session, *, translation_id: int, person: Person, seen_lock_version: int | None = None
) -> Translation:
    """Record that a translation still says what the changed English says, with who, when and
    the English it now vouches for (the audit line's fingerprint).

    Clears the stale or check mark. On an approved paragraph only someone who may approve keeps
    the approval: that is a reconfirmation, refused like an approval while a check finds an
    error in the paragraph (a figure the new English no longer has); once the version has no
    stale paragraph left, a line for the whole version records which English it vouches for
    now. Anyone else's confirmation returns the paragraph to translated and its version to
    review, for an editor to approve again.
    """
    target = read(session, translation_id)
    t = target.translation
    authorise(person, Action.CONFIRM, target)
    if not target.stale and t.check_from is None:
        raise InvalidTransition("This paragraph's English has not changed: nothing to confirm.")
    state = TranslationState(t.state)
    reconfirms = state is TranslationState.APPROVED and permitted(
        person, Action.APPROVE, t.lang, target.version_state
    )
    if reconfirms:
        _refuse_unready_approval(session, target, person, stale_checked=True)
    else:
        # "Still valid" says the text says what the English says: not while a check (a
        # figure the new English no longer has) says otherwise, whoever clicks it.
        _refuse_open_errors(session, t)
        if state is TranslationState.APPROVED:
            state = TranslationState.TRANSLATED
    values: dict[str, object] = {
        "state": state,
        "source_fingerprint": target.english.fingerprint,
        "source_text": target.english.text,
        "check_from": None,
        "updated_at": utcnow(),
    }
    comment = "was made from: " + (
        t.check_from if t.check_from is not None else t.source_text or ""
    )
    expect = t.lock_version if seen_lock_version is None else seen_lock_version
    with transaction(session):
        apply(
            session, Action.CONFIRM, target, person=person, expect=expect,
            edit=Edit(values, comment),
        )  # fmt: skip
        if reconfirms and target.version is not None:
            _record_reconfirmed_version(session, target.version, person)
    session.refresh(t)
    return t


def _record_reconfirmed_version(session: Session, version: LanguageVersion, person: Person) -> None:
    """The line saying an approver vouches for the version against the English as it stands,
    once its last stale paragraph is confirmed (the approval's own line names the old English)."""
    progress = version_progress(session, version.story_id, version.lang)
    stored = VersionState(version.state)
    if progress.stale or stored not in (VersionState.APPROVED, VersionState.PUBLISHED):
        return
    record_change(
        session, story_id=version.story_id, lang=version.lang, action=Action.CONFIRM,
        person=person, from_state=stored, to_state=stored,
        comment="The approval holds for the new English.",
        source_fingerprint=english_fingerprint(session, version.story_id),
    )  # fmt: skip


def mark_translated(
    session: Session, *, translation_id: int, person: Person, seen_lock_version: int | None = None
) -> Translation:
    """Accept a machine draft or a sent-back paragraph as it is.

    `seen_lock_version`, when given, is the counter of the text the person is looking at: an
    action on a text someone replaced meanwhile is refused.
    """
    return _change_state(
        session, translation_id, person, Action.MARK_TRANSLATED, comment="", seen=seen_lock_version
    )


def approve_translation(
    session: Session, *, translation_id: int, person: Person, seen_lock_version: int | None = None
) -> Translation:
    """An editor approves one paragraph; refused when its English changed since translation."""
    return _change_state(
        session, translation_id, person, Action.APPROVE, comment="", seen=seen_lock_version
    )


def send_back(
    session: Session,
    *,
    translation_id: int,
    person: Person,
    comment: str,
    seen_lock_version: int | None = None,
) -> Translation:
    """An editor returns one paragraph to the translator, with a comment the translator sees
    (the page may send an empty one: then no comment is added).

    A version in review (or approved) goes back to translation, so the translator can answer.
    """
    comment = clean_comment(comment) if comment.strip() else ""
    return _change_state(
        session, translation_id, person, Action.SEND_BACK, comment=comment, seen=seen_lock_version
    )
