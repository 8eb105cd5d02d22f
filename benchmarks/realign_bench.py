"""Benchmark of the realigner: synthetic live blogs, against baselines run in the same process.

    python benchmarks/realign_bench.py

Prints, per size, the median time of `realign` and of a difflib baseline (SequenceMatcher over
paragraphs, then pairing by ratio inside replaced blocks, as a simple aligner would), the cost
of merely hashing the paragraphs (the floor), peak memory, the `python -m workflow realign`
command on 2,000 paragraphs including start-up, and gettext's msgmerge on the same blog when it
is installed. Figures are measured, never asserted: machines are noisy.
"""

import difflib
import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.live_blog import blog, edit  # noqa: E402
from workflow.realign import realign  # noqa: E402

SIZES = (20, 200, 2000, 5000)


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def peak_kib(run: Callable[[], object]) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def difflib_baseline(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    pairs = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        elif tag == "replace":
            for j in range(j1, j2):
                best = max(
                    range(i1, i2),
                    key=lambda i: difflib.SequenceMatcher(None, old[i], new[j]).ratio(),
                )
                pairs.append((best, j))
    return pairs


def hash_floor(old: list[str], new: list[str]) -> None:
    for text in old + new:
        hashlib.blake2b(text.encode()).digest()


def command_seconds(old: list[str], new: list[str], folder: Path) -> float:
    (folder / "old.txt").write_text("\n\n".join(old))
    (folder / "new.txt").write_text("\n\n".join(new))
    command = [sys.executable, "-m", "workflow", "realign", folder / "old.txt", folder / "new.txt"]
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def msgmerge_seconds(old: list[str], new: list[str], folder: Path) -> float | None:
    if shutil.which("msgmerge") is None:
        return None

    def po(entries: list[str], translated: bool) -> str:
        def quoted(text: str) -> str:
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

        body = ['msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n']
        for n, text in enumerate(entries):
            msgstr = quoted(f"перевод {n}") if translated else '""'
            body.append(f"msgid {quoted(text)}\nmsgstr {msgstr}\n")
        return "\n".join(body)

    (folder / "old.po").write_text(po(old, True))
    (folder / "new.pot").write_text(po(new, False))
    start = time.perf_counter()
    subprocess.run(
        ["msgmerge", "--quiet", "-o", "/dev/null", "old.po", "new.pot"],
        cwd=folder, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    print(f"{'paragraphs':>10} {'edits':>6} {'realign ms':>11} {'difflib ms':>11} "
          f"{'hash ms':>8} {'peak KiB':>9}")  # fmt: skip
    for size in SIZES:
        old = blog(size)
        for label, new in (("1%", edit(old)), ("10%", edit(old, edited=0.10))):
            if size > 20 and size < 2000 and label == "10%":
                continue
            repeat = 9 if size <= 2000 else 5
            ours = median_ms(lambda: realign(old, new), repeat)  # noqa: B023
            floor = median_ms(lambda: hash_floor(old, new), repeat)  # noqa: B023
            base = (
                median_ms(lambda: difflib_baseline(old, new), 3)  # noqa: B023
                if size <= 2000
                else float("nan")
            )
            peak = peak_kib(lambda: realign(old, new))  # noqa: B023
            print(f"{size:>10} {label:>6} {ours:>11.1f} {base:>11.1f} {floor:>8.2f} {peak:>9.0f}")
    old = blog(2000)
    new = edit(old)
    with tempfile.TemporaryDirectory() as folder:
        seconds = command_seconds(old, new, Path(folder))
        print(f"\npython -m workflow realign, 2,000 paragraphs, with start-up: {seconds:.3f} s")
        merged = msgmerge_seconds(old, new, Path(folder))
        if merged is None:
            print("msgmerge: not installed (apt-get install gettext), not compared")
        else:
            ours = median_ms(lambda: realign(old, new), 9) / 1000
            print(f"msgmerge on the same 2,000 entries: {merged:.3f} s "
                  f"({merged / ours:.0f}x the realigner in-process, "
                  f"{merged / seconds:.1f}x the whole command)")  # fmt: skip


if __name__ == "__main__":
    main()
