"""Assignments: who translates and who reviews a language version, by when; and "my work".

A version has at most one translator, one reviewer and a due time. Editors and administrators
assign; the people assigned must work in the version's language, and the reviewer may not be
the translator unless self-review is allowed. A person's work is what is assigned to them,
what came back to them with comments, and what went stale, ordered by due time.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.comments import Thread, paragraph_threads
from workflow.errors import InputError, NotFound
from workflow.languages import language_names
from workflow.models import (
    LanguageVersion,
    Person,
    SourceParagraph,
    Story,
    Translation,
    as_utc,
    utcnow,
)
from workflow.notify.news import tell_assigned
from workflow.progress import VersionProgress, progress
from workflow.queries import with_paragraphs
from workflow.records import Line, Record, RecordKind
from workflow.settings import self_review_allowed
from workflow.states import (
    VERSION_TRANSITIONS,
    Action,
    Role,
    TranslationState,
    VersionState,
    authorize,
    permitted,
)
from workflow.versions import get_version, latest_request
from workflow.writes import apply

TRANSLATING = frozenset({VersionState.IN_TRANSLATION, VersionState.OUTDATED})
FINISHED = frozenset({VersionState.APPROVED, VersionState.PUBLISHED})


@dataclass(frozen=True)
class Assignment:
    """Who holds a language version and by when it is due."""

    translator: str | None
    reviewer: str | None
    due_at: datetime | None


def _assignee(session: Session, person_id: int | None, lang: str, action: Action) -> Person | None:
    if person_id is None:
        return None
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("That person no longer works at this desk.")
    if not permitted(person, action, lang):
        job = "translate" if action is Action.SUBMIT else "review"
        raise InputError(
            f"{person.name} is {person.role.with_article} in "
            f"{language_names(person.language_codes)}: "
            f"they cannot {job} the {LANGUAGES[lang]} version."
        )
    return person


def assign(
    session: Session,
    *,
    story_id: int,
    lang: str,
    person: Person,
    translator_id: int | None,
    reviewer_id: int | None,
    due_at: datetime | None,
) -> LanguageVersion:
    """Set the version's translator, reviewer and due time (None clears each)."""
    version = get_version(session, story_id, lang)
    authorize(person, Action.ASSIGN, lang)
    # Whoever may submit a version can translate it; whoever may approve it can review it.
    translator = _assignee(session, translator_id, lang, Action.SUBMIT)
    reviewer = _assignee(session, reviewer_id, lang, Action.APPROVE_VERSION)
    if (
        translator is not None
        and translator.id == getattr(reviewer, "id", None)
        and not self_review_allowed(session)
    ):
        raise InputError(
            f"{translator.name} cannot review their own translation; choose another reviewer "
            "(an administrator can allow self-review)."
        )

    def write() -> Line:
        was = version.translator_id, version.reviewer_id
        version.translator_id = translator.id if translator else None
        version.reviewer_id = reviewer.id if reviewer else None
        version.due_at = as_utc(due_at)
        session.add(version)
        tell_assigned(session, version, translator_before=was[0], reviewer_before=was[1], by=person)
        due = f"due {version.due_at:%Y-%m-%d %H:%M} UTC" if version.due_at else "no due time"
        return Line(
            comment=f"translator {translator.name if translator else 'nobody'}, "
            f"reviewer {reviewer.name if reviewer else 'nobody'}, {due}"
        )

    # No compare-and-set: an editor's assignment replaces the last one, by design.
    record = Record(RecordKind.VERSION, write, story_id=story_id, lang=lang)
    apply(session, Action.ASSIGN, record, person=person)
    session.refresh(version)
    return version


def take(session: Session, *, story_id: int, lang: str, person: Person) -> LanguageVersion:
    """Take a version nobody holds: to translate it while in translation, to review it while
    in review. Refused when someone took it first."""
    version = get_version(session, story_id, lang)
    authorize(person, Action.TAKE, lang)
    if version.state is VersionState.IN_TRANSLATION and permitted(person, Action.SUBMIT, lang):
        role, column = "translator", LanguageVersion.translator_id
        other = version.reviewer_id
    elif version.state is VersionState.IN_REVIEW and permitted(
        person, Action.APPROVE_VERSION, lang
    ):
        role, column = "reviewer", LanguageVersion.reviewer_id
        other = version.translator_id
    else:
        raise InputError(
            f"The {LANGUAGES[lang]} version is {version.state.label.lower()}: "
            f"there is nothing {person.role.with_article} can take in it now."
        )
    if other == person.id and not self_review_allowed(session):
        raise InputError(
            "You cannot both translate and review a version (an administrator can allow "
            "self-review)."
        )

    def write() -> Line:
        taken = session.exec(
            update(LanguageVersion)  # type: ignore[call-overload]
            .where(col(LanguageVersion.id) == version.id, col(column).is_(None))
            .values({column: person.id})
        ).rowcount
        if taken != 1:  # compare-and-set: only while nobody holds it
            raise InputError("Someone took this version a moment ago; it is theirs now.")
        return Line(comment=f"{person.name} took it as {role}")

    record = Record(RecordKind.VERSION, write, story_id=story_id, lang=lang, permission=Action.TAKE)
    apply(session, Action.ASSIGN, record, person=person)
    session.refresh(version)
    return version


def assignment(session: Session, story_id: int, lang: str) -> Assignment:
    version = get_version(session, story_id, lang)
    names = {
        p.id: p.name
        for p in session.exec(
            select(Person).where(col(Person.id).in_([version.translator_id, version.reviewer_id]))
        )
    }
    return Assignment(
        names.get(version.translator_id), names.get(version.reviewer_id), as_utc(version.due_at)
    )


@dataclass(frozen=True)
class WorkItem:
    """One language version on someone's list, with what needs doing in it."""

    story_id: int
    headline: str
    lang: str
    task: str  # "translate", "review", "in review" (submitted, with the reviewer), or "late"
    state: VersionState
    due_at: datetime | None
    overdue: bool
    sent_back: int  # paragraphs returned with comments
    stale: int
    unfinished: int
    paragraphs: int


def _item(
    story: Story, version: LanguageVersion, task: str, found: VersionProgress, now: datetime
) -> WorkItem:
    due = as_utc(version.due_at)
    return WorkItem(
        story_id=version.story_id,
        headline=story.headline,
        lang=version.lang,
        task=task,
        state=found.state,
        due_at=due,
        # Late is for whoever holds the work: not a translator waiting on the reviewer.
        overdue=due is not None
        and due < now
        and found.state not in FINISHED
        and task != "in review",
        sent_back=found.count(TranslationState.NEEDS_EDITING),
        stale=found.stale,
        unfinished=found.unfinished,
        paragraphs=found.paragraphs,
    )


def _by_due(items: list[WorkItem]) -> list[WorkItem]:
    """Soonest due first; versions without a due time after them, newest story first."""
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(items, key=lambda i: (i.due_at or far, -i.story_id, i.lang))


def my_work(session: Session, person: Person, now: datetime | None = None) -> list[WorkItem]:
    """What is on this person's desk, soonest due first.

    A translator's versions count while in translation or outdated (stale after an English
    change), and are shown while with the reviewer; a reviewer's count while in review. A
    manager's list is every late version.
    """
    now = as_utc(now) or utcnow()
    query = select(LanguageVersion, Story).join(
        Story, col(Story.id) == col(LanguageVersion.story_id)
    )
    if person.role is Role.MANAGER:
        query = query.where(col(LanguageVersion.due_at) < now)
    else:
        query = query.where(
            or_(
                col(LanguageVersion.translator_id) == person.id,
                col(LanguageVersion.reviewer_id) == person.id,
            )
        )
    rows = session.exec(query).all()
    found = progress(session, {version.story_id for version, _ in rows})
    items = []
    for version, story in rows:
        p = found[(version.story_id, version.lang)]
        if person.role is Role.MANAGER:
            if p.state not in FINISHED:
                items.append(_item(story, version, "late", p, now))
            continue
        if version.translator_id == person.id and p.state in TRANSLATING:
            items.append(_item(story, version, "translate", p, now))
        elif version.translator_id == person.id and p.state is VersionState.IN_REVIEW:
            items.append(_item(story, version, "in review", p, now))
        if version.reviewer_id == person.id and p.state is VersionState.IN_REVIEW:
            items.append(_item(story, version, "review", p, now))
    return _by_due(items)


def open_to_take(
    session: Session, person: Person, now: datetime | None = None, limit: int = 20
) -> list[WorkItem]:
    """Versions in the person's languages that nobody holds yet for what they do: in
    translation without a translator, or in review without a reviewer."""
    now = as_utc(now) or utcnow()
    langs = sorted(person.language_codes if person.role is not Role.ADMIN else set(LANGUAGES))
    conditions = []
    if person.role in VERSION_TRANSITIONS[Action.SUBMIT].roles:
        conditions.append(
            (col(LanguageVersion.state) == VersionState.IN_TRANSLATION)
            & col(LanguageVersion.translator_id).is_(None)
        )
    if person.role in VERSION_TRANSITIONS[Action.APPROVE_VERSION].roles:
        conditions.append(
            (col(LanguageVersion.state) == VersionState.IN_REVIEW)
            & col(LanguageVersion.reviewer_id).is_(None)
        )
    if not conditions or not langs:
        return []
    rows = session.exec(
        select(LanguageVersion, Story)
        .join(Story, col(Story.id) == col(LanguageVersion.story_id))
        .where(col(LanguageVersion.lang).in_(langs), or_(*conditions))
        .order_by(col(Story.updated_at).desc())
        .limit(limit)
    ).all()
    found = progress(session, {version.story_id for version, _ in rows})
    return _by_due(
        [
            _item(
                story,
                version,
                "review" if version.state is VersionState.IN_REVIEW else "translate",
                found[(version.story_id, version.lang)],
                now,
            )
            for version, story in rows
        ]
    )


@dataclass(frozen=True)
class CameBack:
    """A paragraph an editor sent back to this person, with the comment and its answers."""

    story_id: int
    headline: str
    lang: str
    position: int | None  # None: a request for changes to the whole version
    thread: Thread | None


def came_back(session: Session, person: Person) -> list[CameBack]:
    """Paragraphs sent back in the versions this person translates, story by story."""
    rows = session.exec(
        with_paragraphs(select(Translation, SourceParagraph.position, Story.headline))
        .join(Story, col(Story.id) == col(Translation.story_id))
        .join(
            LanguageVersion,
            (col(LanguageVersion.story_id) == col(Translation.story_id))
            & (col(LanguageVersion.lang) == col(Translation.lang)),
        )
        .where(
            or_(
                col(LanguageVersion.translator_id) == person.id,
                col(Translation.translated_by_id) == person.id,
            ),
            Translation.state == TranslationState.NEEDS_EDITING,
        )
        .order_by(col(Translation.story_id).desc(), col(SourceParagraph.position))
    ).all()
    threads: dict[int, Thread] = {}
    for story_id in dict.fromkeys(t.story_id for t, _, _ in rows):
        threads |= paragraph_threads(session, story_id)
    found = [
        CameBack(t.story_id, headline, t.lang, position, threads.get(t.id or 0))
        for t, position, headline in rows
    ]
    requested = session.exec(
        select(LanguageVersion, Story.headline)
        .join(Story, col(Story.id) == col(LanguageVersion.story_id))
        .where(
            LanguageVersion.translator_id == person.id,
            LanguageVersion.state == VersionState.IN_TRANSLATION,
        )
    ).all()
    for version, headline in requested:
        thread = latest_request(session, version.story_id, version.lang)
        if thread is not None:
            found.append(CameBack(version.story_id, headline, version.lang, None, thread))
    return found


def candidates(session: Session, lang: str) -> tuple[list[Person], list[Person]]:
    """Who may be assigned to translate, and who to review, a version in this language."""
    people = session.exec(select(Person).order_by(col(Person.name))).all()
    return (
        [p for p in people if permitted(p, Action.SUBMIT, lang)],
        [p for p in people if permitted(p, Action.APPROVE_VERSION, lang)],
    )
