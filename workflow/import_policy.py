"""What an import does to the database, and for how long it holds it.

- A story, or a translation brought back as a file (text, Word, XLIFF), is refused whole
  before anything is written (unreadable, too large, the wrong number of paragraphs, not the
  person's language), and what each paragraph gets is decided, before the write lock is
  taken. A story, and a translation of up to 40 changed paragraphs, is then written in one
  transaction (`writes.transaction`): all of it, or, if anything fails, none of it. A longer
  translation is saved in batches like a memory (below): saves cost milliseconds each (checks,
  revision, audit line), and one transaction for 5,000 of them would hold the lock long
  enough for every save at the desk to fail. A failure part-way keeps the batches before
  it and says how many were saved (`exchange.PartialImport`); importing the same file again
  saves the rest (what was saved counts as unchanged).
- A translation memory (TMX) may hold tens of thousands of units: it is written in batches,
  each its own short transaction that holds the database's write lock for at most about
  `LOCK_BUDGET_S` (what each batch needs to know is read before it starts writing), so people
  saving at the desk meanwhile wait a moment, never fail with "database is locked". Each
  unit is stored only if the memory does not hold it yet, so a batch is safe to repeat and an
  import that was cut short is completed by importing the same file again.
"""

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session

Item = TypeVar("Item")
Known = TypeVar("Known")

LOCK_BUDGET_S = 0.2  # far under a second, and under the desk's 10 s busy timeout
FIRST_BATCH = 200
SQLITE_GAP_S = 0.12  # the lock left free between batches: SQLite's longest busy-wait step
LARGEST_BATCH = 2_000  # rows a statement may carry within SQLite's limit on parameters


@dataclass
class Batches:
    """Writes items in batches sized so each holds the write lock about `budget_s`."""

    size: int = FIRST_BATCH
    budget_s: float = LOCK_BUDGET_S  # how long a batch may hold the write lock, about
    longest_hold_s: float = 0.0  # the longest a batch held the write lock (for benchmarks)
    batches: int = 0

    def run(
        self,
        session: Session,
        items: Sequence[Item],
        *,
        prepare: Callable[[Session, Sequence[Item]], Known],
        write: Callable[[Session, Sequence[Item], Known], None],
        last: Callable[[Session], None] | None = None,
    ) -> None:
        """For each batch: `prepare` reads what the batch needs (no lock held), `write`
        writes it, then the batch commits. `last` writes within the final batch's
        transaction (the audit line), so it commits with the last of the items."""
        for batch, is_last in self._split(items):
            known = prepare(session, batch)
            session.commit()  # end the read, so the write below starts a short transaction
            started = time.perf_counter()
            write(session, batch, known)
            if is_last and last is not None:
                last(session)
            session.commit()
            held = time.perf_counter() - started
            self.longest_hold_s = max(self.longest_hold_s, held)
            self.batches += 1
            self._resize(held)
            if not is_last and session.get_bind().dialect.name == "sqlite":
                # A save waiting for SQLite's lock retries every 100 ms at most, never on the
                # lock's release: without a gap at least that long, the next batch would take
                # the lock again before it looks, batch after batch, until it gives up.
                time.sleep(SQLITE_GAP_S)

    def _split(self, items: Sequence[Item]) -> Iterator[tuple[Sequence[Item], bool]]:
        start = 0
        while True:
            batch = items[start : start + self.size]
            start += len(batch)
            yield batch, start >= len(items)
            if start >= len(items):
                return

    def _resize(self, held: float) -> None:
        if held > self.budget_s / 2:
            self.size = max(1, self.size // 2)
        elif held < self.budget_s / 4:
            self.size = min(LARGEST_BATCH, self.size * 2)


def take_write_lock(session: Session) -> None:
    """On SQLite, start the session's transaction holding the write lock (BEGIN IMMEDIATE),
    waiting the busy timeout for it. Otherwise a batch starts as a reader (SQLite and Python's
    sqlite3 defer the lock to the first write), and if a save at the desk commits between the
    batch's reads and its first write, SQLite refuses that write at once, "database is locked",
    without waiting: the reader's snapshot is out of date. PostgreSQL locks rows as it writes."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.dbapi_connection
    if driver is not None and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
