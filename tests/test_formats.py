"""Every story format writes what it reads: one round trip that each format must pass."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.formats import FORMATS, ParsedStory, find_format
from workflow.segmentation import normalise

# Paragraph texts as stored: already normalised (segmentation's own tests cover the rest).
words = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.#АБВабвіїєґ0123456789\u00a0", min_size=1)
    .map(normalise)
    .filter(lambda s: s and not s.startswith(("#", "RU", "EN")))
)


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
@given(headline=words, body=st.lists(words, max_size=6), meta=words)
def test_format_round_trip(fmt, headline, body, meta):
    keeps_meta = fmt.name == "seed"
    story = ParsedStory(
        headline,
        body,
        section=meta if keeps_meta else "",
        date_line=meta if keeps_meta else "",
        format_name=fmt.name,
    )
    assert fmt.parse(fmt.serialize(story)) == story


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("RU\u00a0\u00a0UA\u00a0\u00a0EN\n\nMonday\npolitics\n\nHeadline\n\nBody", None, "seed"),
        ("RU  UA  EN\n\nMonday\npolitics\n\nHeadline", "story.md", "seed"),
        ("# Headline\n\nBody", None, "markdown"),
        ("Headline\n\nBody", "story.md", "markdown"),
        ("Headline\n\nBody", None, "plain"),
        ("Headline\n\nBody", "story.txt", "plain"),
    ],
)
def test_format_is_found_from_content_then_extension(text, filename, expected):
    assert find_format(text, filename).name == expected
