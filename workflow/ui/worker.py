"""This app process's workers on the durable work queue, one per lane (`work.LANES`): machine
drafts in one thread, webhook deliveries in another, so a receiver that takes its time never
delays a translator's draft. The app starts them when it starts (`lifespan`, given to
`st.App`), so webhooks go out even while nobody has the desk open, with the notifications'
sweep queued (once across processes); the desk starts the same cached workers again should
they have stopped."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st
from sqlmodel import Session

from workflow.database import database_url
from workflow.notify.due import ensure_sweep
from workflow.ui.common import engine, secrets
from workflow.work import DRAFTING, lane_workers
from workflow.worker import Worker, stop_workers

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _app_workers(url: str) -> dict[str, Worker]:
    """The workers for the desk's database, made once a process (the URL keys them)."""
    return lane_workers(engine(), secrets())


def _start_sweep() -> None:
    with Session(engine()) as session:
        ensure_sweep(session)


def app_workers() -> dict[str, Worker]:
    """This process's workers by lane, running (again, after a stop: a test's end)."""
    workers = _app_workers(database_url())
    for worker in workers.values():
        worker.start()
    return workers


def app_worker(lane: str = DRAFTING) -> Worker:
    """This process's worker of one lane (the drafts', to wake after queuing one), with every
    lane's running."""
    return app_workers()[lane]


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Start the workers with the app and stop them with the app. A database the desk cannot
    open is said on every page; here it is only logged, and the desk's first page retries."""
    try:
        await asyncio.to_thread(app_workers)  # opening the database may take a moment
        await asyncio.to_thread(_start_sweep)  # not from a page: a test's desk sweeps nothing
    except BaseException as exc:  # st.stop() outside a page raises its own kind
        log.error("The work queue's workers did not start: %s", exc)
    try:
        yield
    finally:
        stop_workers()
