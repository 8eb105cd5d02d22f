"""Markdown: the first `#` heading is the headline; other headings become paragraphs."""

import re

from workflow.formats.base import ParsedStory, StoryFormat
from workflow.segmentation import normalise, split_paragraphs

_H1 = re.compile(r"^# +(?P<text>.+?)(?: +#+)?[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6} +(.+?)(?: +#+)?[ \t]*$", re.MULTILINE)


class MarkdownFormat(StoryFormat):
    """A Markdown article; the headline is the first level-one heading, else the first paragraph."""

    name = "markdown"
    label = "Markdown"
    extensions = (".md", ".markdown")

    @classmethod
    def recognises(cls, text: str) -> bool:
        return _H1.search(text) is not None

    @classmethod
    def parse(cls, text: str) -> ParsedStory:
        text = text.replace("\r\n", "\n")
        heading = _H1.search(text)
        if heading is None:
            return cls._headline_and_body(cls._paragraphs(text), cls.name)
        rest = text[: heading.start()] + "\n\n" + text[heading.end() :]
        body = cls._paragraphs(rest)
        return ParsedStory(normalise(heading["text"]), body, format_name=cls.name)

    @staticmethod
    def _paragraphs(text: str) -> list[str]:
        # A heading stands on its own even without blank lines around it.
        text = _HEADING.sub(lambda m: f"\n\n{m[1]}\n\n", text)
        return split_paragraphs(text)

    @classmethod
    def serialize(cls, story: ParsedStory) -> str:
        return "\n\n".join([f"# {story.headline}", *story.paragraphs]) + "\n"
