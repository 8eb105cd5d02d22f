"""A review round's send-backs, told as one piece of news: an editor who sends back paragraphs
2, 5 and 9 of a version tells its translators of all three, each with its comment.

The first paragraph sent back returns the version to translation, and that move is the news
(`news.tell_moved`). News of a send-back that goes at once waits `news.GATHER_FOR` before it
goes, and each paragraph sent back meanwhile is added to it, before its link: in the
send-back's transaction, a compare-and-set on its text and on its being unsent. A sending
marks news sent only as it read it (`send.send_once`), so news that changed as it was about to
go is read and sent again as it is now. News is added to only while it can still go: unsent,
and its sending (or digest) job, if it has one, queued or running, never failed; news sent or
failed is never changed, and whoever has no such news is told of the paragraph in news of its
own (which the next paragraphs then join).
"""

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.models import (
    Channel,
    Job,
    JobState,
    LanguageVersion,
    Notification,
    NotificationKind,
    Person,
    Translation,
)
from workflow.notify.news import OPEN_IT, News, headline_of, open_it, tell, told_nobody, translators


def tell_sent_back_too(
    session: Session,
    version: LanguageVersion,
    translation: Translation,
    *,
    said: str,
    by: Person | None,
) -> list[int]:
    """A paragraph (`translation`) sent back to a version already back in translation, or
    never submitted (`said`: which paragraph, and the comment). Each translator's newest news
    of a send-back of this version that can still go gets it added, before its link; whoever
    has none is told in news of its own. In the send-back's transaction; the ids of news
    written."""
    if told_nobody():
        return []
    story_id, lang = version.story_id, version.lang
    people = translators(session, story_id, lang) - {by.id if by is not None else None}
    if not people:
        return []
    can_still_go = or_(
        col(Notification.job_id).is_(None),  # hourly, not yet in a digest
        col(Notification.job_id).in_(
            select(Job.id).where(col(Job.state).in_([JobState.QUEUED, JobState.RUNNING]))
        ),
    )
    pending = session.exec(
        select(Notification.id, Notification.person_id, Notification.channel, Notification.body)
        .where(
            Notification.kind == NotificationKind.SENT_BACK,
            Notification.story_id == story_id,
            Notification.lang == lang,
            col(Notification.person_id).in_(people),
            col(Notification.sent_at).is_(None),
            can_still_go,
        )
        .order_by(col(Notification.id).desc())
    ).all()
    added: set[tuple[int, Channel]] = set()
    for nid, pid, channel, body in pending:
        if (pid, Channel(channel)) in added:
            continue  # an older one: the newest takes the paragraph
        # Unsent is checked again in the UPDATE, and a sending marks news sent only as it
        # read it (`send.send_once`): news changed meanwhile goes out as it is now.
        still = (col(Notification.id) == nid) & col(Notification.sent_at).is_(None)
        if session.exec(
            update(Notification)  # type: ignore[call-overload]
            .where(still, col(Notification.body) == body)
            .values(body=with_paragraph(body, said))
        ).rowcount:
            added.add((pid, Channel(channel)))
    headline, name = headline_of(session, story_id), LANGUAGES[lang]
    who = by.name if by is not None else "The desk"
    news = News(
        NotificationKind.SENT_BACK,
        story_id,
        lang,
        # Once per send-back: the paragraph's lock version is new with every write of it.
        f"sent back {translation.id} at {translation.lock_version}",
        f"“{headline}” came back to you with comments ({name})",
        f"{who} sent back a paragraph of the {name} version of “{headline}”:\n\n{said}\n\n"
        f"{open_it(story_id, lang)}\n",
    )
    return tell(session, [(news, people)], by=by, skip=added)


def with_paragraph(body: str, said: str) -> str:
    """The round's news with one more paragraph sent back: before its link, when it has one."""
    head, link, tail = body.rpartition(f"\n{OPEN_IT}")
    if not link:
        return f"{body.rstrip()}\n\n{said}\n"
    return f"{head.rstrip()}\n\n{said}\n{link}{tail}"
