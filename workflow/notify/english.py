"""The news of a correction of the English: in every language it left stale, or (when approved
or published) without a translation of a paragraph it added, the translators, the assigned
reviewer and the approvers are told which paragraphs, with their English before and now and
the words that changed, and the added ones with their English; urgently where that version was
published (a reader may be reading the old facts in it now, or miss the new ones). See `news`
for how news is written and never twice.

An added paragraph's translation is empty, not stale, and an approved or published version
does not look outdated for it: without this news nobody would learn of it."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, union
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from workflow import LANGUAGES
from workflow.edits import word_diff
from workflow.models import (
    Change,
    LanguageVersion,
    NotificationKind,
    Person,
    SourceParagraph,
    Translation,
)
from workflow.notify.news import News, headline_of, open_it, tell
from workflow.queries import stale_condition, with_paragraphs
from workflow.states import Action, TranslationState, VersionState

# The versions an added paragraph is news for: their people would not otherwise look again.
FINISHED = (VersionState.APPROVED, VersionState.PUBLISHED)


@dataclass(frozen=True)
class StaleParagraph:
    """A paragraph a correction left stale in a language, or added (untranslated there):
    where, and its English then and now (`before` None when added, or when the desk did not
    keep the English it was translated from)."""

    position: int  # 0 is the headline
    before: str | None
    now: str
    added: bool = False


def describe_stale(paragraphs: Sequence[StaleParagraph]) -> str:
    """The stale and added paragraphs in words: each stale one's English before and now, and
    the words that changed; each added one's English."""
    parts = []
    for p in paragraphs:
        where = "The headline" if p.position == 0 else f"Paragraph {p.position}"
        lines = [f"{where}, added (not translated yet)" if p.added else where]
        if p.before is not None:
            lines.append(f"  was: {p.before}")
        lines.append(f"  now: {p.now}")
        if p.before is not None and (changed := changes_in_words(p.before, p.now)):
            lines.append(f"  changed: {changed}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def changes_in_words(before: str, now: str) -> str:
    """The words removed and added, in reading order ("removed “7”; added “8”")."""
    said = {"delete": "removed", "insert": "added"}
    return "; ".join(
        f"{said[part.kind]} “{part.text}”" for part in word_diff(before, now) if part.kind in said
    )


def tell_english_changed(
    session: Session,
    story_id: int,
    english_version: int,
    changed_paragraphs: Iterable[int | None],
    *,
    by: Person | None,
    added_paragraphs: Iterable[int | None] = (),
) -> list[int]:
    """A correction of the English just written (`english_version` its number): in every
    language it left stale (paragraphs of `changed_paragraphs` now stale there), or approved
    or published with `added_paragraphs` untranslated, the translators, reviewer and approvers
    are told, with those paragraphs; urgently where the version was published. In the
    correction's transaction."""
    changed = sorted({pid for pid in changed_paragraphs if pid is not None})
    added = sorted({pid for pid in added_paragraphs if pid is not None})
    if not changed and not added:
        return []
    found: dict[str, list[StaleParagraph]] = {}
    published: set[str] = set()
    is_added = col(Translation.paragraph_id).in_(added)
    untranslated_in_finished = and_(
        is_added,
        col(Translation.state) == TranslationState.EMPTY,
        col(LanguageVersion.state).in_(FINISHED),
    )
    rows = session.execute(
        with_paragraphs(
            sa_select(
                col(Translation.lang), col(SourceParagraph.position),
                col(Translation.source_text), col(SourceParagraph.text),
                col(LanguageVersion.state), is_added,
            ).select_from(Translation)
        )
        .join(
            LanguageVersion,
            (col(LanguageVersion.story_id) == col(Translation.story_id))
            & (col(LanguageVersion.lang) == col(Translation.lang)),
        )
        .where(
            col(Translation.story_id) == story_id,
            or_(
                col(Translation.paragraph_id).in_(changed) & stale_condition(),
                untranslated_in_finished,
            ),
        )
        .order_by(col(Translation.lang), col(SourceParagraph.position))
    )  # fmt: skip
    for lang, position, before, now, state, new in rows:
        found.setdefault(lang, []).append(
            StaleParagraph(position, None if new else before, now, added=bool(new))
        )
        if state == VersionState.PUBLISHED:  # as stored: people see it outdated now
            published.add(lang)
    if not found:
        return []
    people = _people_of(session, story_id, set(found))
    headline = headline_of(session, story_id)
    told = []
    for lang, paragraphs in sorted(found.items()):
        name = LANGUAGES[lang]
        urgent = lang in published
        subject = f"The English of “{headline}” changed: the {name} version needs checking"
        if urgent:
            subject = f"The English of the published “{headline}” changed: {name} is out of step"
        body = (
            f"The English of “{headline}” was corrected (English version {english_version})"
            + (f" after the {name} version was published" if urgent else "")
            + f". {_what_needs_work(paragraphs, name)}:\n\n"
            + describe_stale(paragraphs)
            + f"\n\n{open_it(story_id, lang)}\n"
        )
        about = f"english {english_version}"
        news = News(NotificationKind.ENGLISH_CHANGED, story_id, lang, about, subject, body, urgent)
        told.append((news, people.get(lang, set())))
    return tell(session, told, by=by)


def _what_needs_work(paragraphs: Sequence[StaleParagraph], name: str) -> str:
    """ "2 paragraphs of the Russian version are stale now, and 1 was added"."""

    def count(n: int) -> str:
        return f"{n} paragraph{'s' if n != 1 else ''}"

    added = sum(p.added for p in paragraphs)
    stale = len(paragraphs) - added
    said = []
    if stale:
        said.append(
            f"{count(stale)} of the {name} version {'are' if stale != 1 else 'is'} stale now"
        )
    if added:
        were = "were" if added != 1 else "was"
        said.append(f"{count(added)} {were} added, not translated in the {name} version")
    return ", and ".join(said)


def _people_of(session: Session, story_id: int, langs: set[str]) -> dict[str, set[int]]:
    """Each language's translators, assigned reviewer and approvers: one query."""
    in_langs = sorted(langs)
    version = select(LanguageVersion.lang, LanguageVersion.translator_id).where(
        LanguageVersion.story_id == story_id, col(LanguageVersion.lang).in_(in_langs)
    )
    reviewer = select(LanguageVersion.lang, LanguageVersion.reviewer_id).where(
        LanguageVersion.story_id == story_id, col(LanguageVersion.lang).in_(in_langs)
    )
    wrote = select(Translation.lang, Translation.translated_by_id).where(
        Translation.story_id == story_id, col(Translation.lang).in_(in_langs)
    )
    approved = select(Change.lang, Change.person_id).where(
        Change.story_id == story_id,
        col(Change.lang).in_(in_langs),
        col(Change.action).in_([str(Action.APPROVE), str(Action.APPROVE_VERSION)]),
    )
    found: dict[str, set[int]] = {}
    for lang, person_id in session.execute(union(version, reviewer, wrote, approved)):
        if person_id is not None and lang is not None:
            found.setdefault(lang, set()).add(person_id)
    return found
