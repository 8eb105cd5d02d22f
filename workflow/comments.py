"""Comments: an editor's remark on a paragraph or a whole version, and the answers to it.

Sending a paragraph back or requesting changes starts a thread; the translator answers where
the comment applies, and the editor reads the answer there. Threads are never edited or deleted.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from workflow.errors import InputError, NotFound
from workflow.models import Change, Comment, Person, Translation, as_utc
from workflow.records import Line, Record, RecordKind
from workflow.states import Action, authorize
from workflow.typed_text import refuse_control_characters
from workflow.writes import apply

MAX_COMMENT = 5_000


@dataclass(frozen=True)
class Remark:
    """One comment or answer, with who wrote it and when."""

    id: int
    author: str | None
    text: str
    created_at: datetime


@dataclass
class Thread:
    """A comment and its answers, oldest first."""

    comment: Remark
    lang: str
    translation_id: int | None
    answers: list[Remark] = field(default_factory=list)

    @property
    def last(self) -> Remark:
        return self.answers[-1] if self.answers else self.comment


def clean_comment(text: str) -> str:
    text = refuse_control_characters(text, "The comment", multiline=True).strip()
    if not text:
        raise InputError("Write something first: an empty comment says nothing.")
    if len(text) > MAX_COMMENT:
        raise InputError(f"A comment may have at most {MAX_COMMENT:,} characters.")
    return text


def add_comment(
    session: Session,
    *,
    story_id: int,
    lang: str,
    person: Person,
    text: str,
    translation: Translation | None = None,
) -> Comment:
    """Start a thread (committed with the action that made it: a send-back, a request)."""
    comment = Comment(
        story_id=story_id,
        lang=lang,
        translation_id=translation.id if translation else None,
        author_id=person.id,
        text=clean_comment(text),
    )
    session.add(comment)
    return comment


def answer(session: Session, *, comment_id: int, person: Person, text: str) -> Comment:
    """Answer a comment, on the paragraph (or version) it was made on."""
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("That comment is gone; reload the page.")
    authorize(person, Action.COMMENT, comment.lang)
    root_id = comment.reply_to_id or comment.id
    reply = Comment(
        story_id=comment.story_id,
        lang=comment.lang,
        translation_id=comment.translation_id,
        reply_to_id=root_id,
        author_id=person.id,
        text=clean_comment(text),
    )

    def write() -> Line:
        session.add(reply)
        return Line(comment=reply.text)

    # An answer adds to the thread whatever others said meanwhile: nothing to compare.
    record = Record(
        RecordKind.COMMENT, write, story_id=comment.story_id, lang=comment.lang,
        translation_id=comment.translation_id,
    )  # fmt: skip
    apply(session, Action.COMMENT, record, person=person)
    session.refresh(reply)
    return reply


def threads(
    session: Session,
    story_id: int,
    lang: str | None = None,
    translation_ids: Collection[int] | None = None,
) -> list[Thread]:
    """Every thread of a story (in one language; on the given translations only), oldest
    first."""
    query = (
        select(Comment, Person.name)
        .join(Person, col(Person.id) == col(Comment.author_id), isouter=True)
        .where(Comment.story_id == story_id)
        .order_by(col(Comment.id))
    )
    if lang is not None:
        query = query.where(Comment.lang == lang)
    if translation_ids is not None:
        # An answer carries its comment's translation, so a paragraph's threads come whole.
        query = query.where(col(Comment.translation_id).in_(translation_ids))
    found: dict[int, Thread] = {}
    for comment, author in session.exec(query):
        assert comment.id is not None
        remark = Remark(comment.id, author, comment.text, comment.created_at)
        if comment.reply_to_id is None:
            found[comment.id] = Thread(remark, comment.lang, comment.translation_id)
        elif comment.reply_to_id in found:
            found[comment.reply_to_id].answers.append(remark)
    return list(found.values())


def thread_of(session: Session, comment_id: int) -> Thread | None:
    """The thread a comment starts (or belongs to), as it stands now."""
    comment = session.get(Comment, comment_id)
    if comment is None:
        return None
    root = comment.reply_to_id or comment.id
    return next((t for t in threads(session, comment.story_id) if t.comment.id == root), None)


def paragraph_threads(
    session: Session, story_id: int, translation_ids: Collection[int] | None = None
) -> dict[int, Thread]:
    """The open thread on each paragraph of the story (or on the given translations), by
    translation id: the newest one, unless the paragraph was approved after it started (an
    approval closes the talk). Two queries, whatever the number of paragraphs."""
    approvals = select(Change.translation_id, func.max(Change.created_at)).where(
        Change.story_id == story_id, Change.action == Action.APPROVE
    )
    if translation_ids is not None:
        approvals = approvals.where(col(Change.translation_id).in_(translation_ids))
    approved = dict(session.exec(approvals.group_by(col(Change.translation_id))).all())
    newest = {
        t.translation_id: t
        for t in threads(session, story_id, translation_ids=translation_ids)
        if t.translation_id
    }
    return {
        tid: thread
        for tid, thread in newest.items()
        if tid not in approved or as_utc(thread.comment.created_at) > as_utc(approved[tid])
    }


def version_thread(session: Session, story_id: int, lang: str) -> Thread | None:
    """The newest thread on the whole version (a request for changes), if any."""
    found = [t for t in threads(session, story_id, lang) if t.translation_id is None]
    return found[-1] if found else None
