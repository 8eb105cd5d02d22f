"""What the desk costs on a long story, beside bare Streamlit pages run in the same process.

    python benchmarks/desk_bench.py [--paragraphs 200] [--repeat 5] [--no-drafting] [--clock cpu]

Builds a story in a scratch SQLite file: generated English, Russian and Ukrainian of invented
words around its figures; Russian all translated, Ukrainian one in ten empty, one in ten a
machine draft. As the Ukrainian translator in the Ukrainian edit view (AppTest), prints medians:
- the desk's first run and a rerun, beside a bare page of the same English and Russian with a
  Ukrainian text box each, and a bare page of two boxes a paragraph (the issue's 400);
- a plain save (type and click Save, one run), Mark translated and a first save of an empty box,
  as AppTest runs a click (the whole script) and as a browser does (the fragment that drew the
  button), with the fragment runs (`st.fragment` is wrapped to count) and paragraph boxes drawn,
  beside typing in one box of the bare page, and of one with a fragment a paragraph;
- SQL statements in one desk run of every view (SQLAlchemy `before_cursor_execute`);
- the heartbeat (the presence fragment its timer reruns): time, SQL statements, fragments
  run and paragraph boxes drawn, alone at the desk and with a colleague on a paragraph;
- `python -m workflow translate STORY --lang ru,uk` against a loopback LibreTranslate answering
  after `--latency` s, beside the serial and 8-in-flight floors (serial, it takes minutes).
Widgets are found by label and key (`text-<id>`, the "Save" or "Mark translated" button beside
that box), never by the page's function names, so the script outlives a restructured
desk. Figures are measured, never asserted: machines are noisy.
"""

import argparse
import dataclasses
import functools
import logging
import math
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

# The benchmark drives the app as its AppTest tests do (as benchmarks/progress_bench.py does).
import streamlit as st  # noqa: TID251
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from streamlit.logger import set_log_level  # noqa: TID251
from streamlit.testing.v1 import AppTest  # noqa: TID251
from streamlit.testing.v1 import app_test as app_test_module  # noqa: TID251
from streamlit.testing.v1.local_script_runner import LocalScriptRunner  # noqa: TID251

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.live_blog import paragraph  # noqa: E402
from tests.app_helpers import paragraph_button, paragraph_buttons  # noqa: E402
from tests.libre_server import libre_server, loopback_server  # noqa: E402
from workflow.database import open_database  # noqa: E402
from workflow.drafts import draft_version  # noqa: E402
from workflow.formats import read_story_file  # noqa: E402
from workflow.machinery.fake import FakeEngine  # noqa: E402
from workflow.models import Person, Translation  # noqa: E402
from workflow.people import add_person  # noqa: E402
from workflow.presence import beat, forget  # noqa: E402
from workflow.states import Role  # noqa: E402
from workflow.stories import import_story  # noqa: E402
from workflow.translations import save_translation  # noqa: E402

APP = str(ROOT / "app.py")
DESK = "workflow/ui/desk.py"
TIMEOUT = 600
BOXES = "text boxes, two a paragraph"
SYLLABLES = {
    "ru": "ра ло ви не ко сто при ми да жи ны ре то ва ще эт ска зал ор",
    "uk": "ра ло ві не ко сто при мі да жи ни ре то ва ще ї є ска зав ор",
}

# What `timed` reads: wall time, or with --clock cpu the process's processor time (the script
# runs in a thread of this process; other programs on the machine do not count).
CLOCK: list[Callable[[], float]] = [time.perf_counter]

# AppTest runs pages outside a server, and Streamlit warns about it on every run.
set_log_level("error")
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: "missing ScriptRunContext" not in record.getMessage()
)

# What the page did, counted while it ran.
SQL: Counter[str] = Counter()
FRAGMENT_RUNS: Counter[str] = Counter()


@event.listens_for(Engine, "before_cursor_execute")
def _count_statement(*_args: object) -> None:
    SQL["statements"] += 1


def _counting_fragment(func: Callable[..., Any] | None = None, **options: Any) -> Any:
    """`st.fragment` that counts each run of the function it decorates, under its name."""
    if func is None:
        return lambda f: _counting_fragment(f, **options)

    @functools.wraps(func)  # same module and name: the fragment's id does not change
    def counted(*args: Any, **kwargs: Any) -> Any:
        FRAGMENT_RUNS[func.__name__] += 1
        return func(*args, **kwargs)

    return _FRAGMENT(counted, **options)


_FRAGMENT = st.fragment
st.fragment = _counting_fragment  # before the app imports its pages' modules


class _BrowserLikeRunner(LocalScriptRunner):
    """AppTest's runner, able to rerun only one fragment, as a browser asks after a click in
    it; it remembers which fragment drew each widget."""

    fragment: ClassVar[str | None] = None
    widget_fragment: ClassVar[dict[str, str]] = {}
    timers: ClassVar[set[str]] = set()  # fragments the browser reruns on a timer (run_every)

    def _run_script(self, rerun_data: Any) -> None:
        # The first run only: an `st.rerun()` the fragment asks for reruns the whole script.
        fragment, _BrowserLikeRunner.fragment = _BrowserLikeRunner.fragment, None
        if fragment is not None:
            rerun_data = dataclasses.replace(rerun_data, fragment_id_queue=[fragment])
        super()._run_script(rerun_data)

    def forward_msgs(self) -> list[Any]:
        messages = super().forward_msgs()
        for msg in messages:
            if msg.HasField("auto_rerun"):
                _BrowserLikeRunner.timers.add(msg.auto_rerun.fragment_id)
            if msg.HasField("delta") and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                kind = element.WhichOneof("type")
                widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
                if widget_id and msg.delta.fragment_id:
                    _BrowserLikeRunner.widget_fragment[widget_id] = msg.delta.fragment_id
        return list(messages)


app_test_module.LocalScriptRunner = _BrowserLikeRunner  # type: ignore[misc]


def cyrillic(rng: random.Random, english: str, lang: str) -> str:
    """Invented words in `lang`'s letters, keeping the English figures in place."""
    out = " ".join(
        word if re.search(r"\d", word) else
        "".join(rng.choice(SYLLABLES[lang].split()) for _ in range(rng.randint(1, 4)))
        for word in english.split()
    )  # fmt: skip
    return out[:1].upper() + out[1:] + "."


def story(size: int) -> tuple[list[str], dict[str, list[str]]]:
    rng = random.Random(16)
    english = [f"Live: {paragraph(rng, 0)[10:80].rstrip()} as talks go on"]
    english += [paragraph(rng, n) for n in range(1, size)]
    return english, {lang: [cyrillic(rng, e, lang) for e in english] for lang in ("ru", "uk")}


def build_desk(url: str, english: list[str], translated: dict[str, list[str]]) -> int:
    """The story in the database; returns the Ukrainian translator's id."""
    with Session(open_database(url)) as session:
        editor = add_person(session, name="Bench Editor", role=Role.EDITOR, languages=["ru", "uk"])
        # An administrator who can sign in: the app then has no first password to print.
        add_person(session, name="Bench Admin", role=Role.ADMIN, password=secrets.token_hex(16))
        taras = add_person(session, name="Bench Taras", role=Role.TRANSLATOR, languages=["uk"])
        parsed = read_story_file("\n\n".join(english).encode())
        new = import_story(session, parsed, person=editor)
        assert new.id is not None and taras.id is not None
        draft_version(session, story_id=new.id, lang="uk", engine=FakeEngine(), person=None)
        rows = session.exec(
            select(Translation).where(Translation.story_id == new.id).order_by(col(Translation.id))
        ).all()
        for lang in ("ru", "uk"):
            mine = sorted((t for t in rows if t.lang == lang), key=lambda t: t.paragraph_id)
            for i, (t, text) in enumerate(zip(mine, translated[lang], strict=True)):
                if lang == "uk" and i % 10 == 5:
                    continue  # stays a machine draft: Mark translated applies
                text = "" if lang == "uk" and i % 10 == 0 else text
                save_translation(
                    session, translation_id=int(t.id or 0), text=text, person=editor,
                    base_lock_version=t.lock_version,
                )  # fmt: skip
        return taras.id


def timed(action: Callable[[], object]) -> tuple[float, int, Counter[str]]:
    """Milliseconds, SQL statements and fragment runs of one call."""
    SQL.clear()
    FRAGMENT_RUNS.clear()
    start = CLOCK[0]()
    action()
    return (CLOCK[0]() - start) * 1000, SQL["statements"], Counter(FRAGMENT_RUNS)


def run(at: AppTest) -> AppTest:
    """Run the page; raise if it failed."""
    return checked(at.run())


def checked(at: AppTest) -> AppTest:
    if at.exception:
        raise RuntimeError(f"the page failed: {at.exception[0].value}")
    return at


def open_desk(person_id: int, first: "Figure | None" = None) -> AppTest:
    """A new session signed in as the person, on the desk; its first run timed into `first`."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["person_id"] = person_id
    run(at)
    measured = timed(lambda: checked(at.switch_page(DESK).run()))
    if first is not None:
        first.add(measured, at)
    return at


def choose_view(at: AppTest, view: str) -> None:
    radio = next(r for r in at.radio if r.key == "desk_view" or r.label == "View")
    if radio.value != view:
        checked(radio.set_value(view).run())


def ending_id(key: str | None) -> str:
    found = re.search(r"(\d+)$", key or "")
    return found.group(1) if found else ""


def boxes(at: AppTest) -> dict[str, Any]:
    """The paragraphs' enabled text boxes, by translation id."""
    return {ending_id(b.key): b for b in at.text_area if is_paragraph(b) and not b.disabled}


def is_paragraph(box: Any) -> bool:
    return (box.key or "").startswith("text-")


def rerun_after(at: AppTest, widget: Any, *, browser: bool) -> None:
    """Run the page after a person used the widget, as AppTest does (the whole script) or as a
    browser does (only the fragment that drew the widget, when there is one)."""
    if browser:
        _BrowserLikeRunner.fragment = _BrowserLikeRunner.widget_fragment.get(widget.id)
    try:
        checked(at.run())
    finally:
        _BrowserLikeRunner.fragment = None


@dataclasses.dataclass
class Figure:
    """One measured action: its times, SQL statements, fragment runs and paragraph boxes drawn."""

    label: str
    ms: list[float] = dataclasses.field(default_factory=list)
    sql: list[int] = dataclasses.field(default_factory=list)
    fragments: Counter[str] = dataclasses.field(default_factory=Counter)
    boxes: list[int] = dataclasses.field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.ms) if self.ms else math.nan

    def add(self, measured: tuple[float, int, Counter[str]], at: AppTest) -> None:
        self.ms.append(measured[0])
        self.sql.append(measured[1])
        self.fragments = measured[2]
        self.boxes.append(len([b for b in at.text_area if is_paragraph(b)]))

    def line(self, *floors: "Figure") -> str:
        ratios = ", ".join(f"{self.median / f.median:.1f}x {f.label}" for f in floors)
        runs = ", ".join(f"{name} x{n}" for name, n in sorted(self.fragments.items()))
        details = [ratios] if ratios else []
        if self.sql:
            details.append(f"SQL {statistics.median(self.sql):.0f}")
            details.append(f"boxes drawn {statistics.median(self.boxes):.0f}")
            details.append(f"fragment runs: {runs or 'none'}")
        return f"  {self.label:52} {self.median:8.1f} ms  " + "; ".join(details)


def bare_page(english: list[str], russian: list[str], fragments: bool) -> None:
    """The floor: the same English and Russian, one Ukrainian text box each."""
    import streamlit as st  # noqa: TID251  (AppTest runs this function's body as a page)

    def one(i: int) -> None:
        with st.container(border=True):
            left, right = st.columns(2)
            left.text(english[i])
            with right:
                st.caption(russian[i])
                st.text_area("Ukrainian", key=f"text-{i}", label_visibility="collapsed")

    draw = st.fragment(one) if fragments else one
    for i in range(len(english)):
        draw(i)


def boxes_page(texts: list[str]) -> None:
    """The issue's other floor: two text boxes a paragraph (400 for 200) and nothing else."""
    import streamlit as st  # noqa: TID251

    for i, text in enumerate(texts):
        st.text_area("Box", value=text, key=f"text-{i}", label_visibility="collapsed")


def bench_bare(english: list[str], translated: dict[str, list[str]], repeat: int) -> dict:
    figures: dict[str, Figure] = {}
    pages: dict[str, tuple[Callable[..., None], tuple[Any, ...]]] = {
        "bare page": (bare_page, (english, translated["ru"], False)),
        "bare page, a fragment each": (bare_page, (english, translated["ru"], True)),
        BOXES: (boxes_page, (translated["ru"] + translated["uk"],)),
    }
    for name, (page, args) in pages.items():
        first, rerun = Figure(f"{name}: first run"), Figure(f"{name}: rerun")
        save = Figure(f"{name}: type in one box")
        for n in range(repeat):
            at = AppTest.from_function(page, args=args, default_timeout=TIMEOUT)
            first.add(timed(partial(run, at)), at)
            rerun.add(timed(partial(run, at)), at)
            if page is bare_page:  # no button to click: a box's change reruns the page too
                box = at.text_area(key=f"text-{n}").input(f"Текст {n}")
                save.add(timed(partial(rerun_after, at, box, browser=args[2])), at)
        figures.update({f.label: f for f in (first, rerun, save) if f.ms})
    return figures


def bench_desk(person_id: int, repeat: int) -> dict[str, Figure]:
    first, rerun = Figure("desk: first run"), Figure("desk: rerun")
    for _ in range(repeat):
        at = open_desk(person_id, first)
        choose_view(at, "uk")  # where a Ukrainian translator's desk opens; made sure of here
        rerun.add(timed(partial(run, at)), at)
    figures = {f.label: f for f in (first, rerun)}
    at = open_desk(person_id)
    for view in ("read", "ru", "en", "uk"):
        choose_view(at, view)
        figure = Figure(f"desk run, view {view!r}")
        figure.add(timed(partial(run, at)), at)
        figures[figure.label] = figure
    beats = bench_beats(at, repeat)
    for browser in (False, True):
        how = "browser-like (fragment)" if browser else "AppTest (whole script)"
        figures.update(bench_clicks(at, repeat, how, browser=browser))
    return {**figures, **beats}


def bench_beats(at: AppTest, repeat: int) -> dict[str, Figure]:
    """The desk's heartbeat as the browser's timer runs it (the presence fragment alone), while
    a colleague holds unsaved text in a Ukrainian paragraph, and while nobody else is here."""
    with Session(open_database(os.environ["DATABASE_URL"])) as session:
        editor = session.exec(select(Person).where(Person.name == "Bench Editor")).one()
        t = session.exec(select(Translation).where(Translation.lang == "uk")).first()
        assert t is not None and editor.id is not None and t.id is not None
        colleague = partial(
            beat, session, desk="bench-colleague", person=editor, story_id=t.story_id,
            view="uk", translation_id=t.id, unsaved=True,
        )  # fmt: skip
        alone, along = Figure("a beat, nobody else here"), Figure("a beat, a colleague here")
        for _ in range(repeat):
            for figure in (alone, along):
                if figure is along:
                    colleague()
                else:
                    forget(session, "bench-colleague")
                _BrowserLikeRunner.timers.clear()
                run(at)  # the whole page, so the next beat redraws no paragraph for news
                (timer,) = _BrowserLikeRunner.timers
                _BrowserLikeRunner.fragment = timer
                try:
                    figure.add(timed(partial(run, at)), at)
                finally:
                    _BrowserLikeRunner.fragment = None
        forget(session, "bench-colleague")
    run(at)  # the whole page, which the clicks start from
    return {f.label: f for f in (alone, along)}


ACTIONS = ("save", "Mark translated", "first save of an empty box")


def next_click(at: AppTest, action: str, n: int) -> tuple[Any, str]:
    """The button that does `action` to a paragraph (its box typed in first, where the action
    types), and the words the page says once it is done."""
    found = boxes(at)
    drafts = sorted(paragraph_buttons(at, "Mark translated"))
    if action == "Mark translated":
        return paragraph_button(at, "Mark translated", drafts[0]), "Marked translated"
    if action == "save":
        translated = [tid for tid, box in found.items() if box.value and tid not in drafts]
        tid = translated[n * 7 % len(translated)]
        found[tid].input(found[tid].value + f" Правка {n}.")
    else:
        tid = next(tid for tid, box in found.items() if not box.value)
        found[tid].input(f"Перший переклад {n}.")
    return paragraph_button(at, "Save", tid), "Saved"


def bench_clicks(at: AppTest, repeat: int, how: str, *, browser: bool) -> dict[str, Figure]:
    """A plain save, Mark translated and a first save of an empty box, on fresh paragraphs."""
    figures = {action: Figure(f"{action}, {how}") for action in ACTIONS}
    for n in range(repeat):
        for action, figure in figures.items():
            target, words = next_click(at, action, n)
            target.click()
            figure.add(timed(partial(rerun_after, at, target, browser=browser)), at)
            if not any(words in message.value for message in at.success):
                print(f"  (warning: the page did not say {words!r} after: {figure.label})")
            run(at)  # the whole page, which the next click starts from
    return {f.label: f for f in figures.values()}


def bench_drafting(english: list[str], folder: Path, latency: float) -> None:
    """`python -m workflow translate` against a slow loopback LibreTranslate."""
    url = f"sqlite:///{folder / 'drafting.db'}"
    with Session(open_database(url)) as session:
        drafted = import_story(session, read_story_file("\n\n".join(english).encode()), person=None)
        story_id = drafted.id
    in_flight, most, lock = [0], [0], threading.Lock()

    def slow(handler: type[BaseHTTPRequestHandler]) -> Any:
        """The test suite's LibreTranslate, answering `latency` seconds late."""

        class Slow(handler):  # type: ignore[valid-type,misc]
            def do_POST(self) -> None:
                with lock:
                    in_flight[0] += 1
                    most[0] = max(most[0], in_flight[0])
                time.sleep(latency)
                with lock:
                    in_flight[0] -= 1
                super().do_POST()

        return loopback_server(Slow)

    with mock.patch("tests.libre_server.loopback_server", slow), libre_server() as (server, got):
        env = dict(os.environ, DATABASE_URL=url, LOCKSTEP_MT_ENGINE="libre", LOCKSTEP_MT_URL=server)
        command = [sys.executable, "-m", "workflow", "translate", str(story_id), "--lang", "ru,uk"]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    requests = 2 * len(english)
    print(f"drafting {len(english)} paragraphs in ru and uk, {latency * 1000:.0f} ms an answer:")
    for line in (done.stdout + done.stderr).strip().splitlines():
        print(f"  | {line}")
    serial, parallel = requests * latency, math.ceil(requests / 8) * latency
    print(f"  python -m workflow translate: {seconds:.1f} s (exit {done.returncode}); "
          f"{len(got)} requests answered, at most {most[0]} in flight")  # fmt: skip
    for label, floor in (
        (f"serial floor ({requests} x {latency} s)", serial),
        (f"8-parallel floor (ceil({requests}/8) x {latency} s)", parallel),
    ):
        print(f"  {label:40} {floor:6.1f} s; the command took {seconds / floor:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (the median)")
    parser.add_argument("--latency", type=float, default=0.3, help="the engine's, in seconds")
    parser.add_argument("--no-drafting", action="store_true", help="skip the drafting figures")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="cpu: this process's processor time, steadier when other work shares the machine",
    )
    args = parser.parse_args()
    CLOCK[0] = time.process_time if args.clock == "cpu" else time.perf_counter
    english, translated = story(args.paragraphs)
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as scratch:
        folder = Path(scratch)
        url = f"sqlite:///{folder / 'desk.db'}"
        os.environ.update(DATABASE_URL=url, LOCKSTEP_DEMO="0")
        start = time.perf_counter()
        person_id = build_desk(url, english, translated)
        took = time.perf_counter() - start
        print(f"{args.paragraphs} paragraphs stored with both translations in {took:.1f} s; "
              f"figures: the median of {args.repeat} runs")  # fmt: skip
        open_desk(person_id)  # warm-up: the app's modules and engine, once a process
        bare = bench_bare(english, translated, args.repeat)
        desk = bench_desk(person_id, args.repeat)
        print_figures(bare, desk)
        if not args.no_drafting:
            bench_drafting(english, folder, args.latency)


def print_figures(bare: dict[str, Figure], desk: dict[str, Figure]) -> None:
    print("floors, bare Streamlit pages:")
    for figure in bare.values():
        print(figure.line())
    print("the desk, as the Ukrainian translator in the Ukrainian edit view:")
    for run in ("first run", "rerun"):
        print(desk[f"desk: {run}"].line(bare[f"bare page: {run}"], bare[f"{BOXES}: {run}"]))
    for how, floor in (
        ("AppTest (whole script)", bare["bare page: type in one box"]),
        ("browser-like (fragment)", bare["bare page, a fragment each: type in one box"]),
    ):
        plain = desk[f"save, {how}"]
        print(plain.line(floor))
        for label in ("Mark translated", "first save of an empty box"):
            print(desk[f"{label}, {how}"].line(floor, plain))
    print("the desk's heartbeat, browser-like (its timer reruns the presence fragment alone):")
    for label in ("a beat, nobody else here", "a beat, a colleague here"):
        print(desk[label].line())
    print("one desk run in each view:")
    for label, figure in desk.items():
        if label.startswith("desk run, view"):
            print(figure.line())


if __name__ == "__main__":
    main()
