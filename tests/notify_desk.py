"""A small desk for the notification tests: people with e-mail addresses, a three-paragraph
story, and the steps that take a language version from translation to publication."""

from dataclasses import dataclass

from markdown_it import MarkdownIt
from sqlmodel import Session, col, select

from workflow.formats import ParsedStory
from workflow.models import Job, Notification, Person, Story, Translation
from workflow.notify.news import NOTIFY
from workflow.people import add_person
from workflow.sources import update_source
from workflow.states import Role
from workflow.stories import import_story
from workflow.translations import save_translation
from workflow.versions import approve_version, publish_version, submit_version

HEADLINE = "Council approves the budget"
ENGLISH = [HEADLINE, "The council met on Monday.", "Members voted in favour."]
CORRECTED = [HEADLINE, "The council met on Tuesday.", "Members voted in favour."]
TEXTS = {
    "ru": ["Совет утвердил бюджет", "Совет собрался в понедельник.", "Депутаты проголосовали за."],
    "uk": ["Міська рада затвердила бюджет", "Рада зібралася в понеділок.", "Депутати підтримали."],
}


# Markdown as Mattermost and Teams read a chat message (CommonMark, GitHub's strikethrough).
CHAT_MARKDOWN = MarkdownIt("commonmark").enable(["strikethrough"])
LINKING = {"link_open", "image", "autolink", "html_inline", "html_block"}


def links_in(chat: str) -> list[str]:
    """What in a chat message renders as a link, an image or raw HTML (none, when inert)."""
    pending, found = list(CHAT_MARKDOWN.parse(chat)), []
    while pending:
        token = pending.pop(0)
        pending[:0] = token.children or []
        if token.type in LINKING:
            found.append(f"{token.type} {token.attrs or token.content!r}")
    return found


@dataclass(frozen=True)
class Desk:
    tanya: Person  # translates Russian
    taras: Person  # translates Ukrainian
    eva: Person  # edits both
    olga: Person  # edits Russian
    ada: Person  # administers


def desk(session: Session) -> Desk:
    def person(name: str, role: Role, languages: list[str]) -> Person:
        address = f"{name.lower()}@newsroom.test"
        return add_person(session, name=name, role=role, languages=languages, email=address)

    return Desk(
        tanya=person("Tanya", Role.TRANSLATOR, ["ru"]),
        taras=person("Taras", Role.TRANSLATOR, ["uk"]),
        eva=person("Eva", Role.EDITOR, ["ru", "uk"]),
        olga=person("Olga", Role.EDITOR, ["ru"]),
        ada=person("Ada", Role.ADMIN, []),
    )


def desk_once(session: Session) -> Desk:
    """The desk's people: made the first time, read again after (a property's examples
    share one database)."""
    names = ("Tanya", "Taras", "Eva", "Olga", "Ada")
    found = {p.name: p for p in session.exec(select(Person).where(col(Person.name).in_(names)))}
    return Desk(*(found[name] for name in names)) if len(found) == len(names) else desk(session)


def new_story(session: Session, headline: str = HEADLINE) -> Story:
    parsed = ParsedStory(headline=headline, paragraphs=ENGLISH[1:])
    return import_story(session, parsed, person=None)


def translate(session: Session, story: Story, lang: str, person: Person) -> None:
    rows = session.exec(
        select(Translation)
        .where(Translation.story_id == story.id, Translation.lang == lang)
        .order_by(col(Translation.paragraph_id))
    ).all()
    for t, text in zip(rows, TEXTS[lang], strict=True):
        save_translation(
            session, translation_id=t.id, text=text, person=person,
            base_lock_version=t.lock_version,
        )  # fmt: skip


def published(session: Session, story: Story, lang: str, translator: Person, editor: Person):
    """The version translated, submitted, approved by `editor` and published."""
    translate(session, story, lang, translator)
    submit_version(session, story_id=story.id, lang=lang, person=translator)
    approve_version(session, story_id=story.id, lang=lang, person=editor, accept_unedited=True)
    publish_version(session, story_id=story.id, lang=lang, person=editor)


def correct(session: Session, story: Story, person: Person | None = None) -> None:
    update_source(session, story_id=story.id, paragraphs=CORRECTED, person=person)


def notifications(session: Session) -> list[Notification]:
    query = select(Notification).order_by(col(Notification.id))
    return list(session.exec(query.execution_options(populate_existing=True)))


def told(session: Session, kind: str | None = None) -> list[tuple[str, str, str]]:
    """(person, kind, channel) of every notification (of one kind), in order."""
    names = {p.id: p.name for p in session.exec(select(Person))}
    return [
        (names[n.person_id], str(n.kind), str(n.channel))
        for n in notifications(session)
        if kind is None or n.kind == kind
    ]


def sendings(session: Session) -> list[Job]:
    query = select(Job).where(Job.kind == NOTIFY).order_by(col(Job.id))
    return list(session.exec(query.execution_options(populate_existing=True)))
