"""Scores a QA-check command on the held-out cases in ./cases.

Never tune on them; see ../README.md.

usage: python benchmarks/heldout/checks/score.py [--verbose] -- CMD...
CMD gets PAIRS.json --lang ru|uk appended and must print
{"paragraphs": [{"index": j, "flags": [{"code": ..., "severity": ..., "message": ...}]}]}.

Only the scored codes count: numbers, untranslated, wrong-language, empty, omission. A planted
paragraph is caught when any scored code flags it; any scored code on a correct paragraph is a false
alarm. When the command fails on a case, each of its pairs is run alone: the pairs it still fails on
are crashes (and not caught), the others are scored.
Prints caught/planted per kind planted, false alarms per code, crashes, and a summary line.
Exit 0 only when every target is met: caught >= 93.75% (30 of every 32), no false alarm, no crash.
"""

import collections
import json
import pathlib
import subprocess
import sys
import tempfile

CASES = pathlib.Path(__file__).parent / "cases"
SCORED = {"numbers", "untranslated", "wrong-language", "empty", "omission"}


def run(cmd: list[str], pairs_file: pathlib.Path, lang: str) -> dict[int, list[dict]] | None:
    """The flags per pair index, or None when the command fails or prints something unreadable."""
    try:
        r = subprocess.run(
            [*cmd, str(pairs_file), "--lang", lang], capture_output=True, text=True, timeout=300
        )
        if r.returncode != 0:
            return None
        return {p["index"]: p.get("flags") or [] for p in json.loads(r.stdout)["paragraphs"]}
    except (subprocess.TimeoutExpired, ValueError, KeyError, TypeError):
        return None


def flags_for_case(
    cmd: list[str], d: pathlib.Path, lang: str
) -> tuple[dict[int, list[dict]], set[int], bool]:
    got = run(cmd, d / "pairs.json", lang)
    if got is not None:
        return got, set(), False
    pairs = json.loads((d / "pairs.json").read_text(encoding="utf-8"))
    got, crashed = {}, set()
    with tempfile.TemporaryDirectory() as tmp:
        one = pathlib.Path(tmp) / "pair.json"
        for j, pair in enumerate(pairs):
            one.write_text(json.dumps([pair], ensure_ascii=False), encoding="utf-8")
            alone = run(cmd, one, lang)
            if alone is None:
                crashed.add(j)
            else:
                got[j] = alone.get(0, [])
    return got, crashed, True


def main() -> None:
    args = sys.argv[1:]
    verbose = "--verbose" in args[: args.index("--")] if "--" in args else False
    if "--" not in args or not args[args.index("--") + 1 :]:
        sys.exit(__doc__)
    cmd = args[args.index("--") + 1 :]
    caught: collections.Counter = collections.Counter()
    planted: collections.Counter = collections.Counter()
    alarms: collections.Counter = collections.Counter()
    crashes, case_failures, clean = 0, 0, 0
    for d in sorted(CASES.iterdir()):
        truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
        got, crashed, failed = flags_for_case(cmd, d, truth["lang"])
        case_failures += failed
        crashes += len(crashed)
        c = n = a = 0
        pairs = json.loads((d / "pairs.json").read_text(encoding="utf-8")) if verbose else []
        for j, kind in enumerate(truth["expect"]):
            codes = {f["code"] for f in got.get(j, [])} & SCORED
            if kind:
                n += 1
                planted[kind] += 1
                hit = bool(codes) and j not in crashed
                c += hit
                caught[kind] += hit
                if verbose and not hit:
                    print(f"  missed {d.name}[{j}] {kind}: {pairs[j]['target'][:110]!r}")
            else:
                clean += 1
                if j not in crashed:
                    a += len(codes)
                    alarms.update(codes)
                    if verbose and codes:
                        msgs = [f["message"] for f in got[j] if f["code"] in SCORED]
                        print(f"  false alarm {d.name}[{j}] {sorted(codes)}: {msgs}")
            if verbose and j in crashed:
                print(f"  crash {d.name}[{j}]")
        note = f" crashed_pairs={len(crashed)} (the whole case failed)" if failed else ""
        print(f"{d.name:22} caught={c}/{n} false_alarms={a}{note}")
    print("caught per kind planted:")
    for k in sorted(planted):
        print(f"  {k:16} {caught[k]}/{planted[k]}")
    print(f"false alarms per code (on {clean} correct paragraphs):")
    for code in sorted(SCORED):
        print(f"  {code:16} {alarms[code]}")
    total_c, total_n, total_a = sum(caught.values()), sum(planted.values()), sum(alarms.values())
    ok = (
        total_n
        and total_c / total_n >= 30 / 32
        and total_a == 0
        and crashes == 0
        and case_failures == 0
    )
    print(
        f"checks: caught={total_c}/{total_n} ({total_c / max(total_n, 1):.1%}) "
        f"false_alarms={total_a} crashes={crashes} (pairs; {case_failures} cases failed whole) "
        f"targets={'met' if ok else 'NOT met'}"
    )
    sys.exit(0 if ok else 1)


main()
