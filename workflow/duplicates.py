"""Stories imported twice: a story about to be imported whose headline or English text matches
one imported in the last days, so the desk can offer the one already there.

The same news arrives more than once (a resent file, a paste of the page already imported, a
correction sent as a new story); two stories with one headline put the desk's work on the
wrong one. A headline matches when it is the same words (case, spacing and punctuation
aside); a text matches when rapidfuzz finds the bodies nearly the same (`TEXT_MATCH`).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from workflow.formats import ParsedStory
from workflow.models import SourceParagraph, Story, as_utc, utcnow
from workflow.queries import current

RECENT_DAYS = 7
TEXT_MATCH = 90  # rapidfuzz ratio (0-100) of two bodies from which they are one story
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class SimilarStory:
    """A story already at the desk that the one being imported matches, and how."""

    story_id: int
    headline: str
    imported_at: datetime
    same_headline: bool
    text_match: int  # 0-100: how nearly the English bodies are the same


def _words(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def similar_recent_stories(
    session: Session, parsed: ParsedStory, *, days: int = RECENT_DAYS, now: datetime | None = None
) -> list[SimilarStory]:
    """The stories imported in the last `days` whose headline or text matches `parsed`, the
    closest first."""
    since = (as_utc(now) or utcnow()) - timedelta(days=days)
    stories = session.exec(select(Story).where(col(Story.created_at) >= since)).all()
    if not stories:
        return []
    bodies: dict[int, list[str]] = {}
    for story_id, text in session.exec(
        select(SourceParagraph.story_id, SourceParagraph.text)
        .where(col(SourceParagraph.story_id).in_([s.id for s in stories]), current())
        .where(col(SourceParagraph.position) > 0)  # the body: the headline is compared alone
        .order_by(col(SourceParagraph.story_id), col(SourceParagraph.position))
    ):
        bodies.setdefault(story_id, []).append(text)
    headline, body = _words(parsed.headline), _words("\n".join(parsed.paragraphs))
    found = []
    for story in stories:
        assert story.id is not None
        same_headline = bool(headline) and _words(story.headline) == headline
        theirs = _words("\n".join(bodies.get(story.id, [])))
        match = round(fuzz.ratio(body, theirs, score_cutoff=TEXT_MATCH)) if body and theirs else 0
        if same_headline or match:
            found.append(
                SimilarStory(
                    story.id, story.headline, as_utc(story.created_at), same_headline, match
                )
            )
    return sorted(found, key=lambda s: (-(s.text_match + 100 * s.same_headline), -s.story_id))
