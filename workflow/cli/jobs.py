"""Commands for the work queue: `worker` runs queued jobs of every kind outside the app
(machine drafts and webhook deliveries, each lane in a thread of its own), and the progress
line that `translate` and `worker` show while a job runs."""

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from workflow.cli.options import Arg, Commands, add_command

if TYPE_CHECKING:
    from sqlmodel import Session

BAR_WIDTH = 30


class ProgressLine:
    """A job's progress on standard error: a bar redrawn in place on a terminal, otherwise a
    plain line now and then (a log file gets no control characters)."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label, self.stream = label, stream or sys.stderr
        self.terminal = self.stream.isatty()
        self.shown: tuple[int, int] | None = None

    def __call__(self, done: int, total: int) -> None:
        if (done, total) == self.shown or not total:
            return
        if self.terminal:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stream.write(f"\r{self.label}: [{bar}] {done}/{total}")
            if done == total:
                self.stream.write("\n")
        elif (
            done == total or self.shown is None or done * 10 // total > self.shown[0] * 10 // total
        ):
            self.stream.write(f"{self.label}: {done} of {total} paragraphs\n")
        self.stream.flush()
        self.shown = (done, total)


def _worker(session: "Session", args: argparse.Namespace) -> None:
    from workflow.notify.due import ensure_sweep
    from workflow.work import all_handlers, lane_workers
    from workflow.worker import Worker

    engine = session.get_bind().engine
    if args.until_idle:
        ran = Worker(engine, all_handlers(), poll=args.poll).run_until_idle()
        print(f"Ran {ran} jobs; none is waiting now.")
        return
    # One worker per lane, as in the app: a slow receiver never holds up a draft.
    workers = list(lane_workers(engine, poll=args.poll).values())
    ensure_sweep(session)  # due times and digests looked at every few minutes, as in the app
    names = ", ".join(worker.name for worker in workers)
    print(f"Workers {names} are running queued jobs; stop them with Ctrl-C.", file=sys.stderr)
    for worker in workers:
        worker.start()
    try:
        while any(worker.running for worker in workers):
            for worker in workers:
                worker.join(1.0 / len(workers))
    except KeyboardInterrupt:
        for worker in workers:
            worker.stop()


def register(commands: Commands) -> None:
    add_command(
        commands, "worker", _worker,
        "run queued jobs (drafts, webhook deliveries) until stopped; the app runs its own too",
        Arg("--until-idle", action="store_true", help="stop when no job is waiting (for cron)"),
        Arg("--poll", type=float, default=1.0, help="seconds between looks for work"),
    )  # fmt: skip
