"""Moving a whole language version: submit for review, approve, request changes, publish.

Each verb checks what the move needs (every paragraph finished, nothing stale, no open error)
and makes it through `writes.move_version`; approving the version approves its paragraphs
through `writes.apply`, set-wise, in the same transaction."""

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from workflow import LANGUAGES
from workflow.comments import Thread, add_comment, clean_comment, version_thread
from workflow.errors import (
    InputError,
    InvalidTransition,
    NotFound,
    NotPublishable,
    OpenFlags,
    StaleTranslation,
    UneditedMachineText,
    VersionChanged,
    VersionNotReady,
)
from workflow.flags import describe_errors, open_errors
from workflow.models import Change, LanguageVersion, Person, SourceParagraph, Translation, utcnow
from workflow.progress import VersionProgress, stale_positions, version_progress
from workflow.queries import in_story, of_version
from workflow.settings import refuse_self_review
from workflow.states import (
    VERSION_TRANSITIONS,
    Action,
    TranslationState,
    VersionState,
    authorize,
)
from workflow.writes import Edit, Paragraph, apply, last_write, move_version, transaction


def get_version(session: Session, story_id: int, lang: str) -> LanguageVersion:
    if lang not in LANGUAGES:
        raise NotFound(f"Lockstep translates into {', '.join(LANGUAGES)}, not {lang!r}.")
    version = session.exec(
        select(LanguageVersion).where(
            LanguageVersion.story_id == story_id, LanguageVersion.lang == lang
        )
    ).first()
    if version is None:
        raise NotFound(f"Story {story_id} has no {LANGUAGES[lang]} version.")
    return version


def _unfinished_message(progress: VersionProgress, what: str) -> str:
    parts = [
        f"{progress.count(state)} {state.label.lower()}"
        for state in (
            TranslationState.EMPTY,
            TranslationState.MACHINE_DRAFT,
            TranslationState.NEEDS_EDITING,
        )
        if progress.count(state)
    ]
    n = progress.unfinished
    return (
        f"{n} paragraph{'s are' if n != 1 else ' is'} not translated yet ({', '.join(parts)}): "
        f"translate or mark {'them' if n != 1 else 'it'} translated before {what}."
    )


def _stale_message(stale_at: Sequence[int], what: str) -> str:
    n = len(stale_at)
    where = ", ".join("the headline" if p == 0 else f"paragraph {p}" for p in stale_at)
    return (
        f"{n} paragraph{'s' if n != 1 else ''} changed in English after translation ({where}): "
        f"check and save {'them' if n != 1 else 'it'} before {what}."
    )


def _stale_refusal(session: Session, progress: VersionProgress, what: str) -> StaleTranslation:
    stale_at = stale_positions(session, progress.story_id, progress.lang)
    return StaleTranslation(_stale_message(stale_at, what))


def english_fingerprint(session: Session, story_id: int) -> str:
    """One fingerprint of the story's whole English as it stands: what an approval vouches for."""
    fingerprints = session.exec(in_story(select(SourceParagraph.fingerprint), story_id)).all()
    return hashlib.sha256("\n".join(fingerprints).encode()).hexdigest()


def _prepare(
    session: Session, story_id: int, lang: str, action: Action, person: Person
) -> tuple[LanguageVersion, VersionProgress]:
    version = get_version(session, story_id, lang)
    authorize(person, action, lang)
    progress = version_progress(session, story_id, lang)
    if progress.state not in VERSION_TRANSITIONS[action].sources:
        raise InvalidTransition(
            f"The {LANGUAGES[lang]} version is {progress.state.label.lower()}; "
            f"it cannot {action} now."
        )
    return version, progress


def _errors_message(errors: list[tuple[int, str, str]], what: str) -> str:
    return (
        f"Checks found errors nobody fixed or overrode, so {what}: "
        f"{describe_errors(errors)}. Fix each text, or override the flag with a reason."
    )


def _refuse_open_errors(session: Session, story_id: int, lang: str, what: str) -> None:
    if errors := open_errors(session, story_id, lang):
        raise OpenFlags(_errors_message(errors, what))


def submit_refusal(progress: VersionProgress) -> str | None:
    """Why the version cannot go to the editors yet for want of translation (None: it may, as
    far as its paragraphs go; stale ones are said on submitting, naming each)."""
    return _unfinished_message(progress, "submitting") if progress.unfinished else None


def submit_version(
    session: Session, *, story_id: int, lang: str, person: Person
) -> LanguageVersion:
    """A translator hands a finished version to the editors."""
    version, progress = _prepare(session, story_id, lang, Action.SUBMIT, person)
    if (unready := submit_refusal(progress)) is not None:
        raise VersionNotReady(unready)
    if progress.stale:
        raise _stale_refusal(session, progress, "submitting")
    return move_version(session, Action.SUBMIT, version, person=person, seen=progress.state)


UNEDITED_SHARE = 0.25  # from this share of unedited machine paragraphs, approval asks first


def unedited_machine_text(session: Session, story_id: int, lang: str) -> int:
    """Paragraphs whose text is still exactly what an engine drafted."""
    query = of_version(select(func.count()).select_from(Translation), story_id, lang)
    return session.exec(
        query.where(
            col(Translation.draft_origin).startswith("machine"),
            col(Translation.text) == col(Translation.draft_text),
            Translation.text != "",
        )
    ).one()


def approve_version(
    session: Session,
    *,
    story_id: int,
    lang: str,
    person: Person,
    accept_unedited: bool = False,
    seen: Mapping[int, int] | None = None,
) -> LanguageVersion:
    """An editor approves the whole version: every translated paragraph becomes approved.

    Refused while any paragraph is unfinished or stale, so nothing stale is approved by accident;
    when many paragraphs are machine text nobody edited, the editor must confirm
    (`accept_unedited`), as Wikipedia's Content Translation asks. `seen` holds the lock counter
    of each paragraph as the editor's page showed it (translation id -> counter): a paragraph
    saved since, or never shown, is refused by name and nothing is approved, so nobody approves
    text they have not read. None is for callers with no page (benchmarks, scripts): the
    counters read now.
    """
    version, progress = _prepare(session, story_id, lang, Action.APPROVE_VERSION, person)
    if progress.unfinished:
        raise VersionNotReady(_unfinished_message(progress, "approving"))
    if progress.stale:
        raise _stale_refusal(session, progress, "approving")
    _refuse_open_errors(session, story_id, lang, "approving waits")
    rows = session.exec(
        of_version(select(Translation, SourceParagraph), story_id, lang).where(
            Translation.state == TranslationState.TRANSLATED
        )
    ).all()
    refuse_self_review(session, person, [t for t, _ in rows])
    if seen is not None:
        _refuse_unseen_changes(session, rows, seen)
    unedited = unedited_machine_text(session, story_id, lang)
    if not accept_unedited and unedited >= UNEDITED_SHARE * max(progress.paragraphs, 1):
        raise UneditedMachineText(
            f"{unedited} of {progress.paragraphs} paragraphs are machine text nobody edited. "
            "Read them, or confirm that you approve them as they are."
        )
    pending = [Paragraph(t, english, version, progress.state) for t, english in rows]
    approve = Edit(
        {"state": TranslationState.APPROVED, "check_from": None, "updated_at": utcnow()},
        comment="with the whole version",
    )
    with transaction(session):  # every paragraph and the version, or nothing
        apply(
            session, Action.APPROVE, pending, person=person,
            expect=[t.lock_version for t, _ in rows], edit=approve,
        )  # fmt: skip
        move_version(
            session, Action.APPROVE_VERSION, version, person=person, seen=progress.state,
            vouches_for=english_fingerprint(session, story_id),
        )  # fmt: skip
    return version


def _refuse_unseen_changes(
    session: Session, rows: Sequence[tuple[Translation, SourceParagraph]], seen: Mapping[int, int]
) -> None:
    """Refuse, naming each, the paragraphs saved since the page approving them was drawn."""
    changed = [(t, english) for t, english in rows if seen.get(t.id or 0) != t.lock_version]
    if not changed:
        return
    said = []
    for t, english in changed:
        where = "the headline" if english.position == 0 else f"paragraph {english.position}"
        who, did, _ = last_write(session, t)  # who saved, confirmed, sent back...
        said.append(f"{where} ({who or 'the system'} {did})")
    raise VersionChanged(
        f"Changed since you opened the version: {', '.join(said)}. Nothing was approved: "
        "read the new text, then approve again."
    )


def request_changes(
    session: Session, *, story_id: int, lang: str, person: Person, comment: str
) -> LanguageVersion:
    """An editor sends the version back to translation, saying what to change."""
    if not comment.strip():
        raise InputError("Say what needs changing: the translator sees your comment.")
    comment = clean_comment(comment)
    version, progress = _prepare(session, story_id, lang, Action.REQUEST_CHANGES, person)
    with transaction(session):
        add_comment(session, story_id=story_id, lang=lang, person=person, text=comment)
        move_version(
            session, Action.REQUEST_CHANGES, version, person=person, seen=progress.state,
            comment=comment,
        )  # fmt: skip
    return version


def publish_refusals(
    progress: VersionProgress, stale_at: Sequence[int], errors: Sequence[tuple[int, str, str]]
) -> list[str]:
    """Every reason the version's text may not go to the site now, in words; none when it may.

    The one gate of the site: Publish and the site's exports (Markdown, HTML, JSON, at the desk
    and on the command line) both ask it, so neither lets out what the other refuses. Given
    what the caller read: the version's progress, where its stale paragraphs are (0 is the
    headline) and its open errors (`flags.open_errors`)."""
    name, state = LANGUAGES[progress.lang], progress.state
    reasons = []
    if state in (VersionState.IN_TRANSLATION, VersionState.IN_REVIEW):
        reasons.append(
            f"The {name} version is {state.label.lower()}: only a version an editor approved "
            "goes to the site."
        )
    elif progress.count(TranslationState.APPROVED) != progress.paragraphs:
        reasons.append("Some paragraphs are no longer approved: review them first.")
    if stale_at:
        outdated = f"The {name} version is outdated. " if state is VersionState.OUTDATED else ""
        reasons.append(outdated + _stale_message(stale_at, "publishing or exporting"))
    if errors:
        reasons.append(_errors_message(list(errors), "publishing and exporting wait"))
    return reasons


def site_refusals(session: Session, story_id: int, lang: str) -> list[str]:
    """`publish_refusals` for the version as stored now."""
    progress = version_progress(session, story_id, lang)
    stale_at = stale_positions(session, story_id, lang) if progress.stale else []
    return publish_refusals(progress, stale_at, open_errors(session, story_id, lang))


def refuse_unpublishable(session: Session, story_id: int, lang: str) -> None:
    """Raise `NotPublishable`, with every reason, unless the version may go to the site."""
    if reasons := site_refusals(session, story_id, lang):
        raise NotPublishable(reasons)


def publish_version(
    session: Session, *, story_id: int, lang: str, person: Person | None, detail: str = ""
) -> LanguageVersion:
    """Publish an approved version; refused, with the reasons the exports give, unless the site
    may have it (`publish_refusals`), and refused once it is published.

    `person` None is no one signed in: the command line's operator, or the CMS reporting that
    it published the version (its audit line names it, `history.acting_as`). `detail` goes
    into the audit line (where and when the CMS published it)."""
    version = get_version(session, story_id, lang)
    if person is not None:
        authorize(person, Action.PUBLISH, lang)
    refuse_unpublishable(session, story_id, lang)
    state = version_progress(session, story_id, lang).state
    if state not in VERSION_TRANSITIONS[Action.PUBLISH].sources:
        raise InvalidTransition(f"The {LANGUAGES[lang]} version is {state.label.lower()} already.")
    return move_version(session, Action.PUBLISH, version, person=person, seen=state, detail=detail)


def last_published(
    session: Session, story_id: int, lang: str
) -> tuple[datetime, str | None] | None:
    """When the version was last published and by whom (the audit log's line), None if never."""
    found = session.exec(
        select(Change.created_at, Person.name)
        .join(Person, col(Person.id) == col(Change.person_id), isouter=True)
        .where(Change.story_id == story_id, Change.lang == lang, Change.action == Action.PUBLISH)
        .order_by(col(Change.id).desc())
        .limit(1)
    ).first()
    return (found[0], found[1]) if found is not None else None


def published_at(session: Session, story_id: int, lang: str) -> datetime | None:
    """When the version was last published, None if never."""
    return found[0] if (found := last_published(session, story_id, lang)) else None


def latest_request(session: Session, story_id: int, lang: str) -> Thread | None:
    """The thread of the last request for changes, while it is open: through the translator's
    work and the resubmission (so the editor reads the answers), until the version is approved
    or changes are requested again."""
    version_moves = (Action.REQUEST_CHANGES, Action.APPROVE_VERSION)
    last = session.exec(
        select(Change.action)
        .where(
            Change.story_id == story_id,
            Change.lang == lang,
            col(Change.translation_id).is_(None),
            col(Change.action).in_([str(a) for a in version_moves]),
        )
        .order_by(col(Change.id).desc())
        .limit(1)
    ).first()
    if last != Action.REQUEST_CHANGES:
        return None
    return version_thread(session, story_id, lang)
