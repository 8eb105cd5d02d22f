"""The head of a language version at the desk: its state and progress, what holds it back,
who holds it, and the version's own buttons (submit, approve, publish, request changes, draft,
export)."""

from collections.abc import Callable
from functools import partial

import streamlit as st
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from workflow.desk import VersionHead, version_head
from workflow.errors import LockstepError, UneditedMachineText
from workflow.flags import describe_errors
from workflow.models import Person
from workflow.progress import VersionProgress
from workflow.states import (
    Action,
    TranslationState,
    VersionState,
    edit_refusal,
    permitted,
    version_actions,
)
from workflow.ui.assignments import assignment_panel
from workflow.ui.comments import thread_box
from workflow.ui.common import db, escape_markdown, language_name, md, version_badge
from workflow.ui.drafting import draft_button
from workflow.ui.exports import export_buttons
from workflow.ui.paragraph_actions import BUSY, HEADER, ParagraphKeys, drawn_before
from workflow.ui.story_url import said_of
from workflow.versions import (
    approve_version,
    publish_version,
    request_changes,
    submit_refusal,
    submit_version,
)

ss = st.session_state


def shown_key(story_id: int, lang: str) -> str:
    """Where the desk keeps the ids of the version's translations it last drew."""
    return f"shown-{story_id}-{lang}"


def shown_counters(story_id: int, lang: str) -> dict[int, int]:
    """Each paragraph's lock counter as this page drew it (translation id -> counter): what
    the editor read, which "Approve version" vouches for."""
    ids = ss.get(shown_key(story_id, lang), [])
    return {i: ParagraphKeys(i).base for i in ids if ParagraphKeys(i).known}


def version_header(head: VersionHead, person: Person) -> None:
    """The version's head as a fragment of its own: a paragraph's button reruns it when it
    moves a count (`paragraph_actions.rerun_after`). `head` is what the page run read."""
    st.fragment(_header, key=HEADER)(head, person)


def _header(head: VersionHead, person: Person) -> None:
    if drawn_before(HEADER):
        # Rerun alone, after a paragraph's action: the page run's head is out of date.
        with db() as session:
            head = version_head(session, head.story_id, head.lang)
    show_version_header(head, person)


_STALE = (
    "{} paragraph{} changed in English after translation: edit each, or confirm it is still valid."
)
_TO_CHECK = "{} paragraph{} had a minor English edit (spelling, punctuation): a glance is enough."


LISTED = 8  # errors named at the head; the rest are counted (each paragraph shows its own)


def _plural(count: int) -> str:
    return "s" if count != 1 else ""


def show_version_header(header: VersionHead, person: Person) -> None:
    story_id, lang, progress, state = header.story_id, header.lang, header.progress, header.state
    left, right = st.columns([3, 2])
    with left:
        st.markdown(md("#### {} version", language_name(lang)))
        version_badge(state)
        fraction, line = progress_line(progress)
        st.progress(fraction, text=md("{}", line))
        counts = header.counts  # the version's words beside its English's
        english, translation = counts.english.detailed, counts.of(lang).detailed
        st.caption(md("English: {}  \n{}: {}", english, language_name(lang), translation))
        notices = [
            (st.error, progress.stale, _STALE, ":material/warning:"),
            (st.info, progress.check, _TO_CHECK, ":material/visibility:"),
        ]
        for notice, count, template, icon in notices:
            if count:
                notice(md(template, count, _plural(count)), icon=icon)
        if errors := header.errors:
            st.error(
                md(
                    "Checks found {} error{} nobody fixed or overrode ({}): approving and "
                    "publishing wait for them.",
                    len(errors),
                    _plural(len(errors)),
                    describe_errors(errors[:LISTED])
                    + (f" and {len(errors) - LISTED} more" if len(errors) > LISTED else ""),
                ),
                icon=":material/rule:",
            )
        if (refusal := edit_refusal(person, lang, state)) is not None:
            st.info(escape_markdown(refusal), icon=":material/visibility:")
        assignment_panel(header.held, story_id, lang, person, published_at=header.published_at)
        request = header.request
        if request and state in (VersionState.IN_TRANSLATION, VersionState.IN_REVIEW):
            st.caption("Changes requested for the whole version:")
            thread_box(request, person, key=f"version-{story_id}-{lang}")
    with right:
        version_buttons(story_id, lang, person, state, header.refusals, submit_refusal(progress))
        draft_button(story_id, lang, person, state)
        if state in SITE_BOUND:
            export_buttons(story_id, lang, header.refusals)


# The states in which a version is meant for the site: its downloads are shown, or why not.
SITE_BOUND = frozenset({VersionState.APPROVED, VersionState.OUTDATED, VersionState.PUBLISHED})


def progress_line(progress: VersionProgress) -> tuple[float, str]:
    """The bar's fill and the line over it, from the same counts: "12 of 13 approved · 1
    translated · 1 stale", with no separator where nothing follows."""
    approved = progress.count(TranslationState.APPROVED)
    parts = [f"{approved} of {progress.paragraphs} approved"]
    parts += [
        f"{progress.count(s)} {s.label.lower()}"
        for s in TranslationState
        if progress.count(s) and s is not TranslationState.APPROVED
    ]
    if progress.stale:
        parts.append(f"{progress.stale} stale")
    return approved / max(progress.paragraphs, 1), " · ".join(parts)


_DONE = {
    Action.SUBMIT: "Submitted for review.",
    Action.APPROVE_VERSION: "Approved.",
    Action.PUBLISH: "Published.",
    Action.REQUEST_CHANGES: "Sent back to translation: the version is the translator's again, "
    "and stays on your My work, waiting on the translator, until they submit it.",
}


def _move(lang: str, move: Callable[[Session], object], answered: str = "", done: str = "") -> None:
    """A version button's callback: carry out a move of the whole version, then run the whole
    page: every paragraph's state and buttons follow it. A refusal is said at the head after
    that run, beside paragraphs drawn as they now are (a refusal may name one changed since
    the page was drawn). `answered`: the question this click answers, asked no more."""
    if answered:
        ss.pop(answered, None)
    with db() as session:
        try:
            move(session)
            ss[f"version-done-{lang}"] = done
        except UneditedMachineText as unedited:
            ss[f"unedited-{lang}"] = str(unedited)
        except LockstepError as refused:
            ss[f"version-refused-{lang}"] = str(refused)
        except OperationalError:
            ss[f"version-refused-{lang}"] = BUSY
    st.rerun()


def version_buttons(
    story_id: int,
    lang: str,
    person: Person,
    state: VersionState,
    refusals: list[str],
    unready: str | None = None,
) -> None:
    """The moves this person may make with the version now, each a button; Publish, for those
    who may publish, also when the site may not have the version yet: disabled, its help saying
    why (and the line under the downloads, `exports.export_buttons`)."""
    if refusal := ss.pop(f"version-refused-{lang}", None):
        st.error(escape_markdown(refusal), icon=":material/block:")
    if done := ss.pop(f"version-done-{lang}", None):
        where = f"the {language_name(lang)} version"
        st.success(said_of(done, story_id, where), icon=":material/check:")
    simple = {
        Action.SUBMIT: ("Submit for review", submit_version),
        Action.APPROVE_VERSION: ("Approve version", approve_version),
        Action.PUBLISH: ("Publish", publish_version),
    }
    # Each button acts in its callback, not by its value: a click that also ends typing in a
    # paragraph is one interaction whose rerun that paragraph names, and a button's value is
    # then never read (Streamlit runs the callbacks of such an interaction all the same).
    actions = version_actions(person, lang, state)
    if state is VersionState.OUTDATED and permitted(person, Action.PUBLISH, lang):
        actions = [*actions, Action.PUBLISH]  # shown disabled: the refusals say why
    for action in actions:
        if action in simple:
            label, move = simple[action]
            carry = (
                partial(_approve, story_id, lang, person)
                if action is Action.APPROVE_VERSION
                else partial(move, story_id=story_id, lang=lang, person=person)
            )
            why = {Action.PUBLISH: " ".join(refusals), Action.SUBMIT: unready or ""}.get(action)
            st.button(
                label, key=f"version-{action}-{lang}", type="primary", on_click=_move,
                args=(lang, carry), kwargs={"done": _DONE[action]}, disabled=bool(why),
                help=escape_markdown(why) if why else None,
            )  # fmt: skip
    if warning := ss.get(f"unedited-{lang}"):
        st.warning(escape_markdown(warning), icon=":material/smart_toy:")
        approve = partial(_approve, story_id, lang, person, accept_unedited=True)
        st.button(
            "Approve anyway", key=f"approve-anyway-{lang}", on_click=_move,
            args=(lang, approve, f"unedited-{lang}", _DONE[Action.APPROVE_VERSION]),
        )  # fmt: skip
    if Action.REQUEST_CHANGES in actions:
        with st.popover("Request changes"):
            comment_key = f"request-comment-{lang}"
            st.text_area("What needs changing", key=comment_key)
            st.button(
                "Send back to translation", key=f"request-{lang}", on_click=_request_changes,
                args=(story_id, lang, person, comment_key),
            )  # fmt: skip

    if not actions:
        st.caption(md("As {} you have no action on this version now.", person.role.with_article))


def _approve(
    story_id: int, lang: str, person: Person, session: Session, *, accept_unedited: bool = False
) -> object:
    """Approve the version as the editor read it: the counters are those the page drew, taken
    when the button is clicked (the head is drawn before the paragraphs on a page run)."""
    return approve_version(
        session, story_id=story_id, lang=lang, person=person,
        accept_unedited=accept_unedited, seen=shown_counters(story_id, lang),
    )  # fmt: skip


def _request_changes(story_id: int, lang: str, person: Person, comment_key: str) -> None:
    comment = ss.get(comment_key, "")
    _move(
        lang,
        partial(request_changes, story_id=story_id, lang=lang, person=person, comment=comment),
        done=_DONE[Action.REQUEST_CHANGES],
    )
