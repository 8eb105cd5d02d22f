"""The newsroom site's own text export, as in `shared/seeds/`.

A line of language tabs (`RU  UA  EN`), a date line, a section line, the headline, then body
paragraphs separated by blank lines. Date and section are metadata; the headline is translated.
"""

import re

from workflow.errors import InputError
from workflow.formats.base import ParsedStory, StoryFormat
from workflow.segmentation import normalise, split_paragraphs

_TABS_LINE = re.compile(r"^\s*(?:(?:RU|UA|UK|EN)[\s\u00a0]*){2,}$")
_TABS = "RU\u00a0\u00a0UA\u00a0\u00a0EN"


class SeedFormat(StoryFormat):
    """The site export: tabs line, date, section, headline, body."""

    name = "seed"
    label = "Newsroom export (tabs, date, section, headline, body)"
    extensions = ()

    @classmethod
    def recognises(cls, text: str) -> bool:
        first = next((line for line in text.splitlines() if line.strip()), "")
        return _TABS_LINE.match(first) is not None

    @classmethod
    def parse(cls, text: str) -> ParsedStory:
        lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
        filled = [i for i, line in enumerate(lines) if line.strip()]
        if not filled or not _TABS_LINE.match(lines[filled[0]]):
            raise InputError("This is not a newsroom export: its first line is not RU  UA  EN.")
        if len(filled) < 4:
            raise InputError(
                "The export is cut short: it needs a date line, a section line and a headline."
            )
        date_index, section_index = filled[1], filled[2]
        body = split_paragraphs("\n".join(lines[section_index + 1 :]))
        return cls._headline_and_body(
            body,
            cls.name,
            date_line=normalise(lines[date_index]),
            section=normalise(lines[section_index]),
        )

    @classmethod
    def serialize(cls, story: ParsedStory) -> str:
        head = f"{_TABS}\n\n{story.date_line}\n{story.section}\n\n"
        return head + "\n\n".join(story.all_paragraphs)
