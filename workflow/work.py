"""Every kind of background work the desk does, and the handler that runs each: the one
registry the app's workers and `python -m workflow worker` both run, so a job queued by one
process is run by any other (machine drafts, webhook deliveries, notifications).

The kinds run in lanes, one worker (thread) each: a webhook receiver that takes its ten
seconds to answer holds up the next delivery, never a translator's draft; a mail server that
is slow holds up neither.
"""

from collections.abc import Mapping

from sqlalchemy.engine import Engine

from workflow.draft_jobs import DRAFT, draft_handlers
from workflow.events import DELIVER
from workflow.jobs import Handler
from workflow.notify.digest import DIGEST, digest_handlers
from workflow.notify.due import SWEEP, sweep_handlers
from workflow.notify.news import NOTIFY
from workflow.notify.send import notification_handlers
from workflow.webhooks import webhook_handlers
from workflow.worker import Worker

DRAFTING, DELIVERING, NOTIFYING = "drafts", "deliveries", "notifications"
LANES: dict[str, frozenset[str]] = {
    DRAFTING: frozenset({DRAFT}),  # a person waits on the desk for these
    DELIVERING: frozenset({DELIVER}),  # a receiver may take its time
    NOTIFYING: frozenset({NOTIFY, DIGEST, SWEEP}),  # so may a mail server
}


def all_handlers(secrets: Mapping[str, str] | None = None) -> dict[str, Handler]:
    """A handler for every kind of job; `secrets` may hold the machine engine's key and the
    mail server's settings."""
    notifying = notification_handlers(secrets) | digest_handlers(secrets) | sweep_handlers()
    return draft_handlers(secrets) | webhook_handlers() | notifying


def lane_workers(
    engine: Engine, secrets: Mapping[str, str] | None = None, *, poll: float = 1.0
) -> dict[str, Worker]:
    """One worker per lane (not started), each running its lane's kinds with the one
    registry's handlers."""
    handlers = all_handlers(secrets)
    lanes = dict(LANES)
    # A kind given no lane of its own (a new one) runs beside the deliveries: never unclaimed.
    lanes[DELIVERING] = lanes[DELIVERING] | (handlers.keys() - set().union(*LANES.values()))
    return {lane: Worker(engine, handlers, kinds=kinds, poll=poll) for lane, kinds in lanes.items()}
