"""Slowing password guessing down: failed sign-ins counted per account and per client.

The first few failures cost nothing (people mistype); after that every failure makes the next
try wait twice as long as the last, up to a quarter of an hour, whether the password is then
right or wrong. An account is counted by the login typed, whether or not anyone signs in with
it, so a wait tells nothing about who works at the desk. A client (the browser's address) has
more free failures, since a newsroom's office may share one address. The counts live in the
database (`SignInThrottle`), so every app process refuses alike, and are forgotten after a quiet
hour or, for an account, at its next sign-in.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col

from workflow.models import SignInThrottle, as_utc, insert_for

ACCOUNT_FREE_FAILURES = 5
CLIENT_FREE_FAILURES = 20
FIRST_WAIT = timedelta(seconds=2)
LONGEST_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)
MAX_KEY = 400


@dataclass(frozen=True)
class Counter:
    """What one count is kept for: an account (the login typed) or a client."""

    key: str
    free_failures: int
    what: str  # "for this account", "from this computer": for the message


def counters(login: str, client: str = "") -> list[Counter]:
    found = [
        Counter(
            f"account:{login.strip().lower()}"[:MAX_KEY], ACCOUNT_FREE_FAILURES, "for this account"
        )
    ]
    if client:
        found.append(
            Counter(f"client:{client}"[:MAX_KEY], CLIENT_FREE_FAILURES, "from this computer")
        )
    return found


def wait_after(failures: int, free_failures: int) -> timedelta:
    """How long the next try waits after `failures` in a row: nothing while they are free,
    then 2 seconds, doubling up to 15 minutes."""
    over = failures - free_failures
    if over <= 0:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** min(over - 1, 20), LONGEST_WAIT)


def in_words(wait: timedelta) -> str:
    """ "2 seconds", "4 minutes": rounded up, as a person reads it."""
    seconds = max(1, int(-(-wait.total_seconds() // 1)))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"


@dataclass(frozen=True)
class Waiting:
    """A try refused because a count says to wait: for how long, and whether this wait has
    refused someone before (the audit log records the first refusal of each wait)."""

    counter: Counter
    remaining: timedelta
    failures: int
    first_refusal: bool


def waiting(session: Session, found: list[Counter], now: datetime) -> Waiting | None:
    """The longest wait any of the counts imposes now, marked as having refused a try."""
    longest: Waiting | None = None
    for counter in found:
        row = session.get(SignInThrottle, counter.key, with_for_update=True)
        if row is None or row.wait_until is None or as_utc(row.wait_until) <= now:
            continue
        remaining = as_utc(row.wait_until) - now
        if longest is None or remaining > longest.remaining:
            longest = Waiting(counter, remaining, row.failures, not row.refusal_recorded)
        row.refusal_recorded = True
        session.add(row)
    return longest


def count_failure(session: Session, found: list[Counter], now: datetime) -> timedelta:
    """Count a failed sign-in against each counter; the longest wait it now imposes."""
    longest = timedelta(0)
    for counter in found:
        # Made if missing, then read locked: two processes counting at once both count.
        session.exec(
            insert_for(session)(SignInThrottle)  # type: ignore[call-overload]
            .values(key=counter.key, failures=0, last_failed_at=now, refusal_recorded=False)
            .on_conflict_do_nothing()
        )
        row = session.get(SignInThrottle, counter.key, with_for_update=True, populate_existing=True)
        assert row is not None
        quiet = now - as_utc(row.last_failed_at) > FORGET_AFTER
        row.failures = 1 if quiet else row.failures + 1
        row.last_failed_at = now
        wait = wait_after(row.failures, counter.free_failures)
        row.wait_until = now + wait if wait else None
        row.refusal_recorded = False
        session.add(row)
        longest = max(longest, wait)
    return longest


def forget(session: Session, counter: Counter) -> None:
    """Start the count afresh (an account's, when its person signs in)."""
    session.exec(delete(SignInThrottle).where(col(SignInThrottle.key) == counter.key))
