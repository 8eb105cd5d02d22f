"""Benchmark of the manager's Progress page on a newsroom-sized desk, beside a GROUP BY floor.

    python benchmarks/progress_bench.py                                   # SQLite, a temp file
    python benchmarks/progress_bench.py --url postgresql:///lockstep_bench  # an EMPTY database

Fills an empty database with 10,000 stories of 15 paragraphs in Russian and Ukrainian, in
mixed states with their history (revisions, the audit log, stale periods, flags), by bulk
inserts. Then prints, as medians of several runs:

- the floor: a bare `SELECT count(*) ... GROUP BY story, language` over the translations
  joined to their paragraphs, the tables every figure of the page is counted from;
- each query the page runs, and their sum, as a multiple of that floor;
- the whole page run server-side in `AppTest` as a manager: cold (caches empty) and warm.

Figures are measured, never asserted: machines are noisy.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from benchmarks.realign_bench import median_ms  # noqa: E402
from workflow.accounts import hash_password  # noqa: E402
from workflow.database import open_database  # noqa: E402
from workflow.models import (  # noqa: E402
    Change,
    Flag,
    LanguageVersion,
    Person,
    PersonLanguage,
    Revision,
    SourceParagraph,
    SourceVersion,
    StalePeriod,
    Story,
    Translation,
)
from workflow.people import list_people  # noqa: E402
from workflow.progress import version_totals  # noqa: E402
from workflow.reports import (  # noqa: E402
    ReportFilter,
    desk_generation,
    report_count,
    report_rows,
    sections,
)
from workflow.states import Action, Role, TranslationState, VersionState  # noqa: E402
from workflow.trends import desk_trends  # noqa: E402

T, V = TranslationState, VersionState
LANGS = ("ru", "uk")
SECTIONS = ("politics", "world", "economy", "war", "culture", "sport", "science")
NOW = datetime.now(UTC).replace(microsecond=0)
PAGE_SIZE = 50  # as the page shows


class Desk:
    """Rows of a synthetic desk, built in memory, then inserted table by table."""

    def __init__(self, stories: int, paragraphs: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.tables: dict[Any, list[dict[str, Any]]] = {
            table: []
            for table in (
                Person, PersonLanguage, Story, SourceParagraph, SourceVersion, LanguageVersion,
                Translation, Revision, Change, Flag, StalePeriod,
            )
        }  # fmt: skip
        self.ids: dict[Any, int] = {}
        self._people()
        for _ in range(stories):
            self._story(paragraphs)

    def add(self, table: Any, **row: Any) -> int:
        row["id"] = self.ids[table] = self.ids.get(table, 0) + 1
        self.tables[table].append(row)
        return row["id"]

    def _people(self) -> None:
        def person(name: str, role: Role, languages: str) -> int:
            person_id = self.add(
                Person, name=name, role=role,
                email=f"{name.lower().replace(' ', '.')}@bench.example",
                password_hash=admin_hash if role is Role.ADMIN else None,
            )  # fmt: skip
            for lang in filter(None, languages.split(",")):
                self.tables[PersonLanguage].append({"person_id": person_id, "lang": lang})
            return person_id

        admin_hash = hash_password(secrets.token_urlsafe(16))  # nobody signs in to the bench

        self.admin = person("Bench Admin", Role.ADMIN, "")
        self.manager = person("Bench Manager", Role.MANAGER, "")
        self.translators = {
            lang: [person(f"Translator {lang} {n}", Role.TRANSLATOR, lang) for n in range(12)]
            for lang in LANGS
        }
        self.editors = [person(f"Editor {n}", Role.EDITOR, "ru,uk") for n in range(6)]

    def _story(self, paragraphs: int) -> None:
        rng = self.rng
        created = NOW - timedelta(days=rng.uniform(0, 120))
        edited = rng.random() < 0.1  # the English was corrected after translation began
        english_at = created + timedelta(hours=rng.uniform(1, 30)) if edited else created
        english_at = min(english_at, NOW)
        story = self.add(
            Story, headline=f"Story {self.ids.get(Story, 0) + 1}: talks resume in Geneva",
            section=rng.choice(SECTIONS), date_line="", source_format="plain", embargoed=False,
            created_at=created, updated_at=english_at, english_changed_at=english_at,
        )  # fmt: skip
        editor = rng.choice(self.editors)
        self.add(
            Change, story_id=story, lang=None, translation_id=None, action=Action.IMPORT_STORY,
            from_state=None, to_state=None, person_id=editor, comment="",
            source_fingerprint=None, created_at=created,
        )  # fmt: skip
        body = []
        paragraph_ids = []
        for position in range(paragraphs):
            words = f"Paragraph {position} of story {story}: the delegations met again."
            body.append(words)
            paragraph = self.add(
                SourceParagraph, story_id=story, position=position, text=words,
                fingerprint="", removed=False, lock_version=1,
            )  # fmt: skip
            self.tables[SourceParagraph][-1]["fingerprint"] = f"fp-{paragraph}"
            paragraph_ids.append(paragraph)
        for number in (1, 2) if edited else (1,):
            self.add(
                SourceVersion, story_id=story, number=number, text="\n\n".join(body),
                summary="", author_id=editor,
                created_at=created if number == 1 else english_at,
            )  # fmt: skip
        for lang in LANGS:
            self._version(story, lang, created, english_at, edited, paragraph_ids, editor)

    def _version(
        self, story: int, lang: str, created: datetime, english_at: datetime, edited: bool,
        paragraph_ids: list[int], editor: int,
    ) -> None:  # fmt: skip
        rng = self.rng
        state = rng.choices(
            [V.IN_TRANSLATION, V.IN_REVIEW, V.APPROVED, V.PUBLISHED], [30, 20, 15, 35]
        )[0]
        translator = rng.choice(self.translators[lang])
        due = created + timedelta(hours=rng.uniform(4, 96))
        self.add(
            LanguageVersion, story_id=story, lang=lang, state=state, translator_id=translator,
            reviewer_id=editor, due_at=due, updated_at=min(created + timedelta(hours=30), NOW),
        )  # fmt: skip
        stale_positions = set(rng.sample(range(len(paragraph_ids)), 2)) if edited else set()
        for position, paragraph in enumerate(paragraph_ids):
            if state is V.IN_TRANSLATION:
                p_state = rng.choices([T.EMPTY, T.MACHINE_DRAFT, T.TRANSLATED], [4, 3, 5])[0]
            elif state is V.IN_REVIEW:
                p_state = rng.choices([T.TRANSLATED, T.APPROVED], [1, 1])[0]
            else:
                p_state = T.APPROVED
            self._paragraph(
                story, lang, paragraph, p_state, position in stale_positions, created,
                english_at, translator, editor,
            )  # fmt: skip
        if state in (V.APPROVED, V.PUBLISHED):
            approved = min(created + timedelta(hours=rng.uniform(2, 48)), NOW)
            for action, at in [(Action.APPROVE_VERSION, approved)] + (
                [(Action.PUBLISH, min(approved + timedelta(hours=1), NOW))]
                if state is V.PUBLISHED
                else []
            ):
                self.add(
                    Change, story_id=story, lang=lang, translation_id=None, action=action,
                    from_state=None, to_state=None, person_id=editor, comment="",
                    source_fingerprint=None, created_at=at,
                )  # fmt: skip

    def _paragraph(
        self, story: int, lang: str, paragraph: int, state: TranslationState, stale: bool,
        created: datetime, english_at: datetime, translator: int, editor: int,
    ) -> None:  # fmt: skip
        rng = self.rng
        empty = state is T.EMPTY
        machine = state is T.MACHINE_DRAFT or (not empty and rng.random() < 0.4)
        draft = f"Machine text {paragraph} {lang}" if machine else None
        text_ = "" if empty else (draft if machine and rng.random() < 0.3 else f"Text {paragraph}")
        made = min(created + timedelta(hours=rng.uniform(0.2, 20)), NOW)
        # A stale translation was made from English older than its paragraph's.
        fingerprint = None if empty else (f"fp-old-{paragraph}" if stale else f"fp-{paragraph}")
        translation = self.add(
            Translation, story_id=story, paragraph_id=paragraph, lang=lang, text=text_,
            state=state, source_fingerprint=fingerprint, source_text=None, check_from=None,
            origin="machine:google" if machine and text_ == draft else ("" if empty else "human"),
            draft_text=draft, draft_origin="machine:google" if machine else "",
            lock_version=0 if empty else 1, updated_at=made,
            updated_by_id=None if empty else translator,
            translated_by_id=None if empty else translator,
        )  # fmt: skip
        if empty:
            return
        self.add(
            Revision, translation_id=translation, lock_version=1, text=text_, origin="human",
            reason="edit", source_fingerprint=None, source_text=None, author_id=translator,
            created_at=made,
        )  # fmt: skip
        self.add(
            Change, story_id=story, lang=lang, translation_id=translation, action=Action.SAVE,
            from_state=int(T.EMPTY), to_state=int(T.TRANSLATED), person_id=translator,
            comment="", source_fingerprint=None, created_at=made,
        )  # fmt: skip
        if state is T.APPROVED:
            self.add(
                Change, story_id=story, lang=lang, translation_id=translation,
                action=Action.APPROVE, from_state=int(T.TRANSLATED), to_state=int(T.APPROVED),
                person_id=editor, comment="", source_fingerprint=None,
                created_at=min(made + timedelta(hours=rng.uniform(1, 24)), NOW),
            )  # fmt: skip
        if stale:
            self.add(
                StalePeriod, translation_id=translation, story_id=story, lang=lang,
                started_at=english_at, ended_at=None,
            )  # fmt: skip
        if rng.random() < 0.03:
            self.add(
                Flag, translation_id=translation, code="numbers", severity="error",
                message="A figure differs from the English.", checked="", overridden_by_id=None,
                override_reason=None, overridden_at=None, created_at=made,
            )  # fmt: skip

    def insert(self, engine: Engine) -> int:
        """Bulk inserts below the ORM: COPY on PostgreSQL, executemany on SQLite, with each
        value converted by its column's own type, as the ORM would store it."""
        count = 0
        dialect = engine.dialect
        with engine.begin() as connection:
            for model, rows in self.tables.items():
                table, names = model.__table__, list(rows[0])
                convert = [table.c[name].type.bind_processor(dialect) for name in names]
                values = [
                    tuple(c(row[n]) if c else row[n] for n, c in zip(names, convert, strict=True))
                    for row in rows
                ]
                columns = ", ".join(f'"{name}"' for name in names)
                if dialect.name == "postgresql":
                    cursor = connection.connection.cursor()
                    with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                        for value in values:
                            copy.write_row(value)
                    if model in self.ids:  # a table with its own ids, not a link table
                        sequence = f"pg_get_serial_sequence('\"{table.name}\"', 'id')"
                        connection.execute(text(f"SELECT setval({sequence}, {self.ids[model]})"))
                else:
                    marks = ", ".join("?" for _ in names)
                    connection.exec_driver_sql(
                        f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', values
                    )
                count += len(rows)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(
                text("VACUUM ANALYZE" if dialect.name == "postgresql" else "ANALYZE")
            )
        return count


def warm_median_ms(run: Callable[[], object], repeat: int = 5) -> float:
    run()  # warm the database's own caches, as a page in use has them
    return median_ms(run, repeat)


FLOOR = text(
    "SELECT t.story_id, t.lang, count(*) FROM translation t"
    " JOIN sourceparagraph p ON p.id = t.paragraph_id"
    " WHERE p.removed = false GROUP BY t.story_id, t.lang"
)


def page_queries(session: Session) -> dict[str, Callable[[], object]]:
    """Every query the Progress page runs on a first visit, as it runs them."""
    default = ReportFilter()
    since = datetime.combine(NOW.date() - timedelta(days=29), datetime.min.time(), tzinfo=UTC)
    return {
        "totals per language": lambda: version_totals(session),
        "people, sections, generation": lambda: (
            list(list_people(session)),
            sections(session),
            desk_generation(session),
        ),
        "page of 50 rows": lambda: report_rows(session, default, limit=PAGE_SIZE),
        "row count": lambda: report_count(session, default),
        "charts (30 days)": lambda: desk_trends(session, since),
    }


def filtered_queries(session: Session) -> dict[str, Callable[[], object]]:
    """Filters that depend on counted figures: every version counted before the page is cut."""
    attention = ReportFilter(needs_attention=True)
    outdated = ReportFilter(state=VersionState.OUTDATED)
    return {
        "needs attention: page": lambda: report_rows(session, attention, limit=PAGE_SIZE),
        "needs attention: count": lambda: report_count(session, attention),
        "outdated: page": lambda: report_rows(session, outdated, limit=PAGE_SIZE),
        "whole report for the CSV (on click)": lambda: report_rows(session),
    }


def app_run(url: str, manager_id: int) -> tuple[float, float]:
    """The Progress page run server-side by `AppTest`, after a first run has imported its
    modules: with its caches cleared (a first visit after a change at the desk), then warm."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    os.environ.pop("LOCKSTEP_DEMO", None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["person_id"] = manager_id
    at.run()  # signs in, opens the engine, shows My work
    at.switch_page("workflow/ui/progress.py").run()  # imports the page's modules, once a server
    assert not at.exception, at.exception
    assert any("story versions" in c.value for c in at.caption)
    st.cache_data.clear()
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(5):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    return cold * 1000, statistics.median(warm) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--paragraphs", type=int, default=15)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="lockstep-bench-")
    url = args.url or f"sqlite:///{folder}/bench.db"
    engine = open_database(url)
    with Session(engine) as session:
        if session.exec(select(func.count()).select_from(Story)).one()[0]:  # type: ignore[call-overload]
            raise SystemExit(f"{url} already holds stories: the benchmark needs an empty database.")

    start = time.perf_counter()
    desk = Desk(args.stories, args.paragraphs)
    built = time.perf_counter() - start
    start = time.perf_counter()
    rows = desk.insert(engine)
    inserted = time.perf_counter() - start
    print(f"Database: {engine.dialect.name}")
    print(
        f"Generated {args.stories:,} stories x {args.paragraphs} paragraphs x {len(LANGS)} "
        f"languages: {rows:,} rows ({len(desk.tables[Translation]):,} translations, "
        f"{len(desk.tables[Change]):,} audit-log lines) built in {built:.1f} s, "
        f"inserted in {inserted:.1f} s ({rows / inserted:,.0f} rows/s)"
    )
    with Session(engine) as session:
        floor = warm_median_ms(lambda: session.execute(FLOOR).all())
        print(f"\nFloor, bare SELECT count(*) ... GROUP BY story, language: {floor:8.1f} ms")
        print("\nThe page's queries (median of 5)         ms    x floor")
        total = 0.0
        for name, run in page_queries(session).items():
            ms = warm_median_ms(run)
            total += ms
            print(f"  {name:<38} {ms:8.1f} {ms / floor:8.2f}")
        print(f"  {'all of them':<38} {total:8.1f} {total / floor:8.2f}")
        print("\nFilters on counted figures, and the CSV")
        for name, run in filtered_queries(session).items():
            ms = warm_median_ms(run, repeat=3)
            print(f"  {name:<38} {ms:8.1f} {ms / floor:8.2f}")
    cold, warm = app_run(url, desk.manager)
    print(f"\nWhole page in AppTest as a manager: cold {cold:.0f} ms, warm (cached) {warm:.0f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
