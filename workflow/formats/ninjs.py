"""IPTC ninjs 2.1 (News in JSON): the one JSON shape a version leaves the desk in, and a story
source a CMS can send.

Out: `ninjs_document` writes an approved or published language version (through the site's
gate, `versions.refuse_unpublishable`), or the English, as a ninjs object: `uri` (stable for a
story and a language, `urn:lockstep:story:12:uk`), the CMS's own id under `altids`, the main
headline, a `text/html` body (the exports' own escaped paragraphs) and a `text/plain` one, when
the text was first written and last changed, and `associations` naming the English original
(with the fingerprint of the English the translation vouches for, as its `version`) and the
other languages. ninjs 2.x has no `links` property (its schema admits no property it does not
define), so the ties between languages are associations, as the specification offers.
`ninjs-2.1.schema.json` beside this module is the schema the tests hold every document to.

In: `NinjsFormat` reads a ninjs object (2.x `headlines` and `bodies`, or 1.x `headline`,
`body_text` and `body_html`) as a story: the headline, the section (a subject, else the
slugline) and the paragraphs, from the plain-text body when there is one, else from the HTML
body's block elements as the web page format reads HTML. Anything else is refused with an
`InputError` saying why.
"""

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow import LANGUAGES
from workflow.errors import InputError
from workflow.formats.base import ParsedStory, StoryFormat
from workflow.formats.webpage import html_block_texts, html_paragraphs
from workflow.segmentation import fingerprint, normalise, split_paragraphs
from workflow.timestamps import rfc3339

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.exports import PublishedVersion

SCHEMA_FILE = Path(__file__).with_name("ninjs-2.1.schema.json")
STANDARD = {
    "name": "ninjs",
    "version": "2.1",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
}
PROFILE = "text-only"  # the specification's own suggestion for a story without media
SECTION = "section"  # the subject's `rel` that holds the story's section
DATELINE = "dateline"  # the description's `role` that holds the story's date line
CMS_ID = "cms"  # the altid's `role` that holds the CMS's own id for the story
META_LIMIT = 200  # characters a story's section or date line may have (as stored)
ORIGINAL = "original"  # the association's `name` of the English a translation is made from


def story_uri(story_id: int, lang: str) -> str:
    """The stable identifier of one language of a story, the same in every document."""
    return f"urn:lockstep:story:{story_id}:{lang}"


_NOT_WORD = re.compile(r"\W+")
SLUG_WORDS = 8


def slugline(section: str, headline: str) -> str:
    """A short human-readable identifier: the section, then the headline's first words."""
    words = [w for w in _NOT_WORD.split(headline.lower()) if w][:SLUG_WORDS]
    section_slug = "-".join(w for w in _NOT_WORD.split(section.lower()) if w)
    return "/".join(part for part in (section_slug, "-".join(words)) if part)


def _content(
    uri: str, lang: str | None, headline: str, paragraphs: list[str], section: str, date_line: str
) -> dict[str, Any]:
    """What every document we write holds: identity, the headline, the bodies, the section."""
    document: dict[str, Any] = {
        "uri": uri,
        "standard": dict(STANDARD),
        "type": "text",
        "representationtype": "full",
        "profile": PROFILE,
    }
    if lang:
        document["language"] = lang
    if section:  # a slugline is read back as the section: a story without one gets none
        document["slugline"] = slugline(section, headline)
    document["headlines"] = [{"role": "main", "value": headline}]
    document["bodies"] = [
        {"role": "main", "contenttype": "text/html", "value": html_paragraphs(paragraphs)},
        {"role": "main", "contenttype": "text/plain", "value": "\n\n".join(paragraphs)},
    ]
    if section:
        document["subjects"] = [{"name": section, "rel": SECTION}]
    if date_line:
        document["descriptions"] = [{"role": DATELINE, "value": date_line}]
    return document


def _associations(version: "PublishedVersion") -> list[dict[str, Any]]:
    """The story's other languages: the English original first, then each translation."""
    associated = []
    for lang in ("en", *LANGUAGES):
        if lang == version.lang:
            continue
        item: dict[str, Any] = {
            "name": ORIGINAL if lang == "en" else f"translation-{lang}",
            "uri": story_uri(version.story_id, lang),
            "type": "text",
            "language": lang,
        }
        if lang == "en":  # the English this version was approved against
            item["version"] = version.english_fingerprint
        associated.append(item)
    return associated


def _ednote(version: "PublishedVersion") -> str | None:
    """Where the version stands at the desk, for the receiving newsroom's staff."""
    if version.state is None:
        return None
    if version.published_at is not None:
        by = f" by {version.published_by}" if version.published_by else ""
        return f"Published at the desk{by} on {rfc3339(version.published_at)}."
    return "Approved at the desk; not published yet."


def ninjs_of(version: "PublishedVersion") -> dict[str, Any]:
    """The ninjs document of a version as it goes out (`exports.published_version`)."""
    document = _content(
        story_uri(version.story_id, version.lang),
        version.lang,
        version.headline,
        version.paragraphs,
        version.section,
        version.date_line,
    )
    document["pubstatus"] = "usable"  # only what the site's gate let through is written
    if version.lang == "en":
        document["version"] = version.english_fingerprint
    else:
        document["genres"] = [{"name": "Translation", "literal": "translation"}]
    if version.first_created is not None:
        document["firstcreated"] = rfc3339(version.first_created)
    if version.text_changed_at is not None:
        document["versioncreated"] = rfc3339(version.text_changed_at)
    if version.external_id:
        document["altids"] = [{"role": CMS_ID, "value": version.external_id}]
    if (note := _ednote(version)) is not None:
        document["ednote"] = note
    document["associations"] = _associations(version)
    return document


def as_json_text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def ninjs_json(version: "PublishedVersion") -> str:
    """The version's ninjs document as JSON text: the exports' JSON format."""
    return as_json_text(ninjs_of(version))


def ninjs_document(session: "Session", story_id: int, lang: str) -> dict[str, Any]:
    """The ninjs document of a story's language version (`NotPublishable`, with every reason,
    unless the site may have it), or of its English (`lang="en"`)."""
    # Imported here: the exports write their JSON with this module.
    from workflow.exports import english_version, published_version

    if lang == "en":
        return ninjs_of(english_version(session, story_id))
    return ninjs_of(published_version(session, story_id, lang))


# -- reading ---------------------------------------------------------------------------------

WHAT = "ninjs document"


def _kind(value: Any) -> str:
    """A JSON value's kind in the words of the JSON specification."""
    kinds = {bool: "true or false", int: "a number", float: "a number", str: "text"}
    kinds |= {list: "a list", dict: "an object", type(None): "null"}
    return kinds.get(type(value), "a value")


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"The {WHAT}'s {what} is {_kind(value)}, not text.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"The {WHAT}'s {what} holds a broken character (half of a surrogate pair): "
            "export it again from its source."
        ) from None
    return value


def _objects(value: Any, what: str) -> list[dict[str, Any]]:
    """`value` as a list of JSON objects, or refused naming the property."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InputError(f"The {WHAT}'s {what} is {_kind(value)}, not a list of objects.")
    return value


def _load(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as bad:
        raise InputError(
            f"This is not valid JSON ({bad.msg} at line {bad.lineno}, column {bad.colno}): "
            "send the ninjs document as the CMS wrote it."
        ) from None
    except (ValueError, RecursionError):  # a number of thousands of digits; nesting too deep
        raise InputError(
            "This JSON holds a number too long or lists nested too deep for a news document."
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"A {WHAT} is a JSON object ({{...}}); this JSON is {_kind(data)}: send the story "
            "as one object with its headlines and bodies."
        )
    return data


def _headline(data: dict[str, Any]) -> str:
    if "headlines" in data:
        headlines = _objects(data["headlines"], "headlines")
        main = next((h for h in headlines if h.get("role") == "main"), None)
        chosen = main or (headlines[0] if headlines else {})
        value = _text(chosen.get("value", ""), "headline")
    elif "headline" in data:
        value = _text(data["headline"], "headline")
    else:
        raise InputError(f"The {WHAT} has no headline (headlines or headline): add one.")
    if not (headline := normalise(value)):
        raise InputError(f"The {WHAT}'s headline is empty: a story needs one.")
    return headline


def _paragraphs(data: dict[str, Any]) -> list[str]:
    """The body's paragraphs: from plain text when the document has it, else from HTML."""
    plain = html = None
    if "bodies" in data:
        for body in _objects(data["bodies"], "bodies"):
            value = _text(body.get("value", ""), "body")
            kind = _text(body.get("contenttype", "text/plain"), "body's content type")
            if "html" in kind.lower():
                html = value if html is None else html
            elif plain is None:
                plain = value
    else:
        if "body_text" in data:
            plain = _text(data["body_text"], "body_text")
        if "body_html" in data:
            html = _text(data["body_html"], "body_html")
    if plain is not None:
        return split_paragraphs(plain)
    if html is not None:
        return html_block_texts(html, f"{WHAT}'s HTML body")
    raise InputError(
        f"The {WHAT} has no body (bodies, body_text or body_html): there is nothing to translate."
    )


def _section(data: dict[str, Any]) -> str:
    """The section: a subject related as the section, else the first subject, else the
    slugline up to its first `/` (ours is `section/headline-words`)."""
    subjects = _objects(data.get("subjects", []), "subjects")
    subject = next((s for s in subjects if s.get("rel") == SECTION), None)
    subject = subject or (subjects[0] if subjects else None)
    if subject is not None:
        name = subject.get("name", subject.get("literal", ""))
        return normalise(_text(name, "subject's name"))[:META_LIMIT]
    slug = _text(data.get("slugline", ""), "slugline")
    return normalise(slug.split("/", 1)[0])[:META_LIMIT]


def _date_line(data: dict[str, Any]) -> str:
    descriptions = _objects(data.get("descriptions", []), "descriptions")
    found = next((d for d in descriptions if d.get("role") == DATELINE), {})
    return normalise(_text(found.get("value", ""), "date line"))[:META_LIMIT]


class NinjsFormat(StoryFormat):
    """An IPTC ninjs document (JSON), as a CMS sends a story."""

    name = "ninjs"
    label = "IPTC ninjs (.json)"
    extensions = (".json",)

    @classmethod
    def recognises(cls, text: str) -> bool:
        # A story's text never opens with a brace: whatever does is JSON, and read (or
        # refused in words) as ninjs rather than imported as a paragraph of braces.
        return text.lstrip("\ufeff \t\r\n").startswith("{")

    @classmethod
    def parse(cls, text: str) -> ParsedStory:
        data = _load(text.lstrip("\ufeff"))
        headline = _headline(data)
        paragraphs = _paragraphs(data)
        return ParsedStory(
            headline,
            paragraphs,
            section=_section(data),
            date_line=_date_line(data),
            format_name=cls.name,
        )

    @classmethod
    def serialize(cls, story: ParsedStory) -> str:
        # A story not stored yet has no id: its uri names its text instead.
        text = "\n".join(story.all_paragraphs)
        uri = f"urn:lockstep:text:{fingerprint(text)[:32]}"
        return as_json_text(
            _content(uri, None, story.headline, story.paragraphs, story.section, story.date_line)
        )
