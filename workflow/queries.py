"""What the desk asks again and again, said once: the current English paragraphs of a story,
the translations of a language version on them, and which translations are stale.

A source paragraph is *current* while it stands in the English; a removed one stays in the
database for history (its translations and revisions with it) and leaves every page. A
translation is *stale* when the English of its paragraph changed after it was made: its
`source_fingerprint` differs from the paragraph's `fingerprint`. Staleness is derived, never
stored, and is said twice below, side by side: in Python for a row in hand (`is_stale`) and in
SQL for a query (`stale_condition`); a test holds the two to the same answer on every row.

Every other module builds its queries on these: none spells the join of a translation to its
paragraph, the "not removed" filter or the staleness test itself.
"""

from typing import Any, TypeVar

from sqlalchemy import Select, and_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from workflow.models import SourceParagraph, Translation
from workflow.states import TranslationState

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def current() -> ColumnElement[bool]:
    """SQL: the source paragraph stands in the English now (`is_current` in Python)."""
    return col(SourceParagraph.removed).is_(False)


def is_current(paragraph: SourceParagraph) -> bool:
    """Whether the paragraph stands in the English now (`current` in SQL)."""
    return not paragraph.removed


def is_stale(translation: Translation, paragraph: SourceParagraph) -> bool:
    """Whether the English changed after this translation was made (`stale_condition` in SQL).

    An empty paragraph is never stale (there is nothing to bring in step), nor is one that
    vouches for no English at all (no fingerprint).
    """
    return (
        translation.state != TranslationState.EMPTY
        and translation.source_fingerprint is not None
        and translation.source_fingerprint != paragraph.fingerprint
    )


def stale_condition() -> ColumnElement[bool]:
    """SQL: the translation is stale (`is_stale` in Python), on a query that joins translations
    to their paragraphs (`with_paragraphs`)."""
    return and_(
        col(Translation.state) != TranslationState.EMPTY,
        col(Translation.source_fingerprint).is_not(None),
        col(Translation.source_fingerprint) != col(SourceParagraph.fingerprint),
    )


def in_step() -> ColumnElement[bool]:
    """SQL: the translation was made from its paragraph's English as it stands (what a
    translation memory may offer again)."""
    return col(Translation.source_fingerprint) == col(SourceParagraph.fingerprint)


def with_paragraphs(query: Query, *, removed_too: bool = False) -> Query:
    """`query` over translations, joined to their English paragraphs: current ones only, or
    also those removed from the English (`removed_too`, for history and clearing flags).

    A query that names paragraph columns first says `select_from(Translation)`."""
    joined = query.join(SourceParagraph, col(SourceParagraph.id) == col(Translation.paragraph_id))
    return joined if removed_too else joined.where(current())


def of_version(query: Query, story_id: int, lang: str) -> Query:
    """`query` over the translations of one language version on its current paragraphs."""
    return with_paragraphs(query).where(
        col(Translation.story_id) == story_id, col(Translation.lang) == lang
    )


def in_story(query: Query, story_id: int) -> Query:
    """`query` over the story's current English paragraphs, headline first."""
    return query.where(col(SourceParagraph.story_id) == story_id, current()).order_by(
        col(SourceParagraph.position)
    )


def current_paragraphs(session: Session, story_id: int) -> list[SourceParagraph]:
    """The story's English paragraphs as they stand, headline first."""
    return list(session.exec(in_story(select(SourceParagraph), story_id)))
