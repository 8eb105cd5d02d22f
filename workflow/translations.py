"""Changing one paragraph's translation: save, machine draft, mark translated, approve, send back.

Every function here checks the person's role and languages (`states.authorize`) and the
transition table, applies the change with a compare-and-set so a concurrent change is never
overwritten, keeps the text as a revision, writes the audit log, and commits.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import update
from sqlmodel import Session, col, select

from workflow.comments import add_comment, clean_comment
from workflow.errors import (
    EditConflict,
    InvalidTransition,
    NotFound,
    OpenFlags,
    StaleTranslation,
)
from workflow.flags import open_errors, refresh_flags
from workflow.history import record_change, record_revision
from workflow.models import (
    LanguageVersion,
    Person,
    Revision,
    SourceParagraph,
    Translation,
    utcnow,
)
from workflow.progress import version_progress
from workflow.queries import is_stale, with_paragraphs
from workflow.segmentation import normalise
from workflow.settings import refuse_self_review
from workflow.states import (
    TRANSLATION_TRANSITIONS,
    Action,
    Role,
    TranslationState,
    VersionState,
    authorize,
)
from workflow.trends import track_stale


@dataclass
class _Context:
    translation: Translation
    paragraph: SourceParagraph
    version: LanguageVersion
    version_state: VersionState  # as people see it: outdated when the English changed under it

    @property
    def stale(self) -> bool:
        return is_stale(self.translation, self.paragraph)

    @property
    def translating(self) -> bool:
        """Whether text written now is translation work rather than a reviewer's fix: the
        version is in translation, or outdated and being brought back in step."""
        return self.version_state in (VersionState.IN_TRANSLATION, VersionState.OUTDATED)


def _load(session: Session, translation_id: int) -> _Context:
    query = (
        with_paragraphs(select(Translation, SourceParagraph, LanguageVersion))
        .join(
            LanguageVersion,
            (col(LanguageVersion.story_id) == col(Translation.story_id))
            & (col(LanguageVersion.lang) == col(Translation.lang)),
        )
        .where(Translation.id == translation_id)
    )
    row = session.exec(query).first()
    if row is None:
        raise NotFound(
            f"Paragraph translation {translation_id} does not exist (any more): "
            "its English may have been removed. Reload the story."
        )
    translation, paragraph, version = row
    state = version_progress(session, version.story_id, version.lang).state
    return _Context(translation, paragraph, version, state)


def _target(action: Action, state: TranslationState) -> TranslationState:
    transition = TRANSLATION_TRANSITIONS[action]
    if state not in transition.sources:
        raise InvalidTransition(
            f"A paragraph that is {state.label.lower()} cannot be {_past(action)}."
        )
    return TranslationState(transition.target)


def _past(action: Action) -> str:
    return {
        Action.MARK_TRANSLATED: "marked translated",
        Action.APPROVE: "approved",
        Action.SEND_BACK: "sent back",
        Action.DRAFT: "given a machine draft",
    }.get(action, str(action))


def _compare_and_set(
    session: Session,
    translation: Translation,
    values: dict[str, object],
    *,
    expect_version: int | None = None,
) -> bool:
    """Apply `values` only if nobody changed the row since it was read; True when applied."""
    query = update(Translation).where(col(Translation.id) == translation.id)
    if expect_version is None:
        query = query.where(
            col(Translation.state) == translation.state,
            col(Translation.version) == translation.version,
        )
    else:
        query = query.where(col(Translation.version) == expect_version)
    applied = session.exec(query.values(**values)).rowcount == 1  # type: ignore[call-overload]
    if applied:
        session.refresh(translation)
        if "text" in values or "draft_text" in values:
            refresh_flags(session, translation)
        else:  # a new state, or the English it vouches for: staleness may have ended
            paragraph = session.get(SourceParagraph, translation.paragraph_id)
            assert paragraph is not None
            track_stale(session, translation, paragraph)
    else:
        session.rollback()
    return applied


REWRITE_BELOW = 50  # % similarity to the text before, under which an edit is a new translation

CHANGED_MEANWHILE = "Someone changed this paragraph a moment ago; reload to see it, then try again."


def _log(
    session: Session,
    t: Translation,
    action: Action,
    person: Person | None,
    from_state: int,
    to_state: int,
    comment: str = "",
) -> None:
    """The audit-log line of an action on one translation."""
    record_change(
        session, story_id=t.story_id, lang=t.lang, translation_id=t.id, action=action,
        person=person, from_state=from_state, to_state=to_state, comment=comment,
    )  # fmt: skip


def _reopen_if_approved(session: Session, ctx: _Context, person: Person) -> None:
    """An edit to an approved or published version means its approval no longer holds."""
    if ctx.version.state in (VersionState.APPROVED, VersionState.PUBLISHED):
        _move_version(
            session, ctx, person, VersionState.IN_REVIEW, "A paragraph was edited after approval."
        )


def _move_version(
    session: Session, ctx: _Context, person: Person, target: VersionState, comment: str
) -> None:
    """Move the paragraph's version, only from the state it was read in (never over a move
    someone else made meanwhile, such as a publish)."""
    version = ctx.version
    moved = session.exec(
        update(LanguageVersion)  # type: ignore[call-overload]
        .where(col(LanguageVersion.id) == version.id, col(LanguageVersion.state) == version.state)
        .values(state=target, updated_at=utcnow())
    ).rowcount
    if moved == 1:
        record_change(
            session, story_id=version.story_id, lang=version.lang, action="reopen",
            person=person, from_state=version.state, to_state=target, comment=comment,
        )  # fmt: skip


def save_translation(
    session: Session,
    *,
    translation_id: int,
    text: str,
    person: Person,
    base_version: int,
    reason: str = "edit",
    draft: tuple[str, str] | None = None,
) -> Translation:
    """Save a person's text for a paragraph; refuse with `EditConflict` if someone saved since.

    `base_version` is the version the person's text was based on. `draft`, when the person
    started from a suggestion, is its text and origin, so post-editing is measured against it.
    Saving text identical to the stored text changes nothing. An empty text empties the
    paragraph (its old text stays in history).
    """
    ctx = _load(session, translation_id)
    t = ctx.translation
    authorize(person, Action.SAVE, t.lang, ctx.version_state)
    text = normalise(text)
    if text == t.text:
        return t
    old_state = TranslationState(t.state)
    target = TranslationState.TRANSLATED if text else TranslationState.EMPTY
    values = {
        "text": text,
        "state": target,
        "version": base_version + 1,
        "origin": "human",
        "source_fingerprint": ctx.paragraph.fingerprint,
        "source_text": ctx.paragraph.text,
        "check_from": None,
        "updated_at": utcnow(),
        "updated_by_id": person.id,
    }
    if draft is not None:
        values["draft_text"], values["draft_origin"] = normalise(draft[0]), draft[1]
    if ctx.translating or fuzz.ratio(t.text, text) < REWRITE_BELOW:
        # A reviewer's fix leaves the translation the translator's; a rewrite makes it theirs.
        values["translated_by_id"] = person.id if text else None
    if base_version != t.version or not _compare_and_set(
        session, t, values, expect_version=base_version
    ):
        raise _refuse_and_keep(session, translation_id, text, base_version, ctx, person)
    record_revision(session, t, person=person, reason=reason)
    _log(session, t, Action.SAVE, person, old_state, target)
    _reopen_if_approved(session, ctx, person)
    session.commit()
    session.refresh(t)
    return t


def revert_translation(
    session: Session, *, revision_id: int, person: Person, base_version: int
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
        base_version=base_version,
        reason="revert",
    )


def _refuse_and_keep(
    session: Session, translation_id: int, text: str, base: int, ctx: _Context, person: Person
) -> EditConflict:
    """Keep the refused text in history (nothing typed is lost), then say who saved meanwhile."""
    session.add(
        Revision(
            translation_id=translation_id,
            version=base,
            text=text,
            origin="human",
            reason="conflict",
            source_fingerprint=ctx.paragraph.fingerprint,
            source_text=ctx.paragraph.text,
            author_id=person.id,
        )
    )
    session.commit()
    return _conflict(session, translation_id)


def _conflict(session: Session, translation_id: int) -> EditConflict:
    current = _load(session, translation_id).translation
    author = session.get(Person, current.updated_by_id) if current.updated_by_id else None
    who = author.name if author else "someone"
    return EditConflict(
        f"{who} saved this paragraph while you were editing it. Your text was not saved: "
        "compare both, then keep yours or take theirs.",
        current_text=current.text,
        current_version=current.version,
        saved_by=author.name if author else None,
        saved_at=current.updated_at,
    )


def store_draft(
    session: Session, *, translation_id: int, text: str, origin: str, person: Person | None
) -> Translation:
    """Put a machine or memory draft into an empty paragraph (never over a person's text).

    `person` None is the command line, run by an operator of the server.
    """
    ctx = _load(session, translation_id)
    t = ctx.translation
    if person is not None:
        authorize(person, Action.DRAFT, t.lang, ctx.version_state)
    target = _target(Action.DRAFT, TranslationState(t.state))
    values = {
        "text": normalise(text),
        "draft_text": normalise(text),
        "draft_origin": origin,
        "state": target,
        "version": t.version + 1,
        "origin": origin,
        "source_fingerprint": ctx.paragraph.fingerprint,
        "source_text": ctx.paragraph.text,
        "check_from": None,
        "updated_at": utcnow(),
        "updated_by_id": person.id if person else None,
    }
    old_state = t.state
    if not _compare_and_set(session, t, values):
        raise _conflict(session, translation_id)
    record_revision(session, t, person=person, reason="machine draft")
    _log(session, t, Action.DRAFT, person, old_state, target, comment=origin)
    session.commit()
    session.refresh(t)
    return t


def _change_state(
    session: Session,
    translation_id: int,
    person: Person,
    action: Action,
    comment: str = "",
    seen_version: int | None = None,
) -> Translation:
    ctx = _load(session, translation_id)
    t = ctx.translation
    authorize(person, action, t.lang, ctx.version_state)
    _check_seen(session, t, seen_version)
    old_state = TranslationState(t.state)
    target = _target(action, old_state)
    if action is Action.APPROVE and ctx.stale:
        raise StaleTranslation(
            "The English of this paragraph changed after it was translated: "
            "check the translation against the new English and save it before approving."
        )
    if action is Action.APPROVE:
        refuse_self_review(session, person, [t])
        assert t.id is not None
        if errors := open_errors(session, t.story_id, t.lang, [t.id]):
            raise OpenFlags(
                "A check found an error in this paragraph: "
                + "; ".join(message for _, _, message in errors)
                + " Fix the text, or override the flag with a reason."
            )
    values: dict[str, object] = {"state": target, "updated_at": utcnow()}
    if action is Action.APPROVE:
        values["check_from"] = None  # the editor has read it against the current English
    if action is Action.MARK_TRANSLATED:
        # Marking translated is a person vouching for the text against the current English.
        values |= {
            "source_fingerprint": ctx.paragraph.fingerprint,
            "source_text": ctx.paragraph.text,
            "updated_by_id": person.id,
        }
        if ctx.translating:
            values["translated_by_id"] = person.id
    if not _compare_and_set(session, t, values):
        raise InvalidTransition(CHANGED_MEANWHILE)
    record_change(
        session, story_id=t.story_id, lang=t.lang, translation_id=t.id, action=action,
        person=person, from_state=old_state, to_state=target, comment=comment,
        source_fingerprint=ctx.paragraph.fingerprint if action is Action.APPROVE else None,
    )  # fmt: skip
    if action is Action.SEND_BACK and comment:
        add_comment(
            session, story_id=t.story_id, lang=t.lang, person=person, text=comment, translation=t
        )
    if action is Action.SEND_BACK and ctx.version.state is not VersionState.IN_TRANSLATION:
        # The translator must be able to answer: the version goes back to translation.
        _move_version(
            session,
            ctx,
            person,
            VersionState.IN_TRANSLATION,
            f"A paragraph was sent back. {comment}",
        )
    elif action is Action.MARK_TRANSLATED:
        _reopen_if_approved(session, ctx, person)
    session.commit()
    session.refresh(t)
    return t


def _check_seen(session: Session, t: Translation, seen_version: int | None) -> None:
    """Refuse to act on a text the person has not seen: someone saved another one meanwhile."""
    if seen_version is not None and seen_version != t.version:
        author = session.get(Person, t.updated_by_id) if t.updated_by_id else None
        who = author.name if author else "Someone"
        raise InvalidTransition(
            f"{who} saved a new text for this paragraph after you opened it: read it first."
        )


def confirm_translation(
    session: Session, *, translation_id: int, person: Person, seen_version: int | None = None
) -> Translation:
    """Record that a translation still says what the changed English says, with who and when.

    Clears the stale or check mark. An editor's confirmation keeps an approval; a translator's
    returns an approved paragraph to translated, for an editor to approve again.
    """
    ctx = _load(session, translation_id)
    t = ctx.translation
    authorize(person, Action.CONFIRM, t.lang, ctx.version_state)
    _check_seen(session, t, seen_version)
    if not ctx.stale and t.check_from is None:
        raise InvalidTransition("This paragraph's English has not changed: nothing to confirm.")
    old_state = TranslationState(t.state)
    keeps_approval = person.role in (Role.EDITOR, Role.ADMIN)
    target = old_state
    if old_state is TranslationState.APPROVED and not keeps_approval:
        target = TranslationState.TRANSLATED
    values: dict[str, object] = {
        "state": target,
        "source_fingerprint": ctx.paragraph.fingerprint,
        "source_text": ctx.paragraph.text,
        "check_from": None,
        "updated_at": utcnow(),
    }
    comment = "was made from: " + (
        t.check_from if t.check_from is not None else t.source_text or ""
    )
    if not _compare_and_set(session, t, values):
        raise InvalidTransition(CHANGED_MEANWHILE)
    _log(session, t, Action.CONFIRM, person, old_state, target, comment=comment)
    if target is not old_state:
        _reopen_if_approved(session, ctx, person)
    session.commit()
    session.refresh(t)
    return t


def mark_translated(
    session: Session, *, translation_id: int, person: Person, seen_version: int | None = None
) -> Translation:
    """Accept a machine draft or a sent-back paragraph as it is.

    `seen_version`, when given, is the text version the person is looking at: an action on a
    text someone replaced meanwhile is refused.
    """
    return _change_state(
        session, translation_id, person, Action.MARK_TRANSLATED, seen_version=seen_version
    )


def approve_translation(
    session: Session, *, translation_id: int, person: Person, seen_version: int | None = None
) -> Translation:
    """An editor approves one paragraph; refused when its English changed since translation."""
    return _change_state(session, translation_id, person, Action.APPROVE, seen_version=seen_version)


def send_back(
    session: Session,
    *,
    translation_id: int,
    person: Person,
    comment: str = "",
    seen_version: int | None = None,
) -> Translation:
    """An editor returns one paragraph to the translator, with a comment the translator sees.

    A version in review (or approved) goes back to translation, so the translator can answer.
    """
    comment = clean_comment(comment) if comment.strip() else ""
    return _change_state(session, translation_id, person, Action.SEND_BACK, comment, seen_version)
