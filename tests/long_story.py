"""A long story for tests and benchmarks of the desk: a live blog of `size` generated paragraphs
with a Russian and a Ukrainian translation in mixed states (no copied text), and what the
desk's tests measure it with: the SQL statements sent, the desk opened on a story."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import cycle, islice

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.app_helpers import open_app
from tests.conftest import stand_in, tag
from workflow.flags import glossary, refresh_story_flags
from workflow.formats import read_story_file
from workflow.models import LanguageVersion, Person, SourceParagraph, Story, Translation
from workflow.states import TranslationState
from workflow.stories import import_story
from workflow.vocabulary import Origin
from workflow.worker import WORKER_THREAD

WHO = ("The council", "A spokesperson", "The mayor", "Rescue teams", "The ministry", "Observers")
DID = ("said", "reported", "confirmed", "announced", "estimated", "warned")
WHAT = ("buses", "volunteers", "shelters", "trucks of aid", "schools", "bridges")
WHEN = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "by March")

HOLDERS = {"ru": "Dmitri Volkov", "uk": "Olena Shevchuk"}  # the demo's translators

# The Ukrainian version's states, repeated down the story: the desk shows each kind.
UK_STATES = (
    TranslationState.MACHINE_DRAFT,
    TranslationState.TRANSLATED,
    TranslationState.EMPTY,
    TranslationState.TRANSLATED,
    TranslationState.APPROVED,
)


def english_paragraphs(size: int) -> list[str]:
    """`size` paragraphs, headline first, each told apart by its figures."""
    body = [
        f"{who} {did} {when} that {n * 7 + 3} {what} were ready in district {n}."
        for n, who, did, what, when in zip(
            range(1, size),
            cycle(WHO),
            cycle(DID),
            cycle(WHAT),
            cycle(WHEN),
            strict=False,
        )
    ]
    return [f"Live: the city prepares for the storm, update {size}", *body]


def long_story(session: Session, size: int, *, editor_name: str = "Irina Sokolova") -> Story:
    """Import a `size`-paragraph story and translate it: every Russian paragraph translated,
    the Ukrainian ones in the states of `UK_STATES` in turn. Written straight to the tables
    (set-up, not the behaviour under test), then checked as a save would check it."""
    editor = session.exec(select(Person).where(Person.name == editor_name)).one()
    text = "\n\n".join(english_paragraphs(size))
    story = import_story(session, read_story_file(text.encode()), person=editor)
    assert story.id is not None
    paragraphs = {
        p.id: p
        for p in session.exec(select(SourceParagraph).where(SourceParagraph.story_id == story.id))
    }
    states = {"ru": cycle([TranslationState.TRANSLATED]), "uk": cycle(UK_STATES)}
    words = {"ru": "Перевод абзаца", "uk": "Переклад абзацу"}
    query = select(Translation).where(Translation.story_id == story.id)
    for t in session.exec(query.order_by(Translation.lang, Translation.paragraph_id)).all():
        paragraph = paragraphs[t.paragraph_id]
        state = next(states[t.lang])
        if state is TranslationState.EMPTY:
            continue
        t.state = state
        t.text = stand_in(paragraph.text, f"{words[t.lang]} {tag(paragraph.position)}", lang=t.lang)
        t.source_fingerprint, t.source_text = paragraph.fingerprint, paragraph.text
        if state is TranslationState.MACHINE_DRAFT:
            t.draft_text, t.draft_origin, t.origin = t.text, Origin.MACHINE, Origin.MACHINE
        session.add(t)
    # Held by the demo's people, as the seed story is: the head names them.
    names = {p.name: p.id for p in session.exec(select(Person))}
    for version in session.exec(
        select(LanguageVersion).where(LanguageVersion.story_id == story.id)
    ):
        version.translator_id = names.get(HOLDERS[version.lang])
        version.reviewer_id = editor.id
        session.add(version)
    session.commit()
    refresh_story_flags(session, story.id, glossary(session))
    session.commit()
    return story


def first_in_state(session: Session, story_id: int, lang: str, state: TranslationState) -> int:
    """The id of the version's first translation in `state`."""
    query = (
        select(Translation.id)
        .where(Translation.story_id == story_id, Translation.lang == lang)
        .where(Translation.state == state)
        .order_by(Translation.paragraph_id)
    )
    return next(islice(session.exec(query), 1))


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements every engine of this process (the app's among them) sends meanwhile,
    but for drafting workers' polls (their own threads, not the page)."""
    sent: list[str] = []

    def note(_connection, _cursor, statement: str, *_args) -> None:
        if not threading.current_thread().name.startswith(WORKER_THREAD):  # not the page's
            sent.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def open_desk(person_name: str, story_id: int, view: str):
    """The desk (an AppTest) signed in as the named person, on the story and view given."""
    at = open_app(person_name, view="read")
    at.selectbox(key="story_id").set_value(story_id).run()
    at.radio(key="desk_view").set_value(view).run()
    assert not at.exception, at.exception
    return at
