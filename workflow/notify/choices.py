"""Who wants to hear what, how and when: each person's `NotificationChoice` rows over the
desk's defaults, and the desk's chat channel (a `Setting` an administrator chooses)."""

from collections.abc import Iterable

from sqlalchemy import and_
from sqlmodel import Session, col, select

from workflow.models import Channel, NotificationChoice, NotificationKind, Person, Timing

CHAT_CHANNEL = "chat_channel_url"  # the Setting holding the desk channel's incoming webhook

# What a person hears of before they choose: their own work at once by e-mail; the rest, and
# anything in the chat channel, only when they ask for it.
DEFAULT_TIMINGS: dict[tuple[NotificationKind, Channel], Timing] = {
    (kind, channel): (
        Timing.IMMEDIATELY
        if channel is Channel.EMAIL and kind is not NotificationKind.DUE_SOON
        else Timing.OFF
    )
    for kind in NotificationKind
    for channel in Channel
}


def timings(
    session: Session, person_ids: Iterable[int], kind: NotificationKind
) -> dict[int, dict[Channel, Timing]]:
    """For each person, when they want to hear of `kind` on each channel: their choice, else
    the default; never by e-mail to someone the desk has no address for. One query whatever
    the number of people."""
    ids = sorted(set(person_ids))
    chosen = {person_id: {c: DEFAULT_TIMINGS[(kind, c)] for c in Channel} for person_id in ids}
    if not ids:
        return chosen
    rows = session.exec(
        select(Person.id, Person.email, NotificationChoice.channel, NotificationChoice.timing)
        .outerjoin(
            NotificationChoice,
            and_(
                col(NotificationChoice.person_id) == Person.id,
                col(NotificationChoice.kind) == kind,
            ),
        )
        .where(col(Person.id).in_(ids))
    )
    for person_id, email, channel, timing in rows:
        assert person_id is not None  # read from the table
        if channel is not None:
            chosen[person_id][Channel(channel)] = Timing(timing)
        if not email:  # signs in by single sign-on only: nowhere to send an e-mail
            chosen[person_id][Channel.EMAIL] = Timing.OFF
    return chosen
