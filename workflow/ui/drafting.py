"""Drafts at the desk: the drafting button (a job on the work queue, run by this process's
worker) and its progress, suggestions beside a paragraph, post-editing figures."""

import time
from functools import partial

import streamlit as st

from workflow.database import database_url
from workflow.desk import DeskRow, TranslationView
from workflow.draft_jobs import draft_handlers, enqueue_draft, latest_draft
from workflow.drafts import dismiss_suggestion, set_embargo
from workflow.jobs import Worker
from workflow.models import Job, JobState, Person, Story
from workflow.states import Action, VersionState, permitted
from workflow.ui.common import attempt, db, engine, escape_markdown, md, secrets, show_diff
from workflow.ui.paragraph_actions import ParagraphKeys
from workflow.vocabulary import Origin

ss = st.session_state


def embargo_toggle(story_id: int, person: Person) -> None:
    with db() as session:
        story = session.get(Story, story_id)
    if story is None:
        return
    if not permitted(person, Action.EMBARGO):
        if story.embargoed:
            st.caption(":material/lock: Under embargo: never sent to an outside engine.")
        return
    wanted = st.toggle(
        "Embargoed",
        value=story.embargoed,
        key=f"embargo-{story_id}",
        help="An embargoed story is never sent to an outside machine-translation engine.",
    )
    if wanted != story.embargoed:
        with db() as session:
            attempt(
                partial(set_embargo, session, story_id=story_id, embargoed=wanted, person=person)
            )


@st.cache_resource(show_spinner=False)
def _desk_worker(url: str) -> Worker:
    """This app process's worker for the desk's database, started once (the URL keys it)."""
    return Worker(engine(), draft_handlers(secrets())).start()


def desk_worker() -> Worker:
    return _desk_worker(database_url()).start()  # again after a stop (a test's end)


def draft_button(story_id: int, lang: str, person: Person, state: VersionState) -> None:
    """Draft every empty or stale paragraph, off the page: the click queues a job and returns;
    the desk shows its progress and the drafts as they arrive."""
    worker = desk_worker()  # also takes over jobs an earlier process left unfinished
    if permitted(person, Action.DRAFT, lang, state) and st.button(
        "Draft empty and stale paragraphs",
        key=f"draft-{lang}",
        help="Translation memory first; the machine engine only for what memory lacks. Runs "
        "in the background: keep working while the drafts arrive.",
    ):
        with db() as session:
            job = attempt(
                partial(enqueue_draft, session, story_id=story_id, lang=lang, person=person)
            )
        if job is not None:
            ss[_watching(lang)] = job.id
            worker.wake()
    draft_progress(story_id, lang)


def _watching(lang: str) -> str:
    return f"draft-job-{lang}"


def draft_progress(story_id: int, lang: str) -> None:
    """While a draft job of this version waits or runs: its progress, polled by a fragment.
    Once the job this person started has ended: what it did, said once."""
    with db() as session:
        job = latest_draft(session, story_id, lang)
    if job is None or job.id is None:
        return
    if job.state in (JobState.QUEUED, JobState.RUNNING):
        ss.setdefault(_watching(lang), job.id)
        st.fragment(_poll_draft, run_every=POLL_EVERY)(job.id)
    elif ss.get(_watching(lang)) == job.id:
        del ss[_watching(lang)]
        if job.state is JobState.FAILED:
            st.error(md("Drafting failed: {}", job.error))
        elif job.error:
            st.warning(escape_markdown(job.result or job.error))
        else:
            st.success(escape_markdown(job.result))


POLL_EVERY = 1.0  # seconds between looks at a running draft job
REFRESH_EVERY = 4.0  # seconds at least between page refreshes that show arrived drafts


def _poll_draft(job_id: int) -> None:
    """The job's progress; the whole page again when drafts arrived (every few seconds at
    most, so a long run does not keep redrawing the desk) and when the job ends.

    A page run keeps every widget's value, so text typed and not yet saved stays in its box.
    """
    with db() as session:
        job = session.get(Job, job_id)
    if job is None:
        return
    shown_key = f"draft-shown-{job_id}"
    shown, when = ss.get(shown_key, (0, 0.0))
    if job.state in (JobState.DONE, JobState.FAILED):
        ss.pop(shown_key, None)
        st.rerun()
    waiting = "Waiting for the drafting worker…" if job.state is JobState.QUEUED else ""
    st.progress(
        job.done / job.total if job.total else 0.0,
        text=waiting
        or f"Drafting in the background: {job.done} of {job.total} paragraphs. "
        "Keep working: drafts appear as they arrive.",
    )
    if job.done > shown and time.monotonic() - when >= REFRESH_EVERY:
        ss[shown_key] = (job.done, time.monotonic())
        st.rerun()


def machine_summary(rows: list[DeskRow], lang: str) -> None:
    """How much of the version started as machine text, and how much people changed it."""
    started = [r.translations[lang] for r in rows if r.translations[lang].draft_change is not None]
    machine = [t for t in started if t.draft_origin is Origin.MACHINE]
    if not machine:
        return
    unedited = sum(t.unedited_machine_text for t in machine)
    edited = [t.draft_change or 0 for t in machine if t.text]
    mean = sum(edited) / len(edited) if edited else 0
    st.caption(
        md(
            "{} paragraphs started from a machine draft: {} unedited, {:.0f}% changed on "
            "average by people.",
            len(machine),
            unedited,
            mean,
        )
    )


def origin_badge(t: TranslationView) -> None:
    if not t.draft_origin or t.draft_change is None or not t.text:
        return
    source = t.draft_origin.label
    if t.draft_change == 0:
        st.badge(f"{source} text, unedited", color="violet")
    else:
        st.badge(f"{source} draft, {t.draft_change}% edited", color="gray")


def suggestions(t: TranslationView, english: str, keys: ParagraphKeys, person: Person) -> None:
    """Drafts offered beside a person's text: use one (into the box, not saved) or dismiss it."""
    for suggestion in t.suggestions:
        kind = suggestion.origin.label
        with st.container(border=True):
            st.caption(md("Suggestion · {} · {}% match", kind, suggestion.match))
            st.text(suggestion.text)
            if suggestion.source_text != english:
                st.caption("How its English differs from this paragraph's:")
                show_diff(suggestion.source_text, english)
            with st.container(horizontal=True):
                st.button(
                    "Use",
                    key=f"use-{suggestion.id}",
                    on_click=_use,
                    args=(keys, suggestion.text, suggestion.origin, suggestion.id, person.id),
                    help="Puts the suggestion in the box; nothing is saved until you save.",
                )
                st.button(
                    "Dismiss",
                    key=f"dismiss-{suggestion.id}",
                    on_click=_dismiss,
                    args=(suggestion.id, person.id),
                )


def _use(
    keys: ParagraphKeys, text: str, origin: Origin, suggestion_id: int, person_id: int
) -> None:
    ss[keys.text] = ss[keys.draft] = text
    # Saved as it is, it counts as machine or memory text, not as a person's work.
    ss[keys.used] = (text, origin)
    _dismiss(suggestion_id, person_id)


def _dismiss(suggestion_id: int, person_id: int) -> None:
    ss["dismiss-suggestion"] = (suggestion_id, person_id)


def carry_out_dismissal() -> None:
    """Dismissals asked by buttons, carried out at the start of the next run."""
    if asked := ss.pop("dismiss-suggestion", None):
        suggestion_id, person_id = asked
        with db() as session:
            person = session.get(Person, person_id)
            if person is not None:
                attempt(
                    partial(dismiss_suggestion, session, suggestion_id=suggestion_id, person=person)
                )
