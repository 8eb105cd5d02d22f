"""Exporting a language version for the newsroom's site: Markdown, clean HTML and JSON (the
IPTC ninjs document of `formats.ninjs`, the one JSON shape a version leaves the desk in).

Only a version the site may have is exported: the same gate as Publish
(`versions.publish_refusals`), refused for the same reasons, so what leaves the desk is what
an editor approved, in step with the English and with no open error. The text is escaped for
each format, so a translation can never inject markup into the page it is published on.
"""

import html
import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from workflow import LANGUAGES
from workflow.errors import InputError, NotFound
from workflow.formats.ninjs import ninjs_json
from workflow.formats.webpage import html_paragraphs
from workflow.models import Revision, SourceParagraph, Story, Translation
from workflow.progress import version_progress
from workflow.queries import current_paragraphs, of_version
from workflow.states import VersionState
from workflow.versions import english_fingerprint, last_published, refuse_unpublishable

FORMATS = ("md", "html", "json")
EXTENSIONS = {"md": "md", "html": "html", "json": "json"}
MEDIA_TYPES = {"md": "text/markdown", "html": "text/html", "json": "application/json"}


@dataclass(frozen=True)
class PublishedVersion:
    """A version as it goes out: its paragraphs, headline first, who published it when, and
    when its text was first written and last changed. The English has no `state`."""

    story_id: int
    lang: str
    state: VersionState | None
    headline: str
    paragraphs: list[str]
    date_line: str
    section: str
    published_at: datetime | None
    published_by: str | None
    english_fingerprint: str
    external_id: str | None = None  # the CMS's own id for the story
    first_created: datetime | None = None
    text_changed_at: datetime | None = None


def published_version(session: Session, story_id: int, lang: str) -> PublishedVersion:
    """The version to export; refused (`NotPublishable`, every reason said) unless the site may
    have it now."""
    story = session.get(Story, story_id)
    if story is None:
        raise NotFound(f"Story {story_id} does not exist.")
    if lang not in LANGUAGES:
        raise NotFound(f"Lockstep translates into {', '.join(LANGUAGES)}, not {lang!r}.")
    refuse_unpublishable(session, story_id, lang)
    state = version_progress(session, story_id, lang).state
    texts = session.exec(
        of_version(select(Translation.text), story_id, lang).order_by(col(SourceParagraph.position))
    ).all()
    published = last_published(session, story_id, lang)
    first, last = session.exec(
        of_version(
            select(func.min(Revision.created_at), func.max(Revision.created_at)), story_id, lang
        )
        .select_from(Translation)
        .join(Revision, col(Revision.translation_id) == col(Translation.id))
    ).one()
    return PublishedVersion(
        story_id=story_id,
        lang=lang,
        state=state,
        headline=texts[0],
        paragraphs=list(texts[1:]),
        date_line=story.date_line,
        section=story.section,
        published_at=published[0] if published and state is VersionState.PUBLISHED else None,
        published_by=published[1] if published and state is VersionState.PUBLISHED else None,
        english_fingerprint=english_fingerprint(session, story_id),
        external_id=story.external_id,
        first_created=first or story.created_at,
        text_changed_at=last or story.created_at,
    )


def english_version(session: Session, story_id: int) -> PublishedVersion:
    """The English as it stands: the source every language version is made from, which
    passes no desk's gate."""
    story = session.get(Story, story_id)
    if story is None:
        raise NotFound(f"Story {story_id} does not exist.")
    texts = [p.text for p in current_paragraphs(session, story_id)]
    return PublishedVersion(
        story_id=story_id,
        lang="en",
        state=None,
        headline=texts[0],
        paragraphs=texts[1:],
        date_line=story.date_line,
        section=story.section,
        published_at=None,
        published_by=None,
        english_fingerprint=english_fingerprint(session, story_id),
        external_id=story.external_id,
        first_created=story.created_at,
        text_changed_at=story.english_changed_at,
    )


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])", re.MULTILINE)


def _markdown_text(text: str) -> str:
    """Text that reads the same as Markdown: no character of it turns into markup."""
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", _MARKDOWN_INLINE.sub(r"\\\1", text))


def as_markdown(version: PublishedVersion) -> str:
    parts = [f"# {_markdown_text(version.headline)}"]
    parts += [_markdown_text(p) for p in version.paragraphs]
    return "\n\n".join(parts) + "\n"


def as_html(version: PublishedVersion) -> str:
    """A whole, clean HTML5 document: the headline, the paragraphs, nothing else."""
    body = html_paragraphs(version.paragraphs)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{version.lang}">\n'
        '<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(version.headline)}</title>\n"
        "</head>\n<body>\n<article>\n"
        f"<h1>{html.escape(version.headline)}</h1>\n"
        f"{body}\n"
        "</article>\n</body>\n</html>\n"
    )


WRITERS = {"md": as_markdown, "html": as_html, "json": ninjs_json}


def export_version(session: Session, story_id: int, lang: str, format_name: str) -> str:
    """The version in one of `FORMATS`."""
    if format_name not in WRITERS:
        raise InputError(f"Unknown format {format_name!r}: use {', '.join(FORMATS)}.")
    return WRITERS[format_name](published_version(session, story_id, lang))
