"""One contract every file format keeps: it reads back what it writes (where the format can),
refuses garbage, oversized files, zip and XML bombs with a reason in words (never another
exception), and counts paragraphs against the limits a story has."""

import io
import tracemalloc
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.zip_tricks import understated
from workflow.errors import InputError
from workflow.formats import (
    ALL_FORMATS,
    STORY_FORMATS,
    MemoryEntry,
    ParsedStory,
    TmxFormat,
    XliffDocument,
    XliffFormat,
    XliffUnit,
    find_format,
)
from workflow.formats.limits import MAX_PARAGRAPHS
from workflow.segmentation import normalise

# Texts as stored: normalised, and in the letters and signs a newsroom's stories are made of.
words = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.#АБВабвіїєґ0123456789\u00a0", min_size=1)
    .map(normalise)
    .filter(lambda s: s and not s.startswith(("#", "RU", "EN")))
)
languages = st.sampled_from(["ru", "uk"])


@st.composite
def stories(draw, fmt):
    keeps_meta = fmt.name in ("seed", "ninjs")
    meta = draw(words) if keeps_meta else ""
    body = draw(st.lists(words, max_size=6))
    return ParsedStory(draw(words), body, section=meta, date_line=meta, format_name=fmt.name)


@st.composite
def xliff_documents(draw):
    units = draw(
        st.lists(
            st.builds(
                XliffUnit,
                unit_id=st.from_regex(r"p[0-9]{1,4}-v[0-9]{1,3}", fullmatch=True),
                source=words,
                target=words,
                state=st.sampled_from(["needs-translation", "translated", "signed-off"]),
                approved=st.booleans(),
                notes=st.lists(
                    st.tuples(st.sampled_from(["lockstep", "x"]), words), max_size=2
                ).map(tuple),
            ),
            max_size=5,
            unique_by=lambda unit: unit.unit_id,
        )
    )
    return XliffDocument(
        f"lockstep-story-{draw(st.integers(1, 999))}", draw(languages), tuple(units)
    )


memories = st.lists(
    st.builds(
        lambda english, lang, text: MemoryEntry({"en": english, lang: text}),
        words,
        languages,
        words,
    ),
    max_size=5,
)


def content(fmt):
    if fmt is XliffFormat:
        return xliff_documents()
    if fmt is TmxFormat:
        return memories
    return stories(fmt)


ROUND_TRIPPING = [f for f in ALL_FORMATS.values() if f.round_trips]


@pytest.mark.parametrize("fmt", ROUND_TRIPPING, ids=[f.name for f in ROUND_TRIPPING])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_format_reads_back_what_it_writes(fmt, data):
    written = data.draw(content(fmt))
    assert fmt.read(fmt.write(written)) == written


@pytest.mark.parametrize("fmt", ALL_FORMATS.values(), ids=list(ALL_FORMATS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000))
def test_any_bytes_are_read_or_refused_in_words(fmt, data):
    try:
        fmt.read(data)
    except InputError as refused:
        assert str(refused) and "\n" not in str(refused)


FIRST = "Water rose by two metres overnight in the southern provinces, officials said."


def a_story(fmt, headline: str = "Floods close the southern highway", first: str = FIRST):
    meta = "12 March 2026" if fmt.name == "seed" else ""  # the seed export has a date and section
    return ParsedStory(
        headline,
        [
            first,
            "Roads to the coast are closed and three villages have been evacuated.",
        ],
        section=meta,
        date_line=meta,
        format_name=fmt.name,
    )


def sample(fmt) -> bytes:
    """A good file of the format, to damage."""
    if fmt is XliffFormat:
        unit = XliffUnit("p1-v1", "Floods close the highway", "Повінь закрила трасу")
        return fmt.write(XliffDocument("lockstep-story-1", "uk", (unit,)))
    if fmt is TmxFormat:
        return fmt.write([MemoryEntry({"en": "Floods", "ru": "Наводнение"})])
    return fmt.write(a_story(fmt))


@pytest.mark.parametrize("fmt", ALL_FORMATS.values(), ids=list(ALL_FORMATS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_file_is_read_or_refused_in_words(fmt, data):
    good = bytearray(sample(fmt))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(good) - 1))
        good[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(good)))
    try:
        fmt.read(bytes(good[:cut]))
    except InputError as refused:
        assert str(refused) and "\n" not in str(refused)


GARBAGE = {
    "seed": b"Just a line of text, not an export",
    "ninjs": b'{"headlines": [{"role": "main", "value": 42}], "bodies": []}',
    "plain": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    "markdown": b"   \n\n  ",
    "docx": b"PK\x03\x04 this is not really a zip",
    "html": b"<html><head><script>var a=1;</script></head><body><nav>Home</nav></body></html>",
    "xliff": b"<xliff version='1.2'><file><body><trans-unit",
    "tmx": b"<html><body>not a memory</body></html>",
}


@pytest.mark.parametrize("fmt", ALL_FORMATS.values(), ids=list(ALL_FORMATS))
def test_garbage_is_refused_with_a_reason(fmt):
    with pytest.raises(InputError) as refused:
        fmt.read(GARBAGE[fmt.name])
    assert len(str(refused.value).split()) > 4 and "\n" not in str(refused.value)


OVERSIZE_MB = {
    "seed": 2,
    "ninjs": 2,
    "plain": 2,
    "markdown": 2,
    "docx": 20,
    "html": 20,
    "xliff": 50,
    "tmx": 50,
}


@pytest.mark.parametrize("fmt", ALL_FORMATS.values(), ids=list(ALL_FORMATS))
def test_a_file_over_the_formats_size_is_refused_before_it_is_read(fmt):
    good = sample(fmt)
    padding = OVERSIZE_MB[fmt.name] * 1024 * 1024 + 1 - len(good)
    with pytest.raises(InputError, match=f"{OVERSIZE_MB[fmt.name]} MB"):
        fmt.read(good + b" " * padding)


def too_many_paragraphs(fmt) -> bytes:
    paragraphs = [f"Paragraph {n} of a story far too long." for n in range(MAX_PARAGRAPHS + 1)]
    if fmt is XliffFormat:
        units = tuple(XliffUnit(f"p{n}-v0", text) for n, text in enumerate(paragraphs))
        return fmt.write(XliffDocument("lockstep-story-1", "uk", units))
    if fmt.name == "docx":  # written as Word writes it, not through the format under test
        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    if fmt.name == "html":
        body = "".join(f"<p>{text}</p>" for text in paragraphs)
        return f"<html><body><article><h1>A</h1>{body}</article></body></html>".encode()
    return fmt.write(ParsedStory(paragraphs[0], paragraphs[1:], format_name=fmt.name))


STORY_SIZED = [*STORY_FORMATS.values(), XliffFormat]


@pytest.mark.parametrize("fmt", STORY_SIZED, ids=[f.name for f in STORY_SIZED])
def test_more_paragraphs_than_a_story_may_have_are_refused(fmt):
    with pytest.raises(InputError, match="more than 5,000 paragraphs"):
        fmt.read(too_many_paragraphs(fmt))


@pytest.mark.parametrize("fmt", STORY_FORMATS.values(), ids=list(STORY_FORMATS))
def test_bidirectional_controls_are_removed_from_what_is_read(fmt):
    tricked = a_story(
        fmt,
        "Floods close the \u202ehighway\u202c",
        "\u2066Water\u2069 rose by two metres\u200f overnight in the southern provinces.",
    )
    read = fmt.read(fmt.write(tricked))
    assert read.headline == "Floods close the highway"
    assert read.paragraphs[0] == "Water rose by two metres overnight in the southern provinces."


def test_right_to_left_marks_stay_where_right_to_left_letters_need_them():
    assert normalise("The name \u05d3\u05df\u200f, 5 said") == "The name \u05d3\u05df\u200f, 5 said"


TEXT_FORMATS = [f for f in STORY_FORMATS.values() if f.name not in ("docx", "html")]


@pytest.mark.parametrize("fmt", TEXT_FORMATS, ids=[f.name for f in TEXT_FORMATS])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(fmt, encoding):
    meta = "12 марта 2026" if fmt.name == "seed" else ""
    story = ParsedStory(
        "Наводнение перекрыло южную трассу",
        ["Вода поднялась за ночь на два метра.", "Дороги к побережью закрыты."],
        section=meta,
        date_line=meta,
        format_name=fmt.name,
    )
    assert fmt.read(fmt.write(story).decode().encode(encoding)) == story


# -- XML bombs: made inert or refused by the parser's own settings ---------------------------

LAUGHS = (
    '<!DOCTYPE {root} [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
EXTERNAL_ENTITY = '<!DOCTYPE {root} [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
EXTERNAL_DTD = '<!DOCTYPE {root} SYSTEM "http://192.0.2.1/lockstep.dtd">'
BOMBS = {"billion laughs": (LAUGHS, "&lol9;"), "external entity": (EXTERNAL_ENTITY, "&secret;")}
BOMBS["external DTD"] = (EXTERNAL_DTD, "")


def xml_with(fmt, declaration: str, reference: str) -> bytes:
    if fmt is TmxFormat:
        root, body = (
            "tmx",
            (
                '<tmx version="1.4"><header/><body><tu><tuv xml:lang="en">'
                f"<seg>Hi {reference}</seg></tuv>"
                '<tuv xml:lang="ru"><seg>Привет</seg></tuv></tu></body></tmx>'
            ),
        )
    else:
        unit = f'<trans-unit id="p1-v1"><source>Hi {reference}</source></trans-unit>'
        root, body = (
            "xliff",
            (
                '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                '<file original="lockstep-story-1" source-language="en" target-language="uk" '
                f'datatype="plaintext"><body>{unit}</body></file></xliff>'
            ),
        )
    return f'<?xml version="1.0"?>{declaration.format(root=root)}{body}'.encode()


@pytest.mark.parametrize("bomb", list(BOMBS))
@pytest.mark.parametrize("fmt", [XliffFormat, TmxFormat], ids=["xliff", "tmx"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xml_bombs_are_refused_or_inert_whatever_the_encoding(fmt, bomb, encoding):
    declaration, reference = BOMBS[bomb]
    data = (
        xml_with(fmt, declaration, reference)
        .decode()
        .replace('"1.0"?>', '"1.0" encoding="' + encoding + '"?>', 1)
    )
    try:
        read = fmt.read(data.encode(encoding))
    except InputError as refused:
        assert "declares XML entities" in str(refused)
        return
    assert bomb == "external DTD"  # nothing fetched, nothing expanded: read as it stands
    assert "root:" not in repr(read) and "lollol" not in repr(read)


def word_file_with(
    document_xml: bytes | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    """A Word file whose text part is `document_xml`, with extra parts."""
    source = zipfile.ZipFile(io.BytesIO(sample(STORY_FORMATS["docx"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml" and document_xml is not None:
                data = document_xml
            archive.writestr(name, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_xml_bomb_in_a_word_file_is_refused_and_an_undeclared_entity_is_damage():
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "<w:body><w:p><w:r><w:t>Floods &lol9; close the highway</w:t></w:r></w:p></w:body>"
    document = (
        f'<?xml version="1.0"?>{LAUGHS.format(root="w:document")}'
        f'<w:document xmlns:w="{w}">{body}</w:document>'
    )
    with pytest.raises(InputError, match="declares XML entities"):
        STORY_FORMATS["docx"].read(word_file_with(document.encode()))
    with pytest.raises(InputError, match="damaged"):
        STORY_FORMATS["docx"].read(
            word_file_with(document.replace(LAUGHS.format(root="w:document"), "").encode())
        )


@pytest.mark.parametrize("lying", [False, True], ids=["zip bomb", "lying zip"])
def test_a_word_file_is_refused_by_what_it_really_unpacks_to(lying):
    bomb = word_file_with(extra={"word/media/image1.png": b"\x00" * (150 * 1024 * 1024)})
    if lying:
        bomb = understated(bomb, "word/media/image1.png")
        assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/media/image1.png").file_size == 1024
    assert len(bomb) < 1024 * 1024  # small to upload, huge to unpack
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="unpacks to more than 100 MB"):
            STORY_FORMATS["docx"].read(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # refused while unpacking, never held whole


def test_a_tmx_with_a_comment_inside_a_segment_is_read():
    data = (
        '<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>Floods <!-- checked -->'
        'close the highway<?editor keep?>.</seg></tuv><tuv xml:lang="ru"><seg>Наводнение '
        "перекрыло трассу.</seg></tuv></tu></body></tmx>"
    ).encode()
    assert TmxFormat.read(data) == [
        MemoryEntry({"en": "Floods close the highway.", "ru": "Наводнение перекрыло трассу."})
    ]


def test_a_page_with_more_parts_than_a_news_page_is_refused_without_reading_it_all():
    cells = "".join(f"<div>Item {n}</div>" for n in range(30_000))
    page = f"<html><body><article><h1>A</h1>{cells}</article></body></html>".encode()
    with pytest.raises(InputError, match="more than 25,000 parts"):
        STORY_FORMATS["html"].read(page)


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("RU\u00a0\u00a0UA\u00a0\u00a0EN\n\nMonday\npolitics\n\nHeadline\n\nBody", None, "seed"),
        ("RU  UA  EN\n\nMonday\npolitics\n\nHeadline", "story.md", "seed"),
        ("# Headline\n\nBody", None, "markdown"),
        ("Headline\n\nBody", "story.md", "markdown"),
        ("Headline\n\nBody", None, "plain"),
        ("Headline\n\nBody", "story.txt", "plain"),
        ('{"headline": "Headline", "body_text": "Body"}', "story.txt", "ninjs"),
        ("Headline\n\nBody", "story.json", "ninjs"),
    ],
)
def test_format_is_found_from_content_then_extension(text, filename, expected):
    assert find_format(text, filename).name == expected
