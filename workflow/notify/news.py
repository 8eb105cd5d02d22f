"""News: what a change tells the people whose work it concerns, written as `Notification`s
in the transaction of the change (an outbox, as `events.emit` is for webhooks): a change
undone tells nobody; a change committed never lacks its news.

Who hears of what:

- assigned: the translator or reviewer an assignment newly names (taking work yourself, or
  an assignment saved again as it was, tells nobody);
- sent back: the version's translators (the assigned one and whoever wrote its paragraphs),
  with the editor's comment; it waits `GATHER_FOR` before it goes, and every paragraph sent
  back meanwhile is added to it (`sent_back`);
- to review: the version's assigned reviewer, else every editor of the language;
- approved: the version's translators;
- english changed: the translators, assigned reviewer and approvers of every language the
  correction left stale (`english`).

Nobody hears of their own action. A person gets one notification per channel they chose
(`choices.timings`; the chat channel only when the desk has one), keyed by the news, the
person and the channel: writing the same news again adds nothing. One to send at once carries
its job on the work queue (`send` sends it); an hourly one waits for the digest. Urgent news
goes at once on every channel that is not off, whatever the person chose (`sent_when`): a
correction to a published story cannot wait an hour for a digest.

Subjects and bodies are plain text in the desk's words, escaped nowhere here: the e-mail is
text/plain, and `text.chat_text` neutralises the chat text.
"""

from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, union, update
from sqlmodel import Session, col, select

from workflow import LANGUAGES

# A server that is down is tried again as a webhook's receiver is: for a day, backing off.
from workflow.events import FIRST_RETRY, LONGEST_RETRY, MOST_ATTEMPTS, TRIED_FOR
from workflow.jobs import Retry, add_jobs
from workflow.links import desk_url
from workflow.models import (
    Change,
    Channel,
    LanguageVersion,
    Notification,
    NotificationKind,
    Person,
    PersonLanguage,
    Story,
    Timing,
    Translation,
    as_utc,
    insert_for,
    utcnow,
)
from workflow.notify.choices import CHAT_CHANNEL, timings
from workflow.settings import stored_setting
from workflow.states import Action, Role

NOTIFY = "notification"  # the kind of a sending's job
LONGEST_SUBJECT = 300  # the column's length
# News of a send-back waits this long before it goes at once: an editor sending back several
# paragraphs of a version in a row reaches the translator in one message (`sent_back` adds
# each later paragraph to it while it is unsent), not in one e-mail per paragraph.
GATHER_FOR = timedelta(minutes=2)
GATHERED = {NotificationKind.SENT_BACK}


@dataclass(frozen=True)
class News:
    """One piece of news about a story's version, as its people are told it."""

    kind: NotificationKind
    story_id: int
    lang: str | None
    about: str  # what makes it this news: the audit line or English version it tells of
    subject: str
    body: str
    urgent: bool = False


def notification_key(news: News, person_id: int, channel: Channel) -> str:
    """What one notification tells, to whom and where: never stored twice."""
    where = f"story {news.story_id}:{news.lang or 'en'}"
    return f"{news.kind}:{where}:{news.about}:person {person_id}:{channel}"


# Set while a past is written rather than lived (the demo loading its week): none of it is news.
_telling_nobody: ContextVar[bool] = ContextVar("telling_nobody", default=False)


def told_nobody() -> bool:
    """Whether the changes made now tell nobody (`telling_nobody`)."""
    return _telling_nobody.get()


@contextmanager
def telling_nobody() -> Iterator[None]:
    """Within: the changes made tell nobody (a context variable: only this thread's)."""
    token = _telling_nobody.set(True)
    try:
        yield
    finally:
        _telling_nobody.reset(token)


def tell(
    session: Session,
    told: Sequence[tuple[News, Iterable[int]]],
    *,
    by: Person | None,
    skip: Collection[tuple[int, Channel]] = (),
) -> list[int]:
    """Write each news's notifications to its people (never to `by`), by their choices, in the
    caller's transaction; the ids of those written (news already told adds none; nothing
    within `telling_nobody`; none on the channels `skip` names for a person)."""
    if told_nobody():
        return []
    own = by.id if by is not None else None
    wanted = [(news, sorted(set(ids) - {own, None})) for news, ids in told]
    wanted = [(news, ids) for news, ids in wanted if ids]
    if not wanted:
        return []
    chosen = {
        kind: timings(session, {i for n, ids in wanted if n.kind is kind for i in ids}, kind)
        for kind in {news.kind for news, _ in wanted}
    }
    wants_chat = any(
        by_channel[Channel.CHAT] is not Timing.OFF
        for people in chosen.values()
        for by_channel in people.values()
    )
    has_chat = wants_chat and bool((stored_setting(session, CHAT_CHANNEL) or "").strip())
    now = utcnow()
    rows = [
        {
            "key": notification_key(news, person_id, channel),
            "person_id": person_id,
            "kind": news.kind,
            "channel": channel,
            "timing": sent_when(timing, urgent=news.urgent),
            "urgent": news.urgent,
            "story_id": news.story_id,
            "lang": news.lang,
            "subject": _shortened(news.subject),
            "body": news.body,
            "created_at": now,
        }
        for news, ids in wanted
        for person_id in ids
        for channel, timing in chosen[news.kind][person_id].items()
        if timing is not Timing.OFF
        and (channel is Channel.EMAIL or has_chat)
        and (person_id, channel) not in skip
    ]
    if not rows:
        return []
    # A retried write or a repeated event tells nothing new: its keys are stored already.
    written = session.exec(
        insert_for(session)(Notification)  # type: ignore[call-overload]
        .values(rows)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(Notification.id), col(Notification.timing), col(Notification.kind))
    ).all()
    now_ids: list[int] = []
    gathered: list[int] = []
    for nid, timing, kind in written:
        if Timing(timing) is Timing.IMMEDIATELY:
            (gathered if NotificationKind(kind) in GATHERED else now_ids).append(nid)
    for ids, wait in ((now_ids, timedelta(0)), (gathered, GATHER_FOR)):
        if ids:
            _queue_sending(session, ids, wait)
    return [nid for nid, *_ in written]


def sent_when(chosen: Timing, *, urgent: bool) -> Timing:
    """When news goes on a channel: as the person chose, except urgent news, which goes at once
    on every channel they have not turned off (readers may be reading the wrong facts now)."""
    return Timing.IMMEDIATELY if urgent and chosen is Timing.HOURLY else chosen


def _queue_sending(session: Session, notification_ids: list[int], wait: timedelta) -> None:
    """One job per notification to send `wait` from now, tried for a day, and each
    notification naming its job: two statements however many people are told
    (`jobs.add_jobs`' one INSERT and the notifications' UPDATE)."""
    now = utcnow()
    jobs = add_jobs(
        session, NOTIFY,
        [(f"notification:{nid}", {"notification_id": nid}) for nid in notification_ids],
        max_attempts=MOST_ATTEMPTS, run_after=now + wait,
        retry=Retry(FIRST_RETRY, LONGEST_RETRY, now + TRIED_FOR),
    )  # fmt: skip
    session.connection().execute(
        update(Notification)
        .where(col(Notification.id) == bindparam("nid"))
        .values(job_id=bindparam("jid")),
        [{"nid": nid, "jid": jid} for nid, jid in zip(notification_ids, jobs, strict=True)],
    )


def _shortened(subject: str) -> str:
    flat = " ".join(subject.split())  # a subject is one line, whatever a headline holds
    return flat if len(flat) <= LONGEST_SUBJECT else flat[: LONGEST_SUBJECT - 1] + "…"


def headline_of(session: Session, story_id: int) -> str:
    story = session.get(Story, story_id)
    return story.headline if story is not None else f"story {story_id}"


OPEN_IT = "Open it on the desk: "


def open_it(story_id: int, lang: str | None) -> str:
    return f"{OPEN_IT}{desk_url(story_id, lang)}"


# ----- assignments -----


def tell_assigned(
    session: Session,
    version: LanguageVersion,
    *,
    translator_before: int | None,
    reviewer_before: int | None,
    by: Person,
) -> list[int]:
    """An assignment just written: the translator and reviewer it newly names are told (one
    it named already, or cleared, is not). In the assignment's transaction."""
    story_id, lang = version.story_id, version.lang
    newly = [
        (person_id, job)
        for person_id, before, job in (
            (version.translator_id, translator_before, "translate"),
            (version.reviewer_id, reviewer_before, "review"),
        )
        if person_id is not None and person_id != before and person_id != by.id
    ]
    if not newly:
        return []
    headline, name = headline_of(session, story_id), LANGUAGES[lang]
    due = as_utc(version.due_at)
    when = f", due {due:%Y-%m-%d %H:%M} UTC" if due is not None else ""
    at = f"at {utcnow():%Y%m%dT%H%M%S.%f}"  # each assignment that gives work is news of its own
    told = [
        (
            News(
                NotificationKind.ASSIGNED,
                story_id,
                lang,
                f"{job} {at}",
                subject=f"You are to {job} the {name} version of “{headline}”",
                body=f"{by.name} assigned you to {job} the {name} version of “{headline}”"
                f"{when}.\n\n{open_it(story_id, lang)}\n",
            ),
            [person_id],
        )
        for person_id, job in newly
    ]
    return tell(session, told, by=by)


# ----- a version's moves -----

# The moves of a version its people hear of, and as what.
MOVES_TOLD = {
    Action.SUBMIT: NotificationKind.TO_REVIEW,
    Action.APPROVE_VERSION: NotificationKind.APPROVED,
    Action.REQUEST_CHANGES: NotificationKind.SENT_BACK,
    Action.RETURN_TO_TRANSLATION: NotificationKind.SENT_BACK,  # a paragraph sent back in review
}


def translators(session: Session, story_id: int, lang: str) -> set[int]:
    """Who translates the version: the one assigned and whoever wrote its paragraphs."""
    assigned = select(LanguageVersion.translator_id).where(
        LanguageVersion.story_id == story_id, LanguageVersion.lang == lang
    )
    wrote = select(Translation.translated_by_id).where(
        Translation.story_id == story_id, Translation.lang == lang
    )
    return {pid for (pid,) in session.execute(union(assigned, wrote)) if pid is not None}


def reviewers(session: Session, version: LanguageVersion) -> set[int]:
    """Who reviews the version: its assigned reviewer, else every editor of its language."""
    if version.reviewer_id is not None:
        return {version.reviewer_id}
    editors = (
        select(Person.id)
        .join(PersonLanguage, col(PersonLanguage.person_id) == col(Person.id))
        .where(Person.role == Role.EDITOR, PersonLanguage.lang == version.lang)
    )
    return {pid for pid in session.exec(editors) if pid is not None}


def tell_moved(
    session: Session,
    action: Action,
    version: LanguageVersion,
    change: Change,
    *,
    by: Person | None,
    comment: str = "",
) -> list[int]:
    """A version's move just written (`change` its audit line): its people are told, when the
    move is one they hear of (`MOVES_TOLD`). In the move's transaction."""
    kind = MOVES_TOLD.get(action)
    if kind is None:
        return []
    story_id, lang = version.story_id, version.lang
    people = (
        reviewers(session, version)
        if kind is NotificationKind.TO_REVIEW
        else translators(session, story_id, lang)
    )
    if not people - {by.id if by is not None else None}:
        return []  # nobody to tell: the audit line need not be written early for its id
    session.flush()
    headline, name = headline_of(session, story_id), LANGUAGES[lang]
    who = by.name if by is not None else "The desk"
    subject, did = {
        NotificationKind.TO_REVIEW: (
            f"“{headline}” is submitted for your review ({name})",
            f"submitted the {name} version of “{headline}” for review",
        ),
        NotificationKind.APPROVED: (
            f"“{headline}” is approved ({name})",
            f"approved the {name} version of “{headline}”",
        ),
        NotificationKind.SENT_BACK: (
            f"“{headline}” came back to you with comments ({name})",
            f"sent the {name} version of “{headline}” back to translation",
        ),
    }[kind]
    said = comment.strip()
    body = f"{who} {did}" + (f":\n\n{said}\n" if said else ".\n")
    news = News(
        kind,
        story_id,
        lang,
        f"change {change.id}",
        subject,
        f"{body}\n{open_it(story_id, lang)}\n",
    )
    return tell(session, [(news, people)], by=by)
