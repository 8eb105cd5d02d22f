"""Segmentation rules and the refusal of input that is not a story."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_BYTES
from workflow.errors import InputError
from workflow.formats import parse_story, read_story_file
from workflow.segmentation import MAX_INPUT_BYTES, decode, fingerprint, normalise, split_paragraphs


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("One.\n\nTwo.\n\nThree.", ["One.", "Two.", "Three."]),
        ("One\nline each\nhere", ["One", "line each", "here"]),
        ("Wrapped\nparagraph.\n\nNext.", ["Wrapped paragraph.", "Next."]),
        ("A.\n \t \nB.\n\n\n\nC.", ["A.", "B.", "C."]),
        ("\r\nWindows.\r\n\r\nLines.\r\n", ["Windows.", "Lines."]),
        ("  Spaces   and\ttabs  \n\nx", ["Spaces and tabs", "x"]),
        ("Zero\u200bwidth\ufeff", ["Zerowidth"]),
        ("", []),
        ("\n\n  \n", []),
    ],
)
def test_split_paragraphs(text, paragraphs):
    assert split_paragraphs(text) == paragraphs


def test_normalise_composes_unicode_and_keeps_no_break_spaces():
    decomposed = unicodedata.normalize("NFD", "й ё")
    assert normalise(decomposed) == "й ё"
    assert normalise("3\u00a0000 troops") == "3\u00a0000 troops"


def test_fingerprint_ignores_spacing_but_not_words():
    assert fingerprint("3,000 US  troops") == fingerprint(" 3,000 US troops")
    assert fingerprint("3,000 US troops") != fingerprint("3,500 US troops")


def test_seed_file_gives_metadata_headline_and_twelve_paragraphs():
    story = read_story_file(SEED_BYTES, filename="000.txt")
    assert story.format_name == "seed"
    assert story.date_line == "Tuesday, 5 November"
    assert story.section == "politics"
    assert story.headline == "The US has approved the deployment of its military to Eastern Europe"
    assert len(story.paragraphs) == 12
    assert story.paragraphs[1] == "This is reported by CNN."
    assert story.paragraphs[-1].startswith("The troops will operate on a bilateral basis")


def test_markdown_first_heading_is_the_headline():
    story = parse_story("# Big news\n\nFirst.\n\n## Context\nSecond.", filename="a.md")
    assert (story.headline, story.paragraphs) == ("Big news", ["First.", "Context", "Second."])


def test_plain_text_first_paragraph_is_the_headline():
    story = parse_story("Headline here\n\nBody one.\n\nBody two.")
    assert story.format_name == "plain"
    assert (story.headline, story.paragraphs) == ("Headline here", ["Body one.", "Body two."])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\x81\x98\x8d\x98abc", "not text in UTF-8, UTF-16, Windows-1252 or Windows-1251"),
        (b"x" * (MAX_INPUT_BYTES + 1), "larger than 2 MB"),
        (b"y" * (20 * 1024 * 1024), "larger than 2 MB"),
    ],
)
def test_unreadable_input_is_refused_with_a_one_line_reason(data, reason):
    with pytest.raises(InputError) as refused:
        decode(data)
    message = str(refused.value)
    assert "\n" not in message
    assert reason in message or reason.replace("larger than 2 MB", "2 MB") in message


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Café owner’s “naïve” plan cost €3,000.\n\nSecond paragraph.", "cp1252"),
        ("Президент США одобрил переброску военных.\n\nЭто второй абзац.", "cp1251"),
        ("Президент США схвалив перекидання військових.\n\nЦе другий абзац.", "cp1251"),
        ("Headline\n\nBody with “quotes”.", "utf-16"),
        ("Headline\n\nBody with “quotes”.", "utf-8"),
    ],
)
def test_text_in_the_encodings_newsrooms_use_is_read(text, encoding):
    assert decode(text.encode(encoding)) == text


def test_utf8_byte_order_mark_is_dropped():
    assert decode("\ufeffHeadline\n\nBody".encode()) == "Headline\n\nBody"


def test_pasted_control_characters_are_refused():
    with pytest.raises(InputError, match="binary"):
        parse_story("\x01\x02\x03\x04\x05 text \x06\x07\x08")


@settings(max_examples=200)
@given(st.binary(max_size=600) | st.text(max_size=300).map(lambda t: t.encode("utf-16-le")))
def test_any_bytes_are_read_as_text_or_refused_in_words(data):
    try:
        decode(data)
    except InputError as refused:
        assert str(refused) and "\n" not in str(refused)


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@given(st.text(alphabet=st.sampled_from(f"ab цы 1.{BIDI_CONTROLS}\u200e\u200f"), max_size=60))
def test_no_bidirectional_control_survives_in_left_to_right_text(text):
    stored = normalise(text)
    assert not set(stored) & set(BIDI_CONTROLS + "\u200e\u200f")
    assert all(not set(p) & set(BIDI_CONTROLS) for p in split_paragraphs(text))
