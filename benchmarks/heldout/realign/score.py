"""Scores a realignment command on the held-out cases in ./cases.

Never tune on them; see ../README.md.

usage: python benchmarks/heldout/realign/score.py [--only NAME] [--verbose] -- CMD...
CMD gets OLD NEW appended and must print the `realign` JSON contract:
{"paragraphs": [{"index", "from", "status", ...}], "removed": [...]} and optionally "heirs"
(old index -> the new index that inherits its row, as an object or a list; null when removed).

Prints one line per case, figures per kind of edit, and a summary: missed meaning changes, false
alarms, mapping accuracy, style edits recognised as minor (N/M), heirs (when the command prints
them).
Exit 0 only when every target is met: missed 0, false alarms 0, mapping >= 0.95 (both the mean over
cases and over all paragraphs), style edits recognised >= 90%, no command error.
"""

import collections
import json
import pathlib
import subprocess
import sys
import time

CASES = pathlib.Path(__file__).parent / "cases"
MEANING = {"changed", "new", "struct"}


def heirs_of(out: dict) -> dict[int, int | None] | None:
    raw = out.get("heirs")
    if raw is None:
        return None
    if isinstance(raw, list):
        return {i: v for i, v in enumerate(raw)}
    return {int(k): v for k, v in raw.items()}


def score(cmd: list[str], name: str, verbose: bool) -> dict:
    d = CASES / name
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    try:
        r = subprocess.run(
            [*cmd, str(d / "old.txt"), str(d / "new.txt")],
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        return {"case": name, "error": "timed out after 300 s"}
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        lines = (r.stderr or r.stdout).strip().splitlines()
        return {"case": name, "error": lines[-1] if lines else f"exit {r.returncode}"}
    try:
        out = json.loads(r.stdout)
        got = out["paragraphs"]
    except (ValueError, KeyError) as e:
        return {"case": name, "error": f"unreadable output: {e!r}"}
    n = len(truth["expect"])
    if len(got) != n:
        return {"case": name, "error": f"{len(got)} paragraphs reported, {n} in NEW"}
    row = collections.Counter(n=n)
    per_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    notes = []
    rows = zip(truth["expect"], truth["kind"], truth["from_alts"], strict=True)
    for j, (exp, kind, alts) in enumerate(rows):
        st = got[j].get("status")
        frm = sorted(got[j].get("from") or [])
        ok_map = frm in [sorted(a) for a in alts]
        row["mapped"] += ok_map
        bad = False
        if exp in MEANING:
            row["meaning"] += 1
            # a split or merged part may be minor (same words); anything else must be flagged
            bad = st == "unchanged" if exp == "struct" else st in ("unchanged", "minor")
            row["missed"] += bad
        elif exp == "unchanged":
            bad = st != "unchanged"
            row["alarms"] += bad
        else:  # a style-only edit
            row["style"] += 1
            hit = st == "minor" or (exp == "minor-or-unchanged" and st == "unchanged")
            row["style_hit"] += hit
            bad = not hit
        if kind != "same":
            per_kind[f"{exp}:{kind}"]["n"] += 1
            per_kind[f"{exp}:{kind}"]["ok"] += not bad
        if bad or not ok_map:
            notes.append(
                f"  {name}[{j}] {kind}: expected {exp} from one of {alts}, got {st} from {frm}"
            )
    heirs = heirs_of(out)
    if heirs is not None:
        for i, accept in truth["heirs"].items():
            row["heirs_n"] += 1
            ok = heirs.get(int(i)) in accept
            row["heirs_ok"] += ok
            if not ok:
                notes.append(
                    f"  {name} heir of old {i}: expected one of {accept}, got {heirs.get(int(i))}"
                )
    if verbose:
        print("\n".join(notes))
    return {"case": name, "row": row, "kinds": per_kind, "wall": wall, "heirs": heirs is not None}


def main() -> None:
    args = sys.argv[1:]
    only, verbose = None, False
    while args and args[0] != "--":
        if args[0] == "--only":
            only, args = args[1], args[2:]
        elif args[0] == "--verbose":
            verbose, args = True, args[1:]
        else:
            sys.exit(__doc__)
    if not args or len(args) < 2:
        sys.exit(__doc__)
    cmd = args[1:]
    results = [
        score(cmd, c.name, verbose) for c in sorted(CASES.iterdir()) if only in (None, c.name)
    ]
    tot: collections.Counter = collections.Counter()
    kinds: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    errors, fracs, heirs_reported = 0, [], False
    for r in results:
        if "error" in r:
            errors += 1
            print(f"{r['case']:28} ERROR {r['error'][:160]}")
            continue
        row = r["row"]
        tot.update(row)
        for k, c in r["kinds"].items():
            kinds[k].update(c)
        fracs.append(row["mapped"] / row["n"])
        heirs_reported |= r["heirs"]
        print(
            f"{r['case']:28} n={row['n']:5} missed={row['missed']}/{row['meaning']} "
            f"false_alarms={row['alarms']} mapped={row['mapped']}/{row['n']} "
            f"minor={row['style_hit']}/{row['style']} {r['wall']:.2f}s"
        )
    print("by kind of edit (right/all):")
    for k in sorted(kinds):
        print(f"  {k:36} {kinds[k]['ok']}/{kinds[k]['n']}")
    mean = sum(fracs) / len(fracs) if fracs else 0.0
    micro = tot["mapped"] / tot["n"] if tot["n"] else 0.0
    style = tot["style_hit"] / tot["style"] if tot["style"] else 0.0
    heirs = f"{tot['heirs_ok']}/{tot['heirs_n']}" if heirs_reported else "not reported"
    ok = (
        errors == 0
        and tot["missed"] == 0
        and tot["alarms"] == 0
        and min(mean, micro) >= 0.95
        and style >= 0.90
    )
    print(
        f"realign: cases={len(results)} errors={errors} "
        f"missed_meaning_changes={tot['missed']}/{tot['meaning']} false_alarms={tot['alarms']} "
        f"mapping={mean:.3f} (mean over cases) {micro:.3f} (all paragraphs) "
        f"minor_recognised={tot['style_hit']}/{tot['style']} ({style:.0%}) heirs={heirs} "
        f"targets={'met' if ok else 'NOT met'}"
    )
    sys.exit(0 if ok else 1)


main()
