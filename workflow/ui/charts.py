"""The manager's charts (Altair) and the progress bar drawn in each row of the table.

Pure functions from the figures `workflow.trends` counts to charts; nothing here reads the
database. Colours follow the desk's badges: a state has one colour on every page.
"""

import base64
from collections.abc import Sequence
from datetime import date, timedelta

import altair as alt

from workflow import LANGUAGES
from workflow.states import TranslationState
from workflow.trends import WORK_KINDS, DayCount, MachineShare, Turnaround, WordsPerDay, Work

T = TranslationState

# The badge colours of `ui.common.STATE_COLORS`, as the colours Streamlit draws them in.
SEGMENTS: tuple[tuple[TranslationState, str], ...] = (
    (T.APPROVED, "#21a354"),  # green
    (T.TRANSLATED, "#1c83e1"),  # blue
    (T.NEEDS_EDITING, "#ff8700"),  # orange
    (T.MACHINE_DRAFT, "#803df5"),  # violet
    (T.EMPTY, "#c4c7cf"),  # gray
)
LEGEND = (
    "Progress: :green[■] approved · :blue[■] translated · :orange[■] needs editing (sent "
    "back) · :violet[■] machine draft · :gray[■] empty"
)
LANGUAGE_SCALE = alt.Scale(domain=list(LANGUAGES.values()), range=["#1c83e1", "#ff8700"])
WORK_SCALE = alt.Scale(
    domain=list(WORK_KINDS),
    range=["#1c83e1", "#803df5", "#21a354", "#ff8700"],  # the colours of those states
)
# The charts' titles, also shown in their place when a chart has nothing to draw.
APPROVALS = "Paragraphs approved per day"
TURNAROUND = "Median time from import to approval"
BACKLOG = "Stale translations (the backlog)"
WORK = "Work per person"
MACHINE = "Machine text published unedited"
WORDS = "Words translated per day"

WHOLE_NUMBERS = alt.Axis(format="d", tickMinStep=1)  # no 0.2 of a paragraph
# The shape of the Progress table's cell (its column's width, its rows' height): a picture of
# another shape is scaled to the row's height and cropped at its ends.
BAR_WIDTH, CELL_HEIGHT = 95, 76
BAR_HEIGHT = 14
BAR_TOP = (CELL_HEIGHT - BAR_HEIGHT) // 2
# The cell's padding makes the picture's room a little narrower than the column: the bar
# leaves that much blank at each end, so what is cropped is never the bar.
BAR_INSET = 8
DRAWN_WIDTH = BAR_WIDTH - 2 * BAR_INSET


def progress_bar(counts: dict[TranslationState, int]) -> str:
    """A bar split by paragraph state, as an SVG data URL for an image column: numbers only,
    no text anyone typed, goes into it. Drawn in the middle of a picture shaped like the
    table's cell, so the table scales it whole rather than cropping its ends."""
    total = sum(counts.values())
    rects, x = [], float(BAR_INSET)
    for state, colour in SEGMENTS:
        width = DRAWN_WIDTH * counts.get(state, 0) / total if total else 0.0
        if width:
            rects.append(
                f'<rect x="{x:.2f}" y="{BAR_TOP}" width="{width:.2f}" height="{BAR_HEIGHT}" '
                f'fill="{colour}"/>'
            )
        x += width
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{BAR_WIDTH}" height="{CELL_HEIGHT}" '
        f'viewBox="0 0 {BAR_WIDTH} {CELL_HEIGHT}">'
        f'<rect x="{BAR_INSET}" y="{BAR_TOP}" width="{DRAWN_WIDTH}" height="{BAR_HEIGHT}" '
        f'fill="#f0f2f6"/>' + "".join(rects) + "</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _language(code: str) -> str:
    return LANGUAGES.get(code, code)


def _days(first: date, last: date) -> alt.X:
    """A time axis over the whole period, so quiet days show as quiet."""
    return alt.X(
        "day:T",
        title=None,
        timeUnit="utcyearmonthdate",  # the days are UTC days, wherever the reader is
        scale=alt.Scale(
            type="utc", domain=[first.isoformat(), (last + timedelta(days=1)).isoformat()]
        ),
    )


DAY_TOOLTIP = alt.Tooltip("day:T", timeUnit="utcyearmonthdate", format="%d %b %Y", title="day")


def approvals_chart(points: Sequence[DayCount], first: date, last: date) -> alt.Chart:
    data = [
        {"day": p.day.isoformat(), "language": _language(p.lang), "paragraphs": p.paragraphs}
        for p in points
    ]
    return (
        alt.Chart(alt.Data(values=data), title=APPROVALS)
        .mark_bar()
        .encode(
            x=_days(first, last),
            xOffset="language:N",
            y=alt.Y("paragraphs:Q", title="Paragraphs", axis=WHOLE_NUMBERS),
            color=alt.Color("language:N", scale=LANGUAGE_SCALE, title=None),
            tooltip=[DAY_TOOLTIP, "language:N", "paragraphs:Q"],
        )
    )


def turnaround_chart(rows: Sequence[Turnaround]) -> alt.LayerChart:
    data = [
        {
            "language": _language(r.lang),
            "hours": round(r.median_hours, 1),
            "versions": r.versions,
        }
        for r in rows
    ]
    base = alt.Chart(alt.Data(values=data), title=TURNAROUND).encode(
        x=alt.X("hours:Q", title="Hours"),
        y=alt.Y("language:N", title=None),
        tooltip=["language:N", alt.Tooltip("hours:Q", title="median hours"), "versions:Q"],
    )
    bars = base.mark_bar().encode(color=alt.Color("language:N", scale=LANGUAGE_SCALE, legend=None))
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("hours:Q", format=".1f"))
    return bars + labels


def backlog_chart(points: Sequence[DayCount], first: date, today: date) -> alt.Chart:
    """Stale translations over time: a step line per language, carried on to today."""
    data = [
        {"day": p.day.isoformat(), "language": _language(p.lang), "stale": p.paragraphs}
        for p in points
    ]
    last: dict[str, DayCount] = {}
    for p in sorted(points, key=lambda p: p.day):
        last[p.lang] = p
    data += [  # each language's line carried on to today
        {"day": today.isoformat(), "language": _language(lang), "stale": p.paragraphs}
        for lang, p in last.items()
        if p.day < today
    ]
    return (
        alt.Chart(alt.Data(values=data), title=BACKLOG)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=_days(first, today),
            y=alt.Y("stale:Q", title="Paragraphs", axis=WHOLE_NUMBERS),
            color=alt.Color("language:N", scale=LANGUAGE_SCALE, title=None),
            # Dashed and solid, so one language's line never hides the other's.
            strokeDash=alt.StrokeDash("language:N", legend=None),
            tooltip=[DAY_TOOLTIP, "language:N", "stale:Q"],
        )
    )


def work_chart(rows: Sequence[Work]) -> alt.Chart:
    data = [{"person": w.person, "work": w.kind, "paragraphs": w.paragraphs} for w in rows]
    return (
        alt.Chart(alt.Data(values=data), title=WORK)
        .mark_bar()
        .encode(
            x=alt.X("paragraphs:Q", title="Paragraphs", axis=WHOLE_NUMBERS),
            y=alt.Y("person:N", title=None, sort="-x"),
            color=alt.Color("work:N", title=None, scale=WORK_SCALE),
            tooltip=["person:N", "work:N", "paragraphs:Q"],
        )
    )


def machine_chart(rows: Sequence[MachineShare]) -> alt.LayerChart:
    data = [
        {
            "language": _language(r.lang),
            "share": r.share,
            "unedited": r.unedited,
            "machine": r.machine,
        }
        for r in rows
    ]
    base = alt.Chart(
        alt.Data(values=data), title=MACHINE
    ).encode(
        x=alt.X("share:Q", title="Share of machine-drafted paragraphs", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("language:N", title=None),
        tooltip=[
            "language:N",
            alt.Tooltip("share:Q", format=".0%"),
            alt.Tooltip("unedited:Q", title="published unedited"),
            alt.Tooltip("machine:Q", title="started as machine text"),
        ],
    )  # fmt: skip
    bars = base.mark_bar().encode(color=alt.Color("language:N", scale=LANGUAGE_SCALE, legend=None))
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("share:Q", format=".0%"))
    return bars + labels


def words_chart(points: Sequence[WordsPerDay], first: date, last: date) -> alt.Chart:
    """Each person's words translated each day, stacked: what translators are planned by."""
    data = [{"day": p.day.isoformat(), "person": p.person, "words": p.words} for p in points]
    return (
        alt.Chart(alt.Data(values=data), title=WORDS)
        .mark_bar()
        .encode(
            x=_days(first, last),
            y=alt.Y("words:Q", title="Words", axis=WHOLE_NUMBERS),
            color=alt.Color("person:N", title=None),
            tooltip=[DAY_TOOLTIP, "person:N", "words:Q"],
        )
    )
