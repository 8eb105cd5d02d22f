"""Events: what the desk tells outside systems (a CMS) when something that matters happens to
a story, and `emit`, the one place a change announces one.

An event is emitted inside the transaction of the change it reports, as an outbox: `emit` adds
one delivery job per active webhook that asked for the event, and the change's own commit
queues them. A change undone queues nothing; a change committed never lacks its events.
Sending, signing and retrying the deliveries is `webhooks`' work, on the durable work queue.

One story's events are queued in the order their changes commit: on PostgreSQL `emit` holds
a lock on the story's events until its transaction ends, so a second change's deliveries
never take lower ids than the first's, nor commit before them.

Every delivery of one event carries the same body, whose `id` is the event's idempotency key:
a retry or a resend sends the same bytes, so a receiver that saw the key already can skip it.
"""

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from workflow.jobs import Retry, add_jobs
from workflow.links import desk_url
from workflow.models import Story, Webhook, utcnow
from workflow.progress import version_progress
from workflow.states import VersionState
from workflow.timestamps import rfc3339


class WebhookEvent(StrEnum):
    """The events a webhook may ask for, named as receivers see them."""

    STORY_IMPORTED = "story.imported"
    ENGLISH_CORRECTED = "english.corrected"  # data: the stale paragraphs per language
    VERSION_SUBMITTED = "version.submitted"
    VERSION_APPROVED = "version.approved"
    VERSION_OUTDATED = "version.outdated"  # an approved or published version fell behind
    VERSION_PUBLISHED = "version.published"


DELIVER = "webhook"  # the kind of a delivery's job
TRIED_FOR = timedelta(days=1)  # a delivery is retried this long after its event, then failed
FIRST_RETRY = 10.0  # seconds before the first retry; doubled for each later one ...
LONGEST_RETRY = 3600.0  # ... up to an hour
# The day decides when a delivery is given up, not a count; this only bounds a worker that
# keeps dying while it sends (10 s doubling to an hour makes about 30 attempts in a day).
MOST_ATTEMPTS = 100


def delivery_key(webhook_id: int, story_id: int) -> str:
    """What a delivery works on: one story, for one webhook. The queue sends jobs of one key
    in order, so a receiver learns of one story's changes in the order they happened."""
    return f"webhook:{webhook_id}:story:{story_id}"


def event_body(
    story: Story, name: WebhookEvent, lang: str | None, data: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    """The JSON a receiver gets: the event, the story it concerns (with the CMS's own id and
    its address on the desk), the language (None for the English) and what happened."""
    assert story.id is not None
    return {
        "id": str(uuid.uuid4()),
        "event": str(name),
        "created_at": rfc3339(at),
        "story": {
            "id": story.id,
            "external_id": story.external_id,
            "headline": story.headline,
            "url": desk_url(story.id, lang),
        },
        "lang": lang,
        "data": dict(data),
    }


def wanting(session: Session, name: WebhookEvent) -> list[Webhook]:
    """The active webhooks that asked for the event, in the order they were registered."""
    active = session.exec(
        select(Webhook).where(col(Webhook.active).is_(True)).order_by(col(Webhook.id))
    ).all()
    return [hook for hook in active if str(name) in hook.events]


def emit(
    session: Session,
    name: WebhookEvent,
    story_id: int,
    data: Mapping[str, Any],
    *,
    lang: str | None = None,
) -> list[int]:
    """Announce an event about a story: one delivery job per webhook that wants it, added to
    the caller's transaction in one INSERT (never committed here); their ids. No webhook wants
    it: one read, nothing added."""
    hooks = wanting(session, name)
    if not hooks:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # Two transactions may take ids in one order and commit in the other; the queue sends
        # one story's deliveries in id order, so until this transaction ends, another event
        # about the story waits here: per story, id order is commit order. (SQLite has one
        # writer: a second change cannot write before the first commits.)
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"events:story:{story_id}"},
        )
    story = session.get(Story, story_id)
    assert story is not None, f"an event about story {story_id}, which does not exist"
    now = utcnow()
    body = event_body(story, name, lang, data, now)
    sent = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    work = []
    for hook in hooks:
        assert hook.id is not None
        payload = {
            "webhook_id": hook.id,
            "url": hook.url,
            "event": str(name),
            "story_id": story_id,
            "lang": lang,
            "delivery": body["id"],
            "body": sent,  # the exact bytes sent, on every attempt and every resend
        }
        work.append((delivery_key(hook.id, story_id), payload))
    retry = Retry(FIRST_RETRY, LONGEST_RETRY, now + TRIED_FOR)
    return add_jobs(session, DELIVER, work, max_attempts=MOST_ATTEMPTS, run_after=now, retry=retry)


# The events of a version whose state people see changes while its stored state stays (a
# stored move is announced by `writes.move_version`): an approved or published version that
# falls behind its English is outdated; one that catches up again (its last stale paragraph
# confirmed still valid, or its English changed back) is approved or published again.
_CAUGHT_UP = {
    VersionState.APPROVED: WebhookEvent.VERSION_APPROVED,
    VersionState.PUBLISHED: WebhookEvent.VERSION_PUBLISHED,
}


def announce_seen_state(
    session: Session,
    story_id: int,
    lang: str,
    before: VersionState,
    after: VersionState,
    *,
    stale: list[int] | None = None,
) -> list[int]:
    """Announce a version's state as people see it (`states.effective_state`), when a change
    moved it in or out of outdated; `stale` are the stale paragraph numbers an outdated
    version's event lists. In the caller's transaction, as `emit`."""
    if after is VersionState.OUTDATED and before is not VersionState.OUTDATED:
        data = {"state": after.slug, "stale": list(stale or [])}
        return emit(session, WebhookEvent.VERSION_OUTDATED, story_id, data, lang=lang)
    if before is VersionState.OUTDATED and (event := _CAUGHT_UP.get(after)) is not None:
        return emit(session, event, story_id, {"state": after.slug}, lang=lang)
    return []


def announce_caught_up(session: Session, outdated: Iterable[tuple[int, str]]) -> None:
    """After a paragraph write: each (story, language) people saw outdated before it that it
    left approved or published is announced so, as its approval was (nothing else tells the
    CMS that heard it fell behind). In the caller's transaction."""
    for story_id, lang in sorted(set(outdated)):
        now = version_progress(session, story_id, lang).state
        announce_seen_state(session, story_id, lang, VersionState.OUTDATED, now)
