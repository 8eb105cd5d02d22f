"""Plain text: the first paragraph is the headline."""

from workflow.formats.base import ParsedStory, StoryFormat
from workflow.segmentation import split_paragraphs


class PlainTextFormat(StoryFormat):
    """Paragraphs separated by blank lines (or one a line); the first is the headline."""

    name = "plain"
    label = "Plain text"
    extensions = (".txt",)

    @classmethod
    def recognises(cls, text: str) -> bool:
        return True

    @classmethod
    def parse(cls, text: str) -> ParsedStory:
        return cls._headline_and_body(split_paragraphs(text), cls.name)

    @classmethod
    def serialize(cls, story: ParsedStory) -> str:
        return "\n\n".join(story.all_paragraphs) + "\n"
