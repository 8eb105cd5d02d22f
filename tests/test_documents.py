"""Stories in from Word files, saved news web pages and text in the encodings newsrooms use;
broken files of each kind refused with a reason and nothing stored."""

import io
import json
import zipfile

import docx
import pytest

from tests.test_cli import run
from workflow.errors import InputError
from workflow.formats import read_story_file
from workflow.segmentation import decode

HEADLINE = "Floods close the southern highway"
BODY = [
    "Water rose by two metres overnight in the southern provinces, officials said on Tuesday.",
    "Roads to the coast are closed and three villages have been evacuated.",
]


def word_file(*, kicker: bool = True) -> bytes:
    document = docx.Document()
    if kicker:
        document.add_paragraph("WORLD NEWS")  # a slug above the headline: not the story
    document.add_heading(HEADLINE, level=1)
    document.add_paragraph("")  # an empty paragraph, as Word files have
    first = document.add_paragraph("Water rose by ")
    first.add_run("two metres").bold = True  # runs of one paragraph are one paragraph
    first.add_run(" overnight in the southern provinces, officials said on Tuesday.")
    document.add_paragraph(BODY[1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{HEADLINE} | The Daily Planet</title>
<meta property="og:title" content="{HEADLINE}">
<script>window.tracker = {{"id": 42}}; document.write("Subscribe now");</script>
<style>nav {{ color: red }}</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/login">Sign in</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<main><article>
<h1>{HEADLINE}</h1>
<p>{BODY[0]} Rescue teams worked through the night to reach stranded drivers.</p>
<p>{BODY[1]} The regional emergency service said more evacuations were possible.</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Celebrity wedding photos</a></li></ul></aside>
<footer>© 2026 The Daily Planet. All rights reserved. Privacy policy. Terms.</footer>
</body></html>""".encode()

WESTERN_TEXT = (
    "Café owners’ “naïve” plan cost €3,000\n\nThe mayor’s office said the café would reopen."
)


def test_a_word_file_imports_with_its_heading_as_the_headline():
    story = read_story_file(word_file(), filename="floods.docx")
    assert story.format_name == "docx"
    assert story.headline == HEADLINE
    assert story.paragraphs == [
        "Water rose by two metres overnight in the southern provinces, officials said on Tuesday.",
        BODY[1],
    ]


def test_a_word_file_is_found_from_its_content_whatever_its_name():
    assert read_story_file(word_file(), filename="story.bin").headline == HEADLINE
    assert read_story_file(word_file(kicker=False)).headline == HEADLINE


def test_a_saved_news_page_imports_without_menus_scripts_or_boilerplate():
    story = read_story_file(NEWS_PAGE, filename="floods.html")
    assert story.format_name == "html"
    assert story.headline == HEADLINE
    assert len(story.paragraphs) == 2
    assert story.paragraphs[0].startswith(BODY[0])
    text = " ".join(story.all_paragraphs)
    for noise in ("Subscribe", "tracker", "Home", "cookies", "Most read", "Daily Planet", "color"):
        assert noise not in text
    assert read_story_file(NEWS_PAGE).headline == HEADLINE  # found from the content


def test_a_windows_1252_text_file_imports_with_its_punctuation():
    story = read_story_file(WESTERN_TEXT.encode("cp1252"), filename="cafe.txt")
    assert story.headline == "Café owners’ “naïve” plan cost €3,000"
    assert story.paragraphs == ["The mayor’s office said the café would reopen."]


def test_a_utf16_text_file_imports():
    story = read_story_file(WESTERN_TEXT.encode("utf-16"), filename="cafe.txt")
    assert story.headline.startswith("Café owners’")


def a_zip(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, "<x/>")
    return out.getvalue()


BROKEN = {
    "truncated docx": (lambda: word_file()[:3000], "damaged or incomplete"),
    "zip that is not Word": (lambda: a_zip("xl/workbook.xml"), "damaged or incomplete"),
    "old .doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Word (.doc)"),
    "pdf": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    "page with no article": (
        lambda: b"<html><head><script>var a=1;</script></head><body><nav>Home</nav></body></html>",
        "No article was found",
    ),
    "text named .docx": (lambda: b"Just text", "not a Word file"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_or_unknown_file_is_refused_with_a_reason(kind):
    make, reason = BROKEN[kind]
    name = "story.docx" if "docx" in kind else "story.html" if "page" in kind else "story"
    with pytest.raises(InputError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        read_story_file(make(), filename=name)


def test_the_command_line_imports_each_kind_and_refuses_broken_files(db_url, capsys, tmp_path):
    files = {
        "floods.docx": word_file(),
        "floods.html": NEWS_PAGE,
        "cafe.txt": WESTERN_TEXT.encode("cp1252"),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        code, out, err = run(capsys, "import", str(path))
        assert code == 0, err
    for name, (make, reason) in BROKEN.items():
        path = tmp_path / ("broken.docx" if "docx" in name else "broken.html")
        path.write_bytes(make())
        code, out, err = run(capsys, "import", str(path))
        assert (code, out) == (1, "") and err.count("\n") == 1 and reason in err, (name, err)
    _, status, _ = run(capsys, "status", "--json")
    headlines = [story["headline"] for story in json.loads(status)]
    assert headlines == [HEADLINE, HEADLINE, "Café owners’ “naïve” plan cost €3,000"]


def test_a_subheading_further_down_never_takes_the_headlines_place():
    document = docx.Document()
    document.add_paragraph().add_run(HEADLINE).bold = True  # a headline in plain bold
    document.add_paragraph(BODY[0])
    document.add_heading("Background", level=2)
    document.add_paragraph(BODY[1])
    out = io.BytesIO()
    document.save(out)
    story = read_story_file(out.getvalue())
    assert story.headline == HEADLINE
    assert story.paragraphs == [BODY[0], "Background", BODY[1]]


def test_text_in_tracked_insertions_is_read_and_deleted_text_is_not():
    from docx.oxml.ns import qn
    from lxml import etree

    document = docx.Document()
    document.add_heading(HEADLINE, level=1)
    paragraph = document.add_paragraph("The mayor said ")
    inserted = etree.SubElement(paragraph._p, qn("w:ins"), {qn("w:id"): "1", qn("w:author"): "E"})
    etree.SubElement(etree.SubElement(inserted, qn("w:r")), qn("w:t")).text = "on Tuesday "
    deleted = etree.SubElement(paragraph._p, qn("w:del"), {qn("w:id"): "2", qn("w:author"): "E"})
    etree.SubElement(etree.SubElement(deleted, qn("w:r")), qn("w:delText")).text = "yesterday "
    etree.SubElement(etree.SubElement(paragraph._p, qn("w:r")), qn("w:t")).text = "that it held."
    out = io.BytesIO()
    document.save(out)
    assert read_story_file(out.getvalue()).paragraphs == ["The mayor said on Tuesday that it held."]


def rezipped(data: bytes, change) -> bytes:
    """The Word file with its parts passed through `change(name, bytes) -> bytes | None`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, change(name, source.read(name)))
        if extra := change("word/media/padding.bin", None):
            archive.writestr("word/media/padding.bin", extra)
    return out.getvalue()


def test_a_word_file_whose_text_part_is_cut_short_is_refused():
    broken = rezipped(
        word_file(),
        lambda name, data: data[: len(data) // 2] if name == "word/document.xml" else data,
    )
    with pytest.raises(InputError, match="damaged or incomplete"):
        read_story_file(broken, filename="floods.docx")


def test_a_word_file_that_unpacks_to_a_huge_size_is_refused_before_it_is_read():
    bomb = rezipped(
        word_file(),
        lambda name, data: b" " * (120 * 1024 * 1024) if name == "word/media/padding.bin" else data,
    )
    assert len(bomb) < 1024 * 1024  # small to upload, huge to unpack
    with pytest.raises(InputError, match="unpacks to more than 100 MB"):
        read_story_file(bomb, filename="floods.docx")


@pytest.mark.parametrize(
    "text", ["Café", "Müller said so.", "Zoë said so.", "The repair will cost €3,000."]
)
def test_short_western_text_is_not_read_as_cyrillic(text):
    assert decode(text.encode("cp1252")) == text
