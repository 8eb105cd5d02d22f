"""Progress: every story in every language, for the manager; figures from `reports`."""

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from workflow import LANGUAGES
from workflow.models import Person
from workflow.people import list_people
from workflow.presence import on_stories, others
from workflow.progress import version_totals
from workflow.reports import (
    ReportFilter,
    ReportRow,
    desk_generation,
    report_count,
    report_rows,
    sections,
    to_csv,
)
from workflow.states import TranslationState, VersionState
from workflow.trends import desk_trends
from workflow.ui import charts
from workflow.ui.charts import (
    BAR_WIDTH,
    CELL_HEIGHT,
    LEGEND,
    approvals_chart,
    backlog_chart,
    machine_chart,
    progress_bar,
    turnaround_chart,
    words_chart,
    work_chart,
)
from workflow.ui.common import current_person, db, format_time, language_name, md, version_badge
from workflow.ui.story_url import open_story

ss = st.session_state
T = TranslationState
F = TypeVar("F")
PAGE_SIZE = 50
ANY = ""


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def _page(generation: str, filters: dict, page: int) -> tuple[list[ReportRow], int]:
    """One page of rows and the total, cached until anything at the desk changes
    (`generation`) or for a minute, whichever comes first."""
    del generation  # only the cache key
    wanted = ReportFilter(**filters)
    with db() as session:
        return (
            report_rows(session, wanted, limit=PAGE_SIZE, offset=page * PAGE_SIZE),
            report_count(session, wanted),
        )


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def _csv(generation: str, filters: dict) -> str:
    """The whole filtered view as CSV, cached like the page."""
    del generation  # only the cache key
    with db() as session:
        return to_csv(report_rows(session, ReportFilter(**filters)))


def _filters(people: list[Person], known_sections: list[str]) -> ReportFilter:
    first, second, third = st.columns(3)
    lang = first.selectbox(
        "Language", [ANY, *LANGUAGES], format_func=lambda c: language_name(c) if c else "All"
    )
    state = second.selectbox(
        "State", [ANY, *(s.slug for s in VersionState)],
        format_func=lambda s: VersionState[s.upper()].label if s else "All",
    )  # fmt: skip
    names = {p.id: p.name for p in people}
    person_id = third.selectbox("Person", [0, *names], format_func=lambda i: names.get(i, "Anyone"))
    fourth, fifth, sixth = st.columns(3)
    section = fourth.selectbox("Section", [ANY, *known_sections], format_func=lambda s: s or "All")
    dates = fifth.date_input("English changed between", value=[], format="YYYY-MM-DD")
    attention = sixth.toggle("Only what needs attention (stale, errors, late)")
    since = until = None
    if isinstance(dates, tuple) and len(dates) == 2:
        since = datetime.combine(dates[0], time.min, tzinfo=UTC)
        until = datetime.combine(dates[1], time.max, tzinfo=UTC)
    return ReportFilter(
        lang=lang or None,
        state=VersionState[state.upper()] if state else None,
        person_id=person_id or None,
        section=section or None,
        since=since,
        until=until,
        needs_attention=attention,
    )


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def _version_totals(generation: str) -> dict[str, dict[VersionState, int]]:
    del generation  # only the cache key
    with db() as session:
        return version_totals(session)


def _totals(generation: str) -> None:
    totals = _version_totals(generation)
    for column, lang in zip(st.columns(len(LANGUAGES)), LANGUAGES, strict=True):
        with column, st.container(border=True):
            st.markdown(md("**{}**", language_name(lang)))
            counts = totals.get(lang, {})
            with st.container(horizontal=True):
                for state in VersionState:
                    if counts.get(state):
                        # A badge and its count wrap together, never onto two lines.
                        with st.container(horizontal=True, width="content", wrap=False):
                            version_badge(state)
                            st.markdown(md("{}", counts[state]))


def _counts(row: ReportRow) -> dict[TranslationState, int]:
    return {
        T.APPROVED: row.approved,
        T.TRANSLATED: row.translated,
        T.NEEDS_EDITING: row.needs_editing,
        T.MACHINE_DRAFT: row.machine_draft,
        T.EMPTY: row.empty,
    }


PROGRESS_ROW_HEIGHT = CELL_HEIGHT  # px: three lines of a wrapped headline
# Widths in px that add up to the main column at 1440 px with the sidebar open. The counts of
# paragraphs by state are drawn by the Progress bar (and are in the CSV), so they are kept out
# of the table's width: None hides a column.
PROGRESS_COLUMNS: dict[str, Any] = {
    "Story": st.column_config.TextColumn("Story", help="#number · headline", width=138),
    "Language": st.column_config.TextColumn("Language", width=70),
    "State": st.column_config.TextColumn("State", width=80),
    "Progress": st.column_config.ImageColumn(
        "Progress", help="Paragraphs by state, in the colours of the desk", width=BAR_WIDTH
    ),
    "Due": st.column_config.TextColumn(
        "Due", help="⚠: late, and not yet approved; a published version has none", width=80
    ),
    "Stale": st.column_config.NumberColumn("Stale", width=50),
    "Errors": st.column_config.NumberColumn("Errors", width=50),
    "Translator": st.column_config.TextColumn("Translator", width=72),
    "Reviewer": st.column_config.TextColumn("Reviewer", width=72),
    "Here now": st.column_config.TextColumn(
        "Here now", help="Who has this version open at the desk now", width=75
    ),
    "English changed": st.column_config.TextColumn(
        "Changed", help="When the English last changed", width=78
    ),
    "Size": st.column_config.TextColumn(
        "Size",
        help="Words of the translation as it stands / of the English (counted as CAT tools "
        "do), and the translation's characters, spaces included; the CSV has every count",
        width=80,
    ),
    "English words": None,
    "Words": None,
    "Characters": None,
    "Approved": None,
    "Translated": None,
    T.NEEDS_EDITING.label: None,
    "Machine draft": None,
    "Empty": None,
}


def _here_now(rows: list[ReportRow], person_id: int) -> dict[tuple[int, str], str]:
    """Who is in each version of the page's stories now, by (story, language): one query."""
    with db() as session:
        found = on_stories(session, {row.story_id for row in rows})
    return {
        (story_id, here.view): ", ".join(
            f"{h.name} (editing)" if h.translation_id else h.name
            for h in others(heres, person_id)
            if h.view == here.view
        )
        for story_id, heres in found.items()
        for here in heres
    }


def _table(rows: list[ReportRow], here_now: dict[tuple[int, str], str]) -> None:
    data = [
        {
            "Story": f"#{row.story_id} · {row.headline}",
            "Language": language_name(row.lang),
            "State": row.state.label,
            "Progress": progress_bar(_counts(row)),
            "Due": ""
            if row.state is VersionState.PUBLISHED
            else ("⚠ " if row.overdue else "") + (format_time(row.due_at) if row.due_at else ""),
            "Stale": row.stale,
            "Errors": row.open_errors,
            "Translator": row.translator or "",
            "Reviewer": row.reviewer or "",
            "Here now": here_now.get((row.story_id, row.lang), ""),
            "Approved": row.approved,
            "Translated": row.translated,
            T.NEEDS_EDITING.label: row.needs_editing,
            "Machine draft": row.machine_draft,
            "Empty": row.empty,
            "English words": row.english_words,
            "Words": row.words,
            "Size": f"{row.words:,} / {row.english_words:,} words · {row.characters:,} chars",
            "Characters": row.characters,
            "English changed": format_time(row.english_changed_at),
        }
        for row in rows
    ]
    frame = pd.DataFrame(data)
    late = "color: #d32f2f; font-weight: 600"
    styled = frame.style.map(lambda due: late if due.startswith("⚠") else "", subset=["Due"])
    chosen = st.dataframe(
        styled if data else frame,
        hide_index=True,
        width="stretch",
        # Taller rows let text cells wrap (the grid wraps from 4rem up), so a whole headline
        # shows in a narrow column and the table fits 1440 px without scrolling sideways.
        row_height=PROGRESS_ROW_HEIGHT,
        height=min(len(rows), 10) * PROGRESS_ROW_HEIGHT + 40,  # ten rows, then it scrolls
        on_select="rerun",
        selection_mode="single-row",
        key="progress_table",
        column_config=PROGRESS_COLUMNS,
    )
    picked = chosen.selection.rows if chosen and chosen.selection else []
    if picked:
        row = rows[picked[0]]
        open_story(row.story_id, row.lang)  # that language's version


PERIODS = {7: "Last 7 days", 30: "Last 30 days", 90: "Last 90 days", 365: "Last year"}


@st.cache_data(ttl=60, max_entries=200, show_spinner=False)
def _trend_charts(generation: str, days: int, today: date) -> list[tuple[str, dict | None, str]]:
    """The charts' Vega-Lite specifications (or what to say instead of an empty chart),
    counted and drawn once per change at the desk: building an Altair chart costs more than
    showing it."""
    del generation  # only the cache key
    first = today - timedelta(days=days - 1)
    with db() as session:
        found = desk_trends(session, datetime.combine(first, time.min, tzinfo=UTC))

    def drawn(
        title: str, figures: Sequence[F], draw: Callable[[Sequence[F]], Any], empty: str
    ) -> tuple[str, dict | None, str]:
        return title, (draw(figures).to_dict() if figures else None), empty

    return [
        drawn(
            charts.APPROVALS,
            found.approved,
            lambda points: approvals_chart(points, first, today),
            "No paragraph was approved in this period.",
        ),
        drawn(
            charts.TURNAROUND,
            found.turnaround,
            turnaround_chart,
            "No version was approved in this period.",
        ),
        drawn(
            charts.BACKLOG,
            found.backlog,
            lambda points: backlog_chart(points, first, today),
            "Nothing has gone stale in this period.",
        ),
        drawn(charts.WORK, found.work, work_chart, "Nobody worked on a paragraph in this period."),
        drawn(
            charts.WORDS,
            found.words,
            lambda points: words_chart(points, first, today),
            "Nobody saved a paragraph as translated in this period.",
        ),
        drawn(
            charts.MACHINE,
            found.machine,
            machine_chart,
            "No version that started from machine text was published in this period.",
        ),
    ]


def _charts(generation: str) -> None:
    head, choice = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader("How the desk works")
    days = choice.selectbox(
        "Period", list(PERIODS), index=1, format_func=PERIODS.__getitem__, key="trend_days"
    )
    st.caption("Days are UTC days.")
    columns = st.columns(2)
    drawn = _trend_charts(generation, days, datetime.now(UTC).date())
    for n, (title, spec, empty) in enumerate(drawn):
        with columns[n % 2]:
            if spec is None:  # the chart's place kept, with its title, so the grid holds
                with st.container(border=True, height=200):
                    st.markdown(md("**{}**", title))
                    st.caption(md("{}", empty))
            else:
                st.vega_lite_chart(spec, width="stretch")


person = current_person()
st.title("Progress")
if person is not None:
    with db() as session:
        people = list(list_people(session))
        known_sections = sections(session)
        generation = desk_generation(session)
    _totals(generation)
    filters = _filters(people, known_sections)
    plain = asdict(filters)
    page = int(ss.get("progress_page", 1)) - 1
    rows, total = _page(generation, plain, page)
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages:  # the filters left fewer pages than the one shown
        ss["progress_page"], page = 1, 0
        rows, total = _page(generation, plain, page)
    st.caption(
        md("{} story versions · page {} of {} · select a row to open it", total, page + 1, pages)
    )
    _table(rows, _here_now(rows, person.id or 0))
    st.caption(LEGEND)
    left, right = st.columns([1, 3])
    left.number_input("Page", min_value=1, max_value=pages, key="progress_page")
    right.download_button(
        "Download this view as CSV",
        data=lambda: _csv(generation, plain).encode("utf-8"),  # made when clicked
        file_name="lockstep-progress.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    st.divider()
    _charts(generation)
