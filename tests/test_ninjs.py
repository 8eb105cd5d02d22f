"""IPTC ninjs out and in: every document the desk writes for the seed story holds to the ninjs
2.1 schema we ship, escapes what a translator typed, passes the site's gate, and reads back as
the same story; a ninjs document a CMS sends is read, or refused in words."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from sqlmodel import col, select

from tests.conftest import stand_in_for, translations
from workflow.errors import InputError, NotPublishable
from workflow.exports import export_version
from workflow.flags import open_errors, override_flag
from workflow.formats import find_format, parse_story, read_story_file
from workflow.formats.ninjs import SCHEMA_FILE, NinjsFormat, ninjs_document, story_uri
from workflow.formats.webpage import html_block_texts
from workflow.models import Flag
from workflow.sources import current_paragraphs
from workflow.translations import save_translation
from workflow.versions import approve_version as approve
from workflow.versions import publish_version, site_refusals, submit_version

SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
TRICKY = ' <script>alert("x")</script> & "quoted" <b>'  # typed into the first body paragraph
TRANSLATOR = {"ru": "translator", "uk": "translator_uk"}


def problems(document) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(document)]


def translate_and_approve(session, people, story, lang, *, publish=False) -> None:
    """The version translated (its first body paragraph with markup characters in it),
    submitted, approved by the editor and, when asked, published."""
    translator = people[TRANSLATOR[lang]]
    for position, t in enumerate(translations(session, story.id, lang)):
        text = stand_in_for(session, t, "Переклад" if lang == "uk" else "Перевод")
        save_translation(
            session, translation_id=t.id, text=text + (TRICKY if position == 1 else ""),
            person=translator, base_lock_version=t.lock_version,
        )  # fmt: skip
    ids = [t.id for t in translations(session, story.id, lang)]
    for flag in session.exec(select(Flag).where(col(Flag.translation_id).in_(ids))).all():
        override_flag(session, flag_id=flag.id, person=people["editor"], reason="A test.")
    assert open_errors(session, story.id, lang) == []
    submit_version(session, story_id=story.id, lang=lang, person=translator)
    approve(session, story_id=story.id, lang=lang, person=people["editor"])
    if publish:
        publish_version(session, story_id=story.id, lang=lang, person=people["editor"])


def with_external_id(session, story, external_id):
    story.external_id = external_id
    session.add(story)
    session.commit()


@pytest.mark.parametrize("lang", ["ru", "uk"])
@pytest.mark.parametrize("published", [False, True], ids=["approved", "published"])
@pytest.mark.parametrize("external_id", [None, "cms-4711"], ids=["own id", "cms id"])
def test_every_version_we_write_holds_to_the_schema(
    session, people, story, lang, published, external_id
):
    with_external_id(session, story, external_id)
    translate_and_approve(session, people, story, lang, publish=published)

    document = ninjs_document(session, story.id, lang)

    assert problems(document) == []
    assert document["uri"] == f"urn:lockstep:story:{story.id}:{lang}"
    assert document["language"] == lang and document["pubstatus"] == "usable"
    assert document.get("altids") == (
        [{"role": "cms", "value": external_id}] if external_id else None
    )
    assert document["versioncreated"].endswith("Z") and document["firstcreated"].endswith("Z")
    assert document["ednote"].startswith("Published" if published else "Approved")


@pytest.mark.parametrize("external_id", [None, "cms-4711"], ids=["own id", "cms id"])
def test_the_english_is_written_without_any_approval_and_holds_to_the_schema(
    session, story, external_id
):
    with_external_id(session, story, external_id)
    document = ninjs_document(session, story.id, "en")
    assert problems(document) == []
    english = [p.text for p in current_paragraphs(session, story.id)]
    assert document["headlines"] == [{"role": "main", "value": english[0]}]
    assert document["bodies"][1]["value"] == "\n\n".join(english[1:])
    assert [a["language"] for a in document["associations"]] == ["ru", "uk"]
    assert ("altids" in document) == bool(external_id)


def test_the_html_body_escapes_what_a_translator_typed(session, people, story):
    translate_and_approve(session, people, story, "uk")
    html, plain = ninjs_document(session, story.id, "uk")["bodies"]
    assert html["contenttype"] == "text/html" and plain["contenttype"] == "text/plain"
    assert "<script>" not in html["value"] and "<b>" not in html["value"]
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quoted&quot;"
        in (html["value"])
    )
    assert TRICKY.strip() in plain["value"]  # plain text is the text as typed
    assert html["value"].count("<p>") == plain["value"].count("\n\n") + 1


def test_each_language_names_its_english_original_and_its_siblings(session, people, story):
    translate_and_approve(session, people, story, "ru")
    russian = ninjs_document(session, story.id, "ru")
    english = ninjs_document(session, story.id, "en")
    original, sibling = russian["associations"]
    assert (original["name"], original["uri"]) == ("original", story_uri(story.id, "en"))
    assert original["version"] == english["version"]  # the English it was approved against
    assert (sibling["name"], sibling["uri"]) == ("translation-uk", story_uri(story.id, "uk"))
    assert russian["genres"] == [{"name": "Translation", "literal": "translation"}]
    assert russian["slugline"].startswith("politics/")
    assert russian["subjects"] == [{"name": "politics", "rel": "section"}]


def test_a_version_the_site_may_not_have_is_refused_with_every_reason(session, story):
    with pytest.raises(NotPublishable) as refused:
        ninjs_document(session, story.id, "uk")
    assert refused.value.reasons == site_refusals(session, story.id, "uk")
    assert "in translation" in str(refused.value)


def test_the_json_export_is_the_ninjs_document(session, people, story):
    translate_and_approve(session, people, story, "uk", publish=True)
    exported = json.loads(export_version(session, story.id, "uk", "json"))
    assert exported == ninjs_document(session, story.id, "uk")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_document_we_write_reads_back_as_the_same_story(session, people, story, lang):
    if lang != "en":
        translate_and_approve(session, people, story, lang)
    document = ninjs_document(session, story.id, lang)
    read = parse_story(json.dumps(document, ensure_ascii=False))
    assert read.format_name == "ninjs"
    assert read.headline == document["headlines"][0]["value"]
    assert "\n\n".join(read.paragraphs) == document["bodies"][1]["value"]
    assert (read.section, read.date_line) == (story.section, story.date_line)
    without_plain = {**document, "bodies": document["bodies"][:1]}  # the HTML body alone
    assert parse_story(json.dumps(without_plain)).paragraphs == read.paragraphs


def test_the_schema_refuses_a_wrong_type_so_validation_can_fail(session, story):
    document = ninjs_document(session, story.id, "en")
    assert problems(document) == []
    assert problems({**document, "headlines": [{"role": "main", "value": 42}]}) == [
        "42 is not of type 'string'"
    ]
    assert problems({**document, "pubstatus": "published"})  # not one of the spec's words
    assert problems({**document, "links": []})  # ninjs 2.1 defines no such property
    assert problems({**document, "firstcreated": "last Tuesday"})
    del document["uri"]
    assert problems(document) == ["'uri' is a required property"]


# -- reading what a CMS sends ------------------------------------------------------------------


def test_a_ninjs_2_document_with_an_html_body_is_read_by_its_block_elements():
    document = {
        "uri": "https://cms.example/items/1",
        "headlines": [{"role": "sub", "value": "Not this"}, {"role": "main", "value": "Floods"}],
        "bodies": [
            {
                "contenttype": "text/html",
                "value": "<h2>Roads</h2><p>Water rose<br>overnight &amp; fast.</p>"
                "<script>steal()</script><ul><li>Three villages</li></ul>",
            }
        ],
        "slugline": "weather",
    }
    story = parse_story(json.dumps(document), filename="story.txt")
    assert story.headline == "Floods"
    assert story.paragraphs == ["Roads", "Water rose overnight & fast.", "Three villages"]
    assert story.section == "weather"


def test_a_ninjs_1_document_is_read_from_its_plain_text_body():
    document = {
        "headline": "Floods close the highway",
        "body_text": "Water rose.\n\nRoads are closed.",
        "body_html": "<p>Ignored when plain text is there</p>",
        "subjects": [{"name": "news"}, {"name": "weather", "rel": "section"}],
    }
    story = read_story_file(json.dumps(document).encode("utf-16"), filename="x.json")
    assert (story.headline, story.paragraphs) == (
        "Floods close the highway",
        ["Water rose.", "Roads are closed."],
    )
    assert story.section == "weather"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"headlines": [{"value": "A"}], "bodies": [', "not valid JSON"),
        ('{"headlines": [{"value": "Floods"}]}', "has no body"),
        ('{"bodies": [{"value": "Water rose."}]}', "has no headline"),
        ('{"headlines": [{"value": 42}], "body_text": "x"}', "headline is a number, not text"),
        ('{"headline": "A", "bodies": "Water rose."}', "bodies is text, not a list of objects"),
        ('{"headline": "A", "body_text": "x", "subjects": {}}', "subjects is an object"),
        ('{"headline": "  ", "body_text": "x"}', "headline is empty"),
        ('{"headline": "A", "body_text": "\\ud800"}', "broken character"),
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deep"),
        ('{"headline": "A", "body_text": "' + "x\\n\\n" * 5001 + '"}', "more than 5,000"),
        ("{" + " " * (2 * 1024 * 1024), "larger than 2 MB"),
    ],
    ids=lambda v: v[:30],
)
def test_a_document_that_cannot_be_a_story_is_refused_in_words(text, said):
    with pytest.raises(InputError, match=said) as refused:
        parse_story(text)
    assert "\n" not in str(refused.value)


def test_a_json_text_is_found_as_ninjs_whatever_the_files_name():
    text = '{"headline": "A", "body_text": "B"}'
    assert find_format(text, "story.md") is NinjsFormat
    assert find_format(text) is NinjsFormat
    assert find_format("Headline\n\nBody", "story.json") is NinjsFormat


NINJS_KEYS = ["headlines", "headline", "bodies", "body_text", "body_html", "subjects"]
NINJS_KEYS += ["slugline", "descriptions", "value", "role", "contenttype", "name", "rel"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(NINJS_KEYS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.dictionaries(st.sampled_from(NINJS_KEYS), json_values, max_size=6))
def test_any_json_object_is_read_or_refused_in_words(document):
    try:
        NinjsFormat.parse(json.dumps(document))
    except InputError as refused:
        assert str(refused) and "\n" not in str(refused)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200) | st.text(max_size=200).map(lambda s: "{" + s))
def test_any_text_is_read_or_refused_in_words(text):
    try:
        NinjsFormat.parse(text)
    except InputError as refused:
        assert str(refused) and "\n" not in str(refused)


@settings(max_examples=200, deadline=None)
@given(
    markup=st.text(max_size=300)
    | st.lists(
        st.sampled_from(["<p>", "</p>", "<br>", "<li>", "<script>", "&amp;", "x y", "<!--", "]]>"])
    ).map("".join)
)
def test_any_html_body_gives_paragraphs_of_text(markup):
    paragraphs = html_block_texts(markup, "body")
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
