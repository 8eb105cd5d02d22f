"""How well the four key checks catch planted faults, and how quiet they stay on good text.

`python benchmarks/checks_eval.py` takes the demo story's hand-written Russian and Ukrainian
translations (correct ones), plants one fault of each kind in each, runs the checks through
`python -m workflow check` (the command a newsroom would run), and prints caught and false
alarms per code, with the time per paragraph.
"""

import json
import re
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from workflow.formats import read_story_file

ROOT = Path(__file__).resolve().parent.parent
KEY_CODES = ("numbers", "untranslated", "wrong-language", "empty")


def corpus() -> dict[str, list[tuple[str, str]]]:
    """(English, correct translation) pairs per language, from the demo."""
    files = resources.files("workflow.demo")
    story = read_story_file(files.joinpath("story.txt").read_bytes())
    plan = json.loads(files.joinpath("translations.json").read_text(encoding="utf-8"))
    english = story.all_paragraphs
    english_at_translation = list(english)
    at = plan["first_english"]["paragraph"]
    english_at_translation[at] = english[at].replace(
        plan["first_english"]["now"], plan["first_english"]["was"]
    )
    pairs: dict[str, list[tuple[str, str]]] = {}
    for lang, entries in plan["translations"].items():
        pairs[lang] = [
            (english_at_translation[i], e["text"])
            for i, e in enumerate(entries)
            if e["state"] in ("approved", "translated") and e["text"]
        ]
    return pairs


def plant(english: str, target: str, lang: str, other: dict[int, str], index: int):
    """Faulty versions of a correct pair: (code that must fire, faulty target)."""
    faults = [("empty", ""), ("untranslated", english)]
    digits = re.search(r"\d[\d\s\u00a0]*\d|\d", target)
    if digits:
        changed = str(int(re.sub(r"\D", "", digits.group(0))) + 7)
        faults.append(("numbers", target[: digits.start()] + changed + target[digits.end() :]))
    if index in other:
        faults.append(("wrong-language", other[index]))
    return faults


def run(pairs: list[dict], lang: str) -> list[set[str]]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(pairs, f, ensure_ascii=False)
    out = subprocess.run(
        [sys.executable, "-m", "workflow", "check", f.name, "--lang", lang],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    Path(f.name).unlink()
    return [{flag["code"] for flag in p["flags"]} for p in json.loads(out)["paragraphs"]]


def main() -> None:
    pairs = corpus()
    for lang, good in pairs.items():
        other_lang = "uk" if lang == "ru" else "ru"
        other = {i: t for i, (_, t) in enumerate(pairs[other_lang])}
        cases = [(None, e, t) for e, t in good]
        for i, (e, t) in enumerate(good):
            cases += [(code, e, bad) for code, bad in plant(e, t, lang, other, i)]
        started = time.perf_counter()
        found = run([{"source": e, "target": t} for _, e, t in cases], lang)
        elapsed = time.perf_counter() - started
        print(
            f"{lang}: {len(good)} correct paragraphs, {len(cases) - len(good)} planted faults, "
            f"{elapsed / len(cases) * 1000:.1f} ms per paragraph (with start-up)"
        )
        results = list(zip([want for want, _, _ in cases], found, strict=True))
        for code in KEY_CODES:
            planted = [codes for want, codes in results if want == code]
            caught = sum(code in codes for codes in planted)
            false = sum(code in codes for want, codes in results if want is None)
            print(f"  {code:<15} caught {caught}/{len(planted)}   false alarms {false}/{len(good)}")


if __name__ == "__main__":
    main()
