"""This app process's one worker on the durable work queue: it runs every kind of job (machine
drafts, webhook deliveries) for the desk's database. The app starts it when it starts
(`lifespan`, given to `st.App`), so webhooks go out even while nobody has the desk open; the
desk starts the same cached worker again should it have stopped."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st

from workflow.database import database_url
from workflow.ui.common import engine, secrets
from workflow.work import all_handlers
from workflow.worker import Worker, stop_workers

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _app_worker(url: str) -> Worker:
    """The worker for the desk's database, made once a process (the URL keys it)."""
    return Worker(engine(), all_handlers(secrets())).start()


def app_worker() -> Worker:
    """This process's worker, running (again, after a stop: a test's end)."""
    return _app_worker(database_url()).start()


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Start the worker with the app and stop it with the app. A database the desk cannot
    open is said on every page; here it is only logged, and the desk's first page retries."""
    try:
        await asyncio.to_thread(app_worker)  # opening the database may take a moment
    except BaseException as exc:  # st.stop() outside a page raises its own kind
        log.error("The work queue's worker did not start: %s", exc)
    try:
        yield
    finally:
        stop_workers()
