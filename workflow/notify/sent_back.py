"""A review round's send-backs, told as one piece of news: an editor who sends back paragraphs
2, 5 and 9 of a version tells its translators of all three, each with its comment.

The first paragraph sent back returns the version to translation, and that move is the news
(`news.tell_moved`, keyed by its audit line: the round). Each paragraph sent back after it,
until the version is submitted again, is added to that news, before its link, while the news
is unsent: in the send-back's transaction, a compare-and-set on its text and on its being
unsent. A sending marks news sent only as it read it (`send.send_once`), so news that changed
as it was about to go is read and sent again as it is now; news sent is never changed, and
whoever had theirs already is told of the later paragraph in news of its own.
"""

from sqlalchemy import update
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.models import (
    Change,
    Channel,
    LanguageVersion,
    Notification,
    NotificationKind,
    Person,
    utcnow,
)
from workflow.notify.news import (
    MOVES_TOLD,
    OPEN_IT,
    News,
    headline_of,
    notification_key,
    open_it,
    tell,
    told_nobody,
    translators,
)
from workflow.states import Action

# The version moves that open a review round's "came back to you" news.
_ROUND_OPENERS = (Action.REQUEST_CHANGES, Action.RETURN_TO_TRANSLATION)
_VERSION_MOVES = (*MOVES_TOLD, Action.PUBLISH, Action.REOPEN)


def tell_sent_back_too(
    session: Session, version: LanguageVersion, *, said: str, by: Person | None
) -> list[int]:
    """A paragraph sent back to a version already back in translation (`said`: which one, and
    the comment). The round's news (the move that returned the version) still unsent gets it
    added, before its link; whoever's news of the round went out already (or who had none) is
    told in news of its own. In the send-back's transaction; the ids of news written."""
    if told_nobody():
        return []
    story_id, lang = version.story_id, version.lang
    people = translators(session, story_id, lang) - {by.id if by is not None else None}
    if not people:
        return []
    opened = session.exec(
        select(Change.id, Change.action)
        .where(
            Change.story_id == story_id,
            Change.lang == lang,
            col(Change.translation_id).is_(None),
            col(Change.action).in_(_VERSION_MOVES),
        )
        .order_by(col(Change.id).desc())
        .limit(1)
    ).first()
    added: set[tuple[int, Channel]] = set()
    if opened is not None and opened[1] in _ROUND_OPENERS:
        round_news = News(NotificationKind.SENT_BACK, story_id, lang, f"change {opened[0]}", "", "")
        keys = [notification_key(round_news, pid, ch) for pid in people for ch in Channel]
        pending = session.exec(
            select(Notification.id, Notification.person_id, Notification.channel, Notification.body)
            .where(col(Notification.key).in_(keys), col(Notification.sent_at).is_(None))
            .with_for_update()
        ).all()
        for nid, pid, channel, body in pending:
            # Unsent is checked again in the UPDATE, and a sending marks news sent only as it
            # read it (`send.send_once`): news changed meanwhile goes out as it is now.
            still = (col(Notification.id) == nid) & col(Notification.sent_at).is_(None)
            if session.exec(
                update(Notification)  # type: ignore[call-overload]
                .where(still, col(Notification.body) == body)
                .values(body=with_paragraph(body, said))
            ).rowcount:
                added.add((pid, Channel(channel)))
    # Whoever has news of the round sent already hears of this paragraph in news of its own.
    headline, name = headline_of(session, story_id), LANGUAGES[lang]
    who = by.name if by is not None else "The desk"
    news = News(
        NotificationKind.SENT_BACK,
        story_id,
        lang,
        f"send back at {utcnow():%Y%m%dT%H%M%S.%f}",
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
