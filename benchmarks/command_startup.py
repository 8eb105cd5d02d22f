"""Benchmark of the command line's start: what a CMS calling it once per story waits for.

    python benchmarks/command_startup.py [--runs 20] [--checkout DIR ...]

Runs `python -m workflow status --json` on a migrated SQLite desk holding the demo story,
`python -m workflow realign OLD NEW` on two versions of that story, and the floor,
`python -c "import sqlmodel"`, each `--runs` times, interleaved, and prints the median wall
and CPU (user + system) time of each as a ratio to the floor measured in the same run. CPU time
is the steadier figure on a shared machine. Each `--checkout` (a Lockstep source tree, e.g. a
worktree of the previous release) is measured in its own desk, beside the floor: by default,
the tree this script is in. Figures are measured, never asserted: machines are noisy.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import sqlmodel"


@dataclass
class Timings:
    """The wall and CPU seconds of each run of one command."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def timed(command: list[str], cwd: Path, env: dict[str, str], timings: Timings) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, check=True)
    timings.wall.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timings.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def prepare_desk(checkout: Path, folder: Path) -> tuple[dict[str, str], list[str]]:
    """A migrated desk with the demo story, made by that checkout, and realign's two texts."""
    story = (checkout / "workflow" / "demo" / "story.txt").read_bytes()
    old, new = folder / "old.txt", folder / "new.txt"
    old.write_bytes(story)
    new.write_bytes(story.replace(b"3,000 US troops", b"3,500 US troops"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'desk.db'}"}
    for args in (["db", "upgrade"], ["import", str(old)]):
        subprocess.run(
            [sys.executable, "-m", "workflow", *args],
            cwd=checkout, env=env, stdout=subprocess.DEVNULL, check=True,
        )  # fmt: skip
    return env, [str(old), str(new)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--checkout", type=Path, action="append", help="default: this tree")
    options = parser.parse_args()
    checkouts = [path.resolve() for path in options.checkout or [ROOT]]

    with tempfile.TemporaryDirectory() as scratch:
        commands: dict[str, tuple[list[str], Path, dict[str, str]]] = {}
        for number, checkout in enumerate(checkouts):
            folder = Path(scratch) / str(number)
            folder.mkdir()
            env, texts = prepare_desk(checkout, folder)
            label = checkout.name if len(checkouts) > 1 else ""
            run = [sys.executable, "-m", "workflow"]
            commands[f"{label} status --json".strip()] = ([*run, "status", "--json"], checkout, env)
            commands[f"{label} realign".strip()] = ([*run, "realign", *texts], checkout, env)
        floor_env = commands[next(iter(commands))][2]
        commands = {FLOOR: ([sys.executable, "-c", FLOOR], ROOT, floor_env), **commands}

        timings = {name: Timings() for name in commands}
        for _ in range(options.runs):
            for name, (command, cwd, env) in commands.items():
                timed(command, cwd, env, timings[name])

    floor = timings[FLOOR]
    print(f"{options.runs} runs each, interleaved; medians, and each as a ratio to `{FLOOR}`:")
    print(f"{'command':<32} {'wall ms':>8} {'ratio':>6} {'cpu ms':>8} {'ratio':>6}")
    for name, times in timings.items():
        wall, cpu = statistics.median(times.wall), statistics.median(times.cpu)
        print(
            f"{name:<32} {wall * 1000:8.0f} {wall / statistics.median(floor.wall):6.2f}"
            f" {cpu * 1000:8.0f} {cpu / statistics.median(floor.cpu):6.2f}"
        )


if __name__ == "__main__":
    main()
