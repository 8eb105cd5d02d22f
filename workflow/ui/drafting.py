"""Drafts at the desk: the drafting button (a job on the work queue, run by this process's
worker, `ui.worker`) and its progress, suggestions beside a paragraph, post-editing figures."""

from contextlib import suppress
from datetime import timedelta
from functools import partial

import streamlit as st
from sqlalchemy.exc import OperationalError
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from workflow.desk import DeskRow, TranslationView
from workflow.draft_jobs import drafted_since, enqueue_draft, latest_draft
from workflow.drafts import dismiss_suggestion, set_embargo
from workflow.errors import LockstepError, NotFound
from workflow.models import Job, JobState, Person, Story, utcnow
from workflow.states import Action, VersionState, permitted
from workflow.ui.common import attempt, db, escape_markdown, md, show_diff
from workflow.ui.paragraph_actions import (
    BUSY,
    HEADER,
    OFFERED,
    ParagraphKeys,
    use_arrived_if_untouched,
)
from workflow.ui.story_url import said_of, story_named
from workflow.ui.worker import app_worker
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


def draft_button(story_id: int, lang: str, person: Person, state: VersionState) -> None:
    """Draft every empty or stale paragraph, off the page: the click queues a job and returns;
    the desk shows its progress and the drafts as they arrive."""
    app_worker()  # also takes over jobs an earlier process left unfinished
    if refused := ss.pop(_refused(lang), None):
        st.error(escape_markdown(refused), icon=":material/block:")
    # An approved or published version in step with its English has nothing to draft.
    settled = state in (VersionState.APPROVED, VersionState.PUBLISHED)
    if not settled and permitted(person, Action.DRAFT, lang, state):
        assert person.id is not None
        # A callback, not the button's value: a click that also ends typing in a paragraph
        # (one interaction, whose rerun that paragraph's callback names) is still carried out.
        st.button(
            "Draft empty and stale paragraphs",
            key=f"draft-{lang}",
            help="Translation memory first; the machine engine only for what memory lacks. "
            "Runs in the background: keep working while the drafts arrive.",
            on_click=_queue_draft,
            args=(story_id, lang, person.id),
        )
    draft_progress(story_id, lang)
    if arrived := ss.get(ARRIVED, set()) | ss.get(OFFERED, set()):
        st.button(
            f"Put the {len(arrived)} drafts that arrived into their boxes",
            key=f"use-arrived-{lang}",
            type="primary",
            help="Each box that holds no unsaved text of yours takes its draft.",
            on_click=_use_arrived_drafts,
        )


def _use_arrived_drafts() -> None:
    for translation_id in ss.pop(ARRIVED, set()) | ss.pop(OFFERED, set()):
        use_arrived_if_untouched(ParagraphKeys(translation_id))
    st.rerun()  # every paragraph shows its box as it now is


def _refused(lang: str) -> str:
    return f"draft-refused-{lang}"


def _queue_draft(story_id: int, lang: str, person_id: int) -> None:
    with db() as session:
        person = session.get(Person, person_id)
        try:
            if person is None:
                raise NotFound("Your account no longer exists: sign in again.")
            job = enqueue_draft(session, story_id=story_id, lang=lang, person=person)
        except LockstepError as refusal:
            ss[_refused(lang)] = str(refusal)
        except OperationalError:
            ss[_refused(lang)] = BUSY
        else:
            ss[_watching(lang)] = job.id
            app_worker().wake()
    st.rerun([HEADER])  # the head shows the progress; the paragraphs stay as they are


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
        st.fragment(_poll_draft, run_every=POLL_EVERY)(story_id, lang, job.id)
    elif ss.get(_watching(lang)) == job.id:
        del ss[_watching(lang)]
        if job.state is JobState.FAILED:
            st.error(md("Drafting failed: {} ({})", job.error, story_named(story_id)))
        elif job.error:
            st.warning(said_of(job.result or job.error, story_id))
        else:
            st.success(said_of(job.result, story_id))


POLL_EVERY = 1.0  # seconds between looks at a running draft job
# A write is stamped before it commits: look back this far so none is missed between polls.
LOOK_BACK = timedelta(seconds=10)
ARRIVED = "drafts-arrived"  # translation ids a draft reached by a poll, not by the person


def _poll_draft(story_id: int, lang: str, job_id: int) -> None:
    """The job's progress; the paragraphs whose drafts arrived since the last look, and the
    version's head, drawn again (those alone: the page does not rerun); the whole page once
    the job ends. A paragraph drawn again this way never replaces what is in its box: the
    person may be typing there (see `arrived_while_typing`)."""
    seen_key, look_key = f"draft-seen-{job_id}", f"draft-looked-{job_id}"
    with db() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        now, last = utcnow(), ss.get(look_key)
        since = job.created_at if last is None else last - LOOK_BACK
        seen: set[int] = ss.get(seen_key, set())
        landed = drafted_since(session, story_id, lang, since) - seen
    ss[seen_key], ss[look_key] = seen | landed, now
    ss.setdefault(ARRIVED, set()).update(landed)
    if job.state in (JobState.DONE, JobState.FAILED):
        # The page is drawn whole once more: every box a draft reached keeps what it holds.
        ss[ARRIVED].update(ss.pop(seen_key, set()))
        ss.pop(look_key, None)
        st.rerun()
    waiting = "Waiting for the drafting worker…" if job.state is JobState.QUEUED else ""
    st.progress(
        job.done / job.total if job.total else 0.0,
        text=waiting
        or f"Drafting in the background: {job.done} of {job.total} paragraphs. "
        "Keep working: drafts appear as they arrive.",
    )
    if landed:
        rerun_fragments([HEADER, *(ParagraphKeys(i).fragment for i in sorted(landed))])


def rerun_fragments(keys: list[str]) -> None:
    """Draw again the keyed fragments named (those drawn on this page), from a fragment's
    body. Streamlit's `st.rerun(keys)` allows it only from a widget callback, because from a
    body it ends the run in progress: here the poll has nothing left to draw, so it asks the
    runner the same way `st.rerun` does."""
    ctx = get_script_run_ctx()
    if ctx is None or ctx.script_requests is None:
        return
    ids: list[str] = []
    for key in keys:
        with suppress(StreamlitAPIException):  # a paragraph the filter does not show
            ids += ctx.fragment_storage.resolve_target(key)
    if not ids:
        return
    ctx.script_requests.request_rerun(
        RerunData(
            query_string=ctx.query_string,
            page_script_hash=ctx.page_script_hash,
            fragment_id_queue=ids,
            is_fragment_scoped_rerun=True,
            cached_message_hashes=ctx.cached_message_hashes,
            context_info=ctx.context_info,
        )
    )
    st.empty()  # a yield point: the runner takes the request here


def arrived_while_typing(translation_id: int) -> bool:
    """Whether this paragraph is drawn because a draft reached it (not because the person
    acted): then its box keeps what the browser holds, and the draft is offered instead."""
    arrived: set[int] = ss.get(ARRIVED, set())
    if translation_id in arrived:
        arrived.discard(translation_id)
        return True
    return False


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
            "{} paragraph{} started from a machine draft: {} unedited, {:.0f}% changed on "
            "average by people.",
            len(machine),
            "" if len(machine) == 1 else "s",
            unedited,
            mean,
        )
    )


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
