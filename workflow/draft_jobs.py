"""Drafting a language version as a job on the work queue, off the person's page.

The desk's Draft button and `python -m workflow translate` queue a `draft` job
(`enqueue_draft`: refused at once if the person may not draft the version, and queued once
however often it is asked while it waits); a worker (`worker.Worker` with `draft_handlers`) runs
`drafts.draft_version` for it, noting progress paragraph by paragraph, and the job's result is
the run's report in words, its error what the engine could not do.
"""

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.drafts import draft_version
from workflow.errors import InputError, LockstepError, NotFound
from workflow.jobs import Handler, Outcome, Progress, enqueue, latest, unfinished
from workflow.machinery import Engine, EngineSettings, engine_for
from workflow.models import Job, Person, Story, Suggestion, Translation
from workflow.progress import version_progress
from workflow.states import Action, authorize
from workflow.vocabulary import Origin

DRAFT = "draft"


def draft_key(story_id: int, lang: str) -> str:
    """What a draft job works on: one story's version in one language."""
    return f"story:{story_id}:{lang}"


def enqueue_draft(session: Session, *, story_id: int, lang: str, person: Person | None) -> Job:
    """Queue drafting one version, or return the draft job already waiting for it. `person`
    None is the command line's operator."""
    if lang not in LANGUAGES:
        raise InputError(f"Unknown language {lang!r}: use {', '.join(LANGUAGES)}.")
    if session.get(Story, story_id) is None:
        raise NotFound(f"Story {story_id} does not exist.")
    if person is not None:
        authorize(person, Action.DRAFT, lang, version_progress(session, story_id, lang).state)
    payload = {"story_id": story_id, "lang": lang, "person_id": person.id if person else None}
    return enqueue(session, DRAFT, payload, key=draft_key(story_id, lang))


def latest_draft(session: Session, story_id: int, lang: str) -> Job | None:
    """The most recent draft job of a version: waiting, running or finished."""
    return latest(session, DRAFT, draft_key(story_id, lang))


def pending_draft(session: Session, story_id: int, lang: str) -> Job | None:
    """The draft job of a version that is waiting or running, if any."""
    return unfinished(session, DRAFT, draft_key(story_id, lang))


def drafted_since(session: Session, story_id: int, lang: str, since: datetime) -> set[int]:
    """The version's translations a draft reached since `since`: as their text (an empty or
    stale paragraph) or as a suggestion beside a person's text. Two indexed reads."""
    version = (col(Translation.story_id) == story_id) & (col(Translation.lang) == lang)
    drafted = col(Translation.origin).in_([Origin.MACHINE, Origin.MEMORY])  # not a person's save
    texts = select(Translation.id).where(version, drafted, col(Translation.updated_at) >= since)
    offered = (
        select(Suggestion.translation_id)
        .join(Translation, col(Translation.id) == col(Suggestion.translation_id))
        .where(version, col(Suggestion.created_at) >= since)
    )
    return {i for i in session.exec(texts) if i is not None} | set(session.exec(offered))


EngineChoice = Callable[[Session], Engine]


def run_draft(session: Session, job: Job, progress: Progress, choose: EngineChoice) -> Outcome:
    """Run one draft job: the version's drafts, with the engine the settings choose now."""
    story_id, lang = int(job.payload["story_id"]), str(job.payload["lang"])
    person_id = job.payload.get("person_id")
    person = session.get(Person, person_id) if person_id is not None else None
    try:
        engine = choose(session)
        report = draft_version(
            session, story_id=story_id, lang=lang, engine=engine, person=person, progress=progress
        )
    except LockstepError as refusal:  # a refusal in words (a wrong setting, a story removed):
        return Outcome("", str(refusal))  # asking again would be refused again
    return Outcome(report.summary(), str(report.fault) if report.fault else "")


def draft_handlers(secrets: Mapping[str, str] | None = None) -> dict[str, Handler]:
    """The handlers a worker needs to draft versions; `secrets` may hold the engine's key."""

    def choose(session: Session) -> Engine:
        return engine_for(EngineSettings.load(session, secrets))

    def handler(session: Session, job: Job, progress: Progress) -> Outcome:
        return run_draft(session, job, progress, choose)

    return {DRAFT: handler}
