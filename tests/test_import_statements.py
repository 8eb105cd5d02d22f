"""Importing a story costs the same few SQL statements whatever its length: a 200-paragraph
live blog from the CMS is stored as fast as a short story (one INSERT for the paragraphs, one
for the translations)."""

from sqlalchemy import event

from workflow.formats import ParsedStory
from workflow.stories import import_story


def _statements_to_import(session, paragraphs: int) -> int:
    engine = session.get_bind()
    seen = []

    def count(*_args: object) -> None:
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        parsed = ParsedStory(
            f"A story of {paragraphs}",
            [f"Paragraph {i} says {i} things." for i in range(paragraphs)],
        )
        story = import_story(session, parsed, person=None)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(session.get(type(story), story.id).headline) > 0
    return len(seen)


def test_a_long_story_is_imported_in_as_many_statements_as_a_short_one(session):
    short, long = _statements_to_import(session, 12), _statements_to_import(session, 199)
    assert long == short <= 25
