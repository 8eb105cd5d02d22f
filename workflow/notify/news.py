"""News: what a change tells the people whose work it concerns, written as `Notification`s
in the transaction of the change (an outbox, as `events.emit` is for webhooks): a change
undone tells nobody; a change committed never lacks its news.

Who hears of what:

- assigned: the translator or reviewer an assignment newly names (taking work yourself, or
  an assignment saved again as it was, tells nobody);
- sent back: the version's translators (the assigned one and whoever wrote its paragraphs),
  with the editor's comment;
- to review: the version's assigned reviewer, else every editor of the language;
- approved: the version's translators;
- english changed: the translators, assigned reviewer and approvers of every language the
  correction left stale, with those paragraphs and what changed in their English, word by
  word; urgent when that version was published.

Nobody hears of their own action. A person gets one notification per channel they chose
(`choices.timings`; the chat channel only when the desk has one), keyed by the news, the
person and the channel: writing the same news again adds nothing. One to send at once carries
its job on the work queue (`send` sends it); an hourly one waits for the digest.

Subjects and bodies are plain text in the desk's words, escaped nowhere here: the e-mail is
text/plain, and `send` neutralises the chat text.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, union, update
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.edits import word_diff
from workflow.jobs import Retry, add_job
from workflow.links import desk_url
from workflow.models import (
    Change,
    Channel,
    LanguageVersion,
    Notification,
    NotificationKind,
    Person,
    PersonLanguage,
    SourceParagraph,
    Story,
    Timing,
    Translation,
    as_utc,
    insert_for,
    utcnow,
)
from workflow.notify.choices import CHAT_CHANNEL, timings
from workflow.queries import stale_condition, with_paragraphs
from workflow.settings import stored_setting
from workflow.states import Action, Role, VersionState

NOTIFY = "notification"  # the kind of a sending's job
TRIED_FOR = timedelta(days=1)  # a server down is tried again this long, as a webhook is
FIRST_RETRY = 10.0  # seconds before the first retry; doubled for each later one ...
LONGEST_RETRY = 3600.0  # ... up to an hour
MOST_ATTEMPTS = 100  # bounds only a worker that keeps dying while it sends
LONGEST_SUBJECT = 300  # the column's length


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


def tell(
    session: Session, told: Sequence[tuple[News, Iterable[int]]], *, by: Person | None
) -> list[int]:
    """Write each news's notifications to its people (never to `by`), by their choices, in the
    caller's transaction; the ids of those written (news already told adds none)."""
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
            "timing": timing,
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
        if timing is not Timing.OFF and (channel is Channel.EMAIL or has_chat)
    ]
    if not rows:
        return []
    # A retried write or a repeated event tells nothing new: its keys are stored already.
    written = session.exec(
        insert_for(session)(Notification)  # type: ignore[call-overload]
        .values(rows)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(Notification.id), col(Notification.timing))
    ).all()
    at_once = [nid for nid, timing in written if Timing(timing) is Timing.IMMEDIATELY]
    if at_once:
        _queue_sending(session, at_once)
    return [nid for nid, _ in written]


def _queue_sending(session: Session, notification_ids: list[int]) -> None:
    """One job per notification to send at once, tried for a day; each notification names its
    job (two statements however many: the jobs' INSERT and the notifications' UPDATE)."""
    now = utcnow()
    retry = Retry(FIRST_RETRY, LONGEST_RETRY, now + TRIED_FOR)
    jobs = [
        add_job(
            session,
            NOTIFY,
            {"notification_id": nid},
            key=f"notification:{nid}",
            max_attempts=MOST_ATTEMPTS,
            run_after=now,
            retry=retry,
        )
        for nid in notification_ids
    ]
    session.flush()
    session.connection().execute(
        update(Notification)
        .where(col(Notification.id) == bindparam("nid"))
        .values(job_id=bindparam("jid")),
        [{"nid": nid, "jid": job.id} for nid, job in zip(notification_ids, jobs, strict=True)],
    )


def _shortened(subject: str) -> str:
    flat = " ".join(subject.split())  # a subject is one line, whatever a headline holds
    return flat if len(flat) <= LONGEST_SUBJECT else flat[: LONGEST_SUBJECT - 1] + "…"


def _headline(session: Session, story_id: int) -> str:
    story = session.get(Story, story_id)
    return story.headline if story is not None else f"story {story_id}"


def _open_it(story_id: int, lang: str | None) -> str:
    return f"Open it on the desk: {desk_url(story_id, lang)}"


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
    headline, name = _headline(session, story_id), LANGUAGES[lang]
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
                f"{when}.\n\n{_open_it(story_id, lang)}\n",
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
    headline, name = _headline(session, story_id), LANGUAGES[lang]
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
        f"{body}\n{_open_it(story_id, lang)}\n",
    )
    return tell(session, [(news, people)], by=by)


# ----- a correction of the English -----


@dataclass(frozen=True)
class StaleParagraph:
    """A paragraph a correction left stale in a language: where, and its English then and now
    (`before` None when the desk did not keep the English it was translated from)."""

    position: int  # 0 is the headline
    before: str | None
    now: str


def describe_stale(paragraphs: Sequence[StaleParagraph]) -> str:
    """The stale paragraphs in words: each one's English before and now, and the words that
    changed."""
    parts = []
    for p in paragraphs:
        where = "The headline" if p.position == 0 else f"Paragraph {p.position}"
        lines = [where]
        if p.before is not None:
            lines.append(f"  was: {p.before}")
        lines.append(f"  now: {p.now}")
        if p.before is not None and (changed := changes_in_words(p.before, p.now)):
            lines.append(f"  changed: {changed}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def changes_in_words(before: str, now: str) -> str:
    """The words removed and added, in reading order ("removed “7”; added “8”")."""
    said = {"delete": "removed", "insert": "added"}
    return "; ".join(
        f"{said[part.kind]} “{part.text}”" for part in word_diff(before, now) if part.kind in said
    )


def tell_english_changed(
    session: Session,
    story_id: int,
    english_version: int,
    changed_paragraphs: Iterable[int | None],
    *,
    by: Person | None,
) -> list[int]:
    """A correction of the English just written (`english_version` its number): in every
    language it left stale (paragraphs of `changed_paragraphs` now stale there), the
    translators, reviewer and approvers are told, with those paragraphs; urgently where the
    version was published. In the correction's transaction."""
    changed = sorted({pid for pid in changed_paragraphs if pid is not None})
    if not changed:
        return []
    stale: dict[str, list[StaleParagraph]] = {}
    rows = session.exec(
        with_paragraphs(
            select(
                Translation.lang, SourceParagraph.position, Translation.source_text,
                SourceParagraph.text,
            ).select_from(Translation)
        )
        .where(
            Translation.story_id == story_id,
            col(Translation.paragraph_id).in_(changed),
            stale_condition(),
        )
        .order_by(col(Translation.lang), col(SourceParagraph.position))
    )  # fmt: skip
    for lang, position, before, now in rows:
        stale.setdefault(lang, []).append(StaleParagraph(position, before, now))
    if not stale:
        return []
    people = _people_of(session, story_id, set(stale))
    versions = session.exec(
        select(LanguageVersion.lang, LanguageVersion.state).where(
            LanguageVersion.story_id == story_id, col(LanguageVersion.lang).in_(sorted(stale))
        )
    ).all()
    published = {lang for lang, state in versions if state == VersionState.PUBLISHED}
    headline = _headline(session, story_id)
    told = []
    for lang, paragraphs in sorted(stale.items()):
        name, n = LANGUAGES[lang], len(paragraphs)
        urgent = lang in published
        subject = (
            f"The English of the published “{headline}” changed: the {name} version is out of step"
            if urgent
            else f"The English of “{headline}” changed: the {name} version needs checking"
        )
        body = (
            f"The English of “{headline}” was corrected (English version {english_version})"
            + (f" after the {name} version was published" if urgent else "")
            + f". {n} paragraph{'s' if n != 1 else ''} of the {name} version "
            + f"{'are' if n != 1 else 'is'} stale now:\n\n"
            + describe_stale(paragraphs)
            + f"\n\n{_open_it(story_id, lang)}\n"
        )
        about = f"english {english_version}"
        news = News(NotificationKind.ENGLISH_CHANGED, story_id, lang, about, subject, body, urgent)
        told.append((news, people.get(lang, set())))
    return tell(session, told, by=by)


def _people_of(session: Session, story_id: int, langs: set[str]) -> dict[str, set[int]]:
    """Each language's translators, assigned reviewer and approvers: one query."""
    in_langs = sorted(langs)
    version = select(LanguageVersion.lang, LanguageVersion.translator_id).where(
        LanguageVersion.story_id == story_id, col(LanguageVersion.lang).in_(in_langs)
    )
    reviewer = select(LanguageVersion.lang, LanguageVersion.reviewer_id).where(
        LanguageVersion.story_id == story_id, col(LanguageVersion.lang).in_(in_langs)
    )
    wrote = select(Translation.lang, Translation.translated_by_id).where(
        Translation.story_id == story_id, col(Translation.lang).in_(in_langs)
    )
    approved = select(Change.lang, Change.person_id).where(
        Change.story_id == story_id,
        col(Change.lang).in_(in_langs),
        col(Change.action).in_([str(Action.APPROVE), str(Action.APPROVE_VERSION)]),
    )
    found: dict[str, set[int]] = {}
    for lang, person_id in session.execute(union(version, reviewer, wrote, approved)):
        if person_id is not None and lang is not None:
            found.setdefault(lang, set()).add(person_id)
    return found
