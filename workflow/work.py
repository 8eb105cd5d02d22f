"""Every kind of background work the desk does, and the handler that runs each: the one
registry the app's worker and `python -m workflow worker` both run, so a job queued by one
process is run by any other (machine drafts, webhook deliveries; notifications next)."""

from collections.abc import Mapping

from workflow.draft_jobs import draft_handlers
from workflow.jobs import Handler
from workflow.webhooks import webhook_handlers


def all_handlers(secrets: Mapping[str, str] | None = None) -> dict[str, Handler]:
    """A handler for every kind of job; `secrets` may hold the machine engine's key."""
    return draft_handlers(secrets) | webhook_handlers()
