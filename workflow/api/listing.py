"""The listing a CMS polls (`GET /api/v1/stories`): which stories, in what order, a page at a
time.

Stories are listed oldest change first, by `(updated_at, id)`, and a page ends with a cursor
that names the last story's place in that order (keyset pagination, not an offset). A story
that changes while a CMS pages through the list moves to the end of the order, so it is seen
again, with its new state, on a later page; a story that does not change is seen exactly once
whatever else changes, since no place before the cursor can gain or lose a story.

A CMS that polls keeps the `updated_at` of the last story it saw and asks `since` it next time
(an overlap of a few seconds costs a story seen twice, never one missed: a change committed a
moment after its time was taken can land behind a cursor already given).
"""

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlmodel import Session, col, select

from workflow.api.http import ApiError
from workflow.errors import InputError
from workflow.languages import language_code
from workflow.models import LanguageVersion, Story, Translation
from workflow.queries import stale_condition, with_paragraphs
from workflow.states import VersionState

DEFAULT_LIMIT = 50
MOST_PER_PAGE = 200
T = TypeVar("T")
QUERY = {
    "since": "Only stories changed at or after this time (RFC 3339, e.g. 2026-03-01T09:00:00Z)",
    "state": "Only stories with a language version in this state: "
    + ", ".join(s.slug for s in VersionState),
    "lang": "With `state`: only a version in this language (ru, uk; ua is uk)",
    "limit": f"Stories per page, 1 to {MOST_PER_PAGE} (default {DEFAULT_LIMIT})",
    "cursor": "The previous page's `next_cursor`, to read on from there",
}
# RFC 3339's date-time: a zone is required, so a time means one moment wherever it was written.
_RFC_3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


@dataclass(frozen=True)
class Listing:
    """What the CMS asked for: a page of stories after `after`, narrowed by the filters."""

    since: datetime | None = None
    state: VersionState | None = None
    lang: str | None = None
    limit: int = DEFAULT_LIMIT
    after: tuple[datetime, int] | None = None  # the place of the last story already seen


def asked_listing(query: Mapping[str, str]) -> Listing:
    """The query string read as a `Listing`; a 422 naming every value that is wrong. An empty
    value is one not given (`cursor=` with no cursor yet starts at the beginning)."""
    query = {name: value for name, value in query.items() if value.strip()}
    said: list[str] = []

    def read(name: str, reader: Callable[[str], T], default: T) -> T:
        if name not in query:
            return default
        try:
            return reader(query[name])
        except InputError as problem:
            said.append(f"{name}: {problem}")
            return default

    listing = Listing(
        since=read("since", rfc_3339, None),
        state=read("state", version_state, None),
        lang=read("lang", language_code, None),
        limit=read("limit", _limit, DEFAULT_LIMIT),
        after=read("cursor", cursor_place, None),
    )
    if "lang" in query and "state" not in query:
        said.append("lang: names the language of `state`; give a state too (e.g. approved).")
    if said:
        raise ApiError(422, "The query does not say which stories.", problems=said)
    return listing


def rfc_3339(text: str) -> datetime:
    """An RFC 3339 time, with its zone, as UTC."""
    written = text.strip()
    if not _RFC_3339.fullmatch(written):
        raise InputError(
            f"{written[:40]!r} is not an RFC 3339 time with a zone, such as 2026-03-01T09:00:00Z."
        )
    try:  # Python reads `T` and `Z` in capitals only, and a fraction past microseconds cut off
        return datetime.fromisoformat(written.upper().replace(" ", "T")).astimezone(UTC)
    except (ValueError, OverflowError):
        raise InputError(f"{written[:40]!r} is not a time on the calendar.") from None


def version_state(text: str) -> VersionState:
    """A version state by its slug (`approved`, `in_review`, `outdated`...)."""
    slug = text.strip().lower().replace("-", "_").replace(" ", "_")
    for state in VersionState:
        if state.slug == slug:
            return state
    known = ", ".join(s.slug for s in VersionState)
    raise InputError(f"{text.strip()[:40]!r} is not a version state; the states are {known}.")


def _limit(text: str) -> int:
    written = text.strip()
    if not written.isascii() or not written.isdigit() or not 1 <= int(written) <= MOST_PER_PAGE:
        raise InputError(f"a number from 1 to {MOST_PER_PAGE}, not {written[:20]!r}.")
    return int(written)


def cursor(updated_at: datetime, story_id: int) -> str:
    """The opaque cursor for the place after a story (only this module reads it back)."""
    place = f"{updated_at.astimezone(UTC).isoformat()}|{story_id}"
    return base64.urlsafe_b64encode(place.encode()).decode().rstrip("=")


def cursor_place(text: str) -> tuple[datetime, int]:
    """The place a cursor from `cursor` names; anything else refused."""
    try:
        written = text.strip()
        place = base64.urlsafe_b64decode(written + "=" * (-len(written) % 4)).decode()
        moment, _, number = place.partition("|")
        when = datetime.fromisoformat(moment)
        # A story's number is at most 18 digits: a longer one would overflow SQLite's integer.
        if when.tzinfo is None or not number.isascii() or not number.isdigit() or len(number) > 18:
            raise ValueError(place)
        return when.astimezone(UTC), int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError):
        raise InputError(
            "not a cursor this desk gave; use a page's next_cursor as it is, or start again "
            "without one."
        ) from None


def _version_in(state: VersionState) -> ColumnElement[bool]:
    """SQL on `LanguageVersion`: the version is in `state` as people see it (`effective_state`:
    an approved or published version with a stale paragraph is outdated)."""
    stale = exists(
        with_paragraphs(select(Translation.id)).where(
            col(Translation.story_id) == col(LanguageVersion.story_id),
            col(Translation.lang) == col(LanguageVersion.lang),
            stale_condition(),
        )
    )
    stored = col(LanguageVersion.state)
    if state is VersionState.OUTDATED:
        return and_(stored.in_([VersionState.APPROVED, VersionState.PUBLISHED]), stale)
    if state in (VersionState.APPROVED, VersionState.PUBLISHED):
        return and_(stored == state, ~stale)
    return stored == state


def story_page(session: Session, listing: Listing) -> tuple[list[int], str | None]:
    """One page of story numbers in the listing's order, and the cursor of the next page (None
    when this page is the last): one query, whatever the page's size."""
    query = select(Story.id, Story.updated_at)
    if listing.since is not None:
        query = query.where(col(Story.updated_at) >= listing.since)
    if listing.after is not None:
        moment, story_id = listing.after
        query = query.where(
            or_(
                col(Story.updated_at) > moment,
                and_(col(Story.updated_at) == moment, col(Story.id) > story_id),
            )
        )
    if listing.state is not None:
        version = [col(LanguageVersion.story_id) == col(Story.id), _version_in(listing.state)]
        if listing.lang is not None:
            version.append(col(LanguageVersion.lang) == listing.lang)
        query = query.where(exists(select(LanguageVersion.id).where(*version)))
    rows = session.exec(
        query.order_by(col(Story.updated_at), col(Story.id)).limit(listing.limit + 1)
    ).all()
    page = rows[: listing.limit]
    more = len(rows) > listing.limit
    next_cursor = cursor(page[-1][1], page[-1][0]) if more and page[-1][0] is not None else None
    return [story_id for story_id, _ in page if story_id is not None], next_cursor
