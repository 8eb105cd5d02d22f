"""The news each change makes: who is told of an assignment, a send-back, a submission, an
approval and a correction of the English; nobody of their own action; never twice; by each
person's choice of channel and timing, written with the change and sent by a job."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlmodel import Session, select

from tests.conftest import translations
from tests.notify_desk import (
    CORRECTED,
    ENGLISH,
    HEADLINE,
    correct,
    desk,
    desk_once,
    links_in,
    new_story,
    notifications,
    published,
    sendings,
    told,
    translate,
)
from workflow.assignments import assign, take
from workflow.errors import InputError
from workflow.models import (
    Channel,
    NotificationChoice,
    NotificationKind,
    Person,
    Setting,
    Timing,
)
from workflow.notify.choices import CHAT_CHANNEL
from workflow.notify.english import StaleParagraph, changes_in_words, describe_stale
from workflow.notify.news import News, tell
from workflow.notify.text import chat_text
from workflow.sources import update_source
from workflow.translations import send_back
from workflow.versions import approve_version, request_changes, submit_version
from workflow.writes import transaction


def russian_assigned(session, story, by, translator, reviewer) -> None:
    assign(
        session, story_id=story.id, lang="ru", person=by, translator_id=translator.id,
        reviewer_id=reviewer.id, due_at=None,
    )  # fmt: skip


def test_an_assignment_tells_the_people_it_names_and_never_the_editor_who_made_it(session):
    d = desk(session)
    story = new_story(session)
    russian_assigned(session, story, d.eva, d.tanya, d.olga)
    assert told(session) == [("Tanya", "assigned", "email"), ("Olga", "assigned", "email")]
    tanya, olga = notifications(session)
    assert tanya.subject == f"You are to translate the Russian version of “{HEADLINE}”"
    assert "Eva assigned you to translate" in tanya.body and "/desk?story=" in tanya.body
    assert "review the Russian version" in olga.subject
    # The same assignment saved again gives nobody new work: nobody is told again.
    russian_assigned(session, story, d.eva, d.tanya, d.olga)
    assert len(notifications(session)) == 2


def test_an_editor_who_assigns_themselves_is_not_told_and_taking_work_tells_nobody(session):
    d = desk(session)
    story = new_story(session)
    assign(
        session, story_id=story.id, lang="uk", person=d.eva, translator_id=d.taras.id,
        reviewer_id=d.eva.id, due_at=None,
    )  # fmt: skip
    assert told(session) == [("Taras", "assigned", "email")]
    take(session, story_id=story.id, lang="ru", person=d.tanya)
    assert told(session) == [("Taras", "assigned", "email")]


def test_a_submission_goes_to_every_editor_of_the_language_when_nobody_is_assigned(session):
    d = desk(session)
    story = new_story(session)
    translate(session, story, "ru", d.tanya)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    assert sorted(told(session)) == [("Eva", "to review", "email"), ("Olga", "to review", "email")]


def test_a_submission_goes_to_the_assigned_reviewer_alone(session):
    d = desk(session)
    story = new_story(session)
    russian_assigned(session, story, d.ada, d.tanya, d.olga)
    translate(session, story, "ru", d.tanya)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    assert told(session, "to review") == [("Olga", "to review", "email")]


def test_changes_requested_reach_the_translator_with_the_comment(session):
    d = desk(session)
    story = new_story(session)
    translate(session, story, "ru", d.tanya)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    comment = "Paragraph 2: say 'deputies', not 'members'."
    request_changes(session, story_id=story.id, lang="ru", person=d.olga, comment=comment)
    assert told(session, "sent back") == [("Tanya", "sent back", "email")]
    (back,) = [n for n in notifications(session) if n.kind == NotificationKind.SENT_BACK]
    assert "came back to you with comments" in back.subject
    assert back.body.startswith("Olga sent the Russian version") and comment in back.body


def test_a_paragraph_sent_back_in_review_reaches_the_translator_too(session):
    d = desk(session)
    story = new_story(session)
    translate(session, story, "ru", d.tanya)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    t = translations(session, story.id, "ru")[1]
    send_back(session, translation_id=t.id, person=d.eva, comment="Which Monday?")
    assert told(session, "sent back") == [("Tanya", "sent back", "email")]
    assert "Paragraph 1 was sent back. Which Monday?" in notifications(session)[-1].body


def test_an_approval_tells_the_translators_and_not_the_editor_who_approved(session):
    d = desk(session)
    story = new_story(session)
    translate(session, story, "ru", d.tanya)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    approve_version(session, story_id=story.id, lang="ru", person=d.olga, accept_unedited=True)
    assert told(session, "approved") == [("Tanya", "approved", "email")]


def test_a_correction_tells_the_translator_and_editor_of_each_stale_language(session):
    d = desk(session)
    story = new_story(session)
    published(session, story, "ru", d.tanya, d.olga)
    translate(session, story, "uk", d.taras)  # translated, not yet submitted
    correct(session, story)  # by the CMS
    news = [n for n in notifications(session) if n.kind == NotificationKind.ENGLISH_CHANGED]
    by_person = sorted((n.lang, n.person_id, n.urgent) for n in news)
    assert by_person == sorted(
        [("ru", d.tanya.id, True), ("ru", d.olga.id, True), ("uk", d.taras.id, False)]
    )
    russian = next(n for n in news if n.person_id == d.tanya.id)
    assert "published" in russian.subject
    said = "Paragraph 1\n  was: The council met on Monday.\n  now: The council met on Tuesday."
    assert said in russian.body
    assert "changed: removed “Monday.”; added “Tuesday.”" in russian.body
    assert "view=ru" in russian.body
    ukrainian = next(n for n in news if n.person_id == d.taras.id)
    assert "needs checking" in ukrainian.subject and "published" not in ukrainian.body


def test_the_editor_who_corrects_the_english_is_not_told_of_it(session):
    d = desk(session)
    story = new_story(session)
    published(session, story, "ru", d.tanya, d.eva)
    correct(session, story, person=d.eva)
    assert told(session, "english changed") == [("Tanya", "english changed", "email")]


def test_the_same_correction_again_and_the_same_news_again_add_nothing(session):
    d = desk(session)
    story = new_story(session)
    published(session, story, "ru", d.tanya, d.olga)
    correct(session, story)
    before = len(notifications(session))
    correct(session, story)  # a CMS's retry: the English is as it says already
    assert len(notifications(session)) == before
    news = News(NotificationKind.APPROVED, story.id, "ru", "change 1", "Approved", "Body")
    assert len(tell(session, [(news, [d.tanya.id])], by=None)) == 1
    session.commit()
    assert tell(session, [(news, [d.tanya.id, d.tanya.id])], by=None) == []  # stored already
    session.commit()
    assert len(notifications(session)) == before + 1
    assert len(sendings(session)) == before + 1  # one job per notification sent at once


def choose(session: Session, person_id: int, kind, channel, timing) -> None:
    session.add(NotificationChoice(person_id=person_id, kind=kind, channel=channel, timing=timing))
    session.commit()


def test_each_person_is_told_as_they_chose_and_in_the_chat_only_when_the_desk_has_one(session):
    d = desk(session)
    story = new_story(session)
    translate(session, story, "ru", d.tanya)
    choose(session, d.eva.id, NotificationKind.TO_REVIEW, Channel.EMAIL, Timing.OFF)
    choose(session, d.eva.id, NotificationKind.TO_REVIEW, Channel.CHAT, Timing.IMMEDIATELY)
    choose(session, d.olga.id, NotificationKind.TO_REVIEW, Channel.EMAIL, Timing.HOURLY)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    assert told(session) == [("Olga", "to review", "email")]  # no channel: no chat
    (hourly,) = notifications(session)
    assert hourly.timing is Timing.HOURLY and hourly.job_id is None  # the digest's to send
    assert sendings(session) == []

    session.add(Setting(name=CHAT_CHANNEL, value="https://chat.example/hooks/desk"))
    session.commit()
    request_changes(session, story_id=story.id, lang="ru", person=d.olga, comment="Shorter.")
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    assert told(session)[1:] == [
        ("Tanya", "sent back", "email"),
        ("Eva", "to review", "chat"),
        ("Olga", "to review", "email"),
    ]
    chat = notifications(session)[2]
    assert chat.timing is Timing.IMMEDIATELY and chat.job_id is not None


def test_someone_the_desk_has_no_address_for_is_told_in_the_chat_and_never_by_email(session):
    d = desk(session)
    d.eva.email = None  # signs in by single sign-on only
    session.add(d.eva)
    session.add(Setting(name=CHAT_CHANNEL, value="https://chat.example/hooks/desk"))
    session.commit()
    choose(session, d.eva.id, NotificationKind.TO_REVIEW, Channel.CHAT, Timing.IMMEDIATELY)
    story = new_story(session)
    translate(session, story, "ru", d.tanya)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    assert told(session) == [("Eva", "to review", "chat"), ("Olga", "to review", "email")]


def test_a_change_undone_tells_nobody(session):
    d = desk(session)
    story = new_story(session)
    published(session, story, "ru", d.tanya, d.olga)
    before = len(notifications(session))
    try:
        with transaction(session):
            update_source(
                session, story_id=story.id, paragraphs=["Council approves it", "New."], person=None
            )
            raise RuntimeError("the CMS's request was cut off")
    except RuntimeError:
        pass
    assert len(notifications(session)) == before


# ----- people's text in a message -----

texts = st.text(max_size=300)


@given(before=texts, now=texts)
def test_the_words_that_changed_are_said_for_any_english(before, now):
    said = changes_in_words(before, now)
    assert isinstance(said, str)
    if before.split() == now.split():
        assert said == ""


@given(st.lists(st.tuples(st.integers(0, 300), st.none() | texts, texts), max_size=5))
def test_stale_paragraphs_are_described_for_any_english(paragraphs):
    described = describe_stale([StaleParagraph(*p) for p in paragraphs])
    assert described.count("  now: ") >= len(paragraphs)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(headline=st.text(min_size=1, max_size=400))
def test_a_correction_of_any_headline_makes_its_news(session, headline):
    """Whatever the CMS sends as the headline, the correction's news is written, its subject
    one line the column holds."""
    tanya = desk_once(session).tanya
    story = new_story(session, "Budget")
    translate(session, story, "ru", tanya)
    update_source(
        session, story_id=story.id, paragraphs=[headline, "The council met on Tuesday."],
        person=None,
    )  # fmt: skip
    (news,) = [n for n in notifications(session) if n.story_id == story.id]
    assert len(news.subject) <= 300 and "\n" not in news.subject


# ----- what the news costs -----


def statements(session, act) -> int:
    engine, seen = session.get_bind(), []

    def count(*_args: object) -> None:
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        act()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_a_correction_tells_three_people_in_as_many_statements_as_two(session):
    """The news adds the same statements to a correction however many are told: one INSERT
    of the notifications, one of their jobs, one UPDATE naming the jobs."""
    d = desk(session)
    quiet, busy = new_story(session), new_story(session)
    russian_assigned(session, busy, d.ada, d.tanya, d.eva)  # Eva reviews it: one more to tell
    for story in (quiet, busy):
        published(session, story, "ru", d.tanya, d.olga)
    two = statements(session, lambda: correct(session, quiet))  # Tanya and Olga told
    three = statements(session, lambda: correct(session, busy))  # and Eva
    assert len(told(session, "english changed")) == 5
    assert three == two


SENT = NotificationKind.SENT_BACK


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(comment=st.text(min_size=1, max_size=500).filter(str.strip))
def test_any_comment_an_editor_sends_back_with_reaches_the_translator_inert_in_chat(
    session, comment
):
    tanya = session.exec(select(Person).where(Person.name == "Tanya")).first()
    d = desk(session) if tanya is None else None
    tanya = tanya or d.tanya  # type: ignore[union-attr]
    olga = session.exec(select(Person).where(Person.name == "Olga")).one()
    story = new_story(session)
    translate(session, story, "ru", tanya)
    submit_version(session, story_id=story.id, lang="ru", person=tanya)
    try:
        request_changes(session, story_id=story.id, lang="ru", person=olga, comment=comment)
    except InputError:
        return  # a comment refused in words (control characters) tells nobody
    (back,) = [
        n for n in notifications(session) if n.story_id == story.id and n.kind == "sent back"
    ]
    said = chat_text(back.subject, back.body, urgent=back.urgent, name="Tanya")
    assert "@channel" not in said and "<" not in said and links_in(said) == []


def test_urgent_news_goes_at_once_to_someone_who_chose_the_hourly_digest(session):
    """Olga chose the digest for "English changed": the correction of her published story
    still goes at once; a correction of a story not yet published waits for her digest."""
    d = desk(session)
    choose(session, d.olga.id, NotificationKind.ENGLISH_CHANGED, Channel.EMAIL, Timing.HOURLY)
    choose(session, d.tanya.id, NotificationKind.ENGLISH_CHANGED, Channel.EMAIL, Timing.OFF)
    story = new_story(session)
    published(session, story, "ru", d.tanya, d.olga)
    correct(session, story)
    (urgent,) = [n for n in notifications(session) if n.kind == NotificationKind.ENGLISH_CHANGED]
    assert (urgent.person_id, urgent.urgent) == (d.olga.id, True)  # Tanya turned it off
    assert urgent.timing is Timing.IMMEDIATELY and urgent.job_id is not None

    later = new_story(session)
    russian_assigned(session, later, d.ada, d.tanya, d.olga)
    translate(session, later, "ru", d.tanya)
    correct(session, later)
    (calm,) = [
        n
        for n in notifications(session)
        if n.kind == NotificationKind.ENGLISH_CHANGED and n.story_id == later.id
    ]
    assert (calm.person_id, calm.urgent, calm.timing) == (d.olga.id, False, Timing.HOURLY)
    assert calm.job_id is None  # the digest's to send


def test_a_paragraph_added_to_a_published_story_is_news_urgent_with_its_english(session):
    """An added paragraph's translation is empty, not stale: the published Russian version's
    people are told of it, urgently; the Ukrainian one, only translated, waits on its desk."""
    d = desk(session)
    story = new_story(session)
    published(session, story, "ru", d.tanya, d.olga)
    translate(session, story, "uk", d.taras)
    added = "The mayor did not vote."
    update_source(session, story_id=story.id, paragraphs=[*ENGLISH, added], person=None)
    news = [n for n in notifications(session) if n.kind == NotificationKind.ENGLISH_CHANGED]
    assert sorted((n.lang, n.person_id, n.urgent) for n in news) == sorted(
        [("ru", d.tanya.id, True), ("ru", d.olga.id, True)]
    )
    body = news[0].body
    assert f"Paragraph 3, added (not translated yet)\n  now: {added}" in body
    assert "1 paragraph was added, not translated in the Russian version" in body
    assert "stale" not in body and "  was: " not in body


def test_a_correction_that_changes_one_paragraph_and_adds_another_lists_both(session):
    d = desk(session)
    story = new_story(session)
    published(session, story, "ru", d.tanya, d.olga)
    update_source(session, story_id=story.id, paragraphs=[*CORRECTED, "New."], person=None)
    (tanya,) = [n for n in notifications(session) if n.person_id == d.tanya.id and n.urgent]
    assert "1 paragraph of the Russian version is stale now, and 1 paragraph was added" in (
        tanya.body
    )
    assert "Paragraph 1\n  was: The council met on Monday." in tanya.body
    assert "Paragraph 3, added (not translated yet)\n  now: New." in tanya.body
