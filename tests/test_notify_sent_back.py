"""A review round's send-backs told as one piece of news: every paragraph an editor sends back
in the round is named with its comment, in the round's news while it is unsent; news sent is
never changed, and a later paragraph then makes news of its own; news that changes as it is
about to go is sent as it is now, never as it was."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import Session

from tests.conftest import translations
from tests.notify_desk import desk, desk_once, new_story, notifications, sendings, translate
from workflow.errors import InputError
from workflow.models import Job, JobState, Notification, NotificationKind, utcnow
from workflow.models.base import as_utc, clock_at
from workflow.notify import send
from workflow.notify.news import GATHER_FOR
from workflow.notify.sent_back import with_paragraph
from workflow.translations import mark_translated, send_back
from workflow.versions import submit_version
from workflow.work import all_handlers
from workflow.worker import Worker

SENT = NotificationKind.SENT_BACK


def sent_back_news(session) -> list[Notification]:
    return [n for n in notifications(session) if n.kind == SENT]


def in_review(session, d):
    story = new_story(session)
    translate(session, story, "ru", d.tanya)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    return story, translations(session, story.id, "ru")


def test_every_paragraph_sent_back_in_a_round_is_in_the_translators_one_message(session):
    d = desk(session)
    _story, rows = in_review(session, d)
    send_back(session, translation_id=rows[1].id, person=d.olga, comment="Which Monday?")
    send_back(session, translation_id=rows[2].id, person=d.olga, comment="Say 'deputies'.")
    send_back(session, translation_id=rows[0].id, person=d.olga, comment="Too long.")
    (news,) = sent_back_news(session)  # one message, sent once: one job
    assert [j.payload["notification_id"] for j in sendings(session)].count(news.id) == 1
    said = [
        "Paragraph 1 was sent back. Which Monday?",
        "Paragraph 2 was sent back. Say 'deputies'.",
        "The headline was sent back. Too long.",
    ]
    assert all(line in news.body for line in said)
    assert [news.body.index(line) for line in said] == sorted(news.body.index(s) for s in said)
    assert news.body.rstrip().splitlines()[-1].startswith("Open it on the desk: ")


def test_news_sent_already_is_not_changed_and_a_later_paragraph_makes_news_of_its_own(session):
    d = desk(session)
    _story, rows = in_review(session, d)
    send_back(session, translation_id=rows[1].id, person=d.olga, comment="Which Monday?")
    (first,) = sent_back_news(session)
    session.exec(update(Notification).values(sent_at=utcnow()))  # the worker sent it
    session.commit()
    send_back(session, translation_id=rows[2].id, person=d.olga, comment="Say 'deputies'.")
    was, later = sent_back_news(session)
    assert was.body == first.body and "deputies" not in was.body
    assert "Olga sent back a paragraph" in later.body and "Paragraph 2" in later.body
    assert "Which Monday?" not in later.body and later.sent_at is None
    assert sendings(session)[-1].payload["notification_id"] == later.id


def test_a_paragraph_sent_back_after_the_version_is_submitted_again_opens_a_new_round(session):
    d = desk(session)
    story, rows = in_review(session, d)
    send_back(session, translation_id=rows[1].id, person=d.olga, comment="Which Monday?")
    mark_translated(session, translation_id=rows[1].id, person=d.tanya)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)
    send_back(session, translation_id=rows[2].id, person=d.olga, comment="Say 'deputies'.")
    first, second = sent_back_news(session)
    assert "deputies" not in first.body and "Which Monday?" not in second.body


def test_news_changed_as_it_was_about_to_go_is_sent_as_it_is_now(session, monkeypatch):
    """The worker read the round's news; a paragraph was added before it marked it sent: it
    sends nothing then, and the retry sends the news with both paragraphs."""
    d = desk(session)
    story, rows = in_review(session, d)
    send_back(session, translation_id=rows[1].id, person=d.olga, comment="Which Monday?")
    job = sendings(session)[-1]
    sent: list[str] = []
    monkeypatch.setattr(send, "send_text", lambda _to, _subject, body, **_: sent.append(body))
    real_sender = send.sender

    def sender_then_a_send_back(*args, **kwargs):
        made = real_sender(*args, **kwargs)
        with Session(session.get_bind()) as editor_session:
            second = translations(editor_session, story.id, "ru")[2]
            send_back(editor_session, translation_id=second.id, person=d.olga, comment="Why?")
        return made

    monkeypatch.setattr(send, "sender", sender_then_a_send_back)
    with pytest.raises(send.Changed):
        send.deliver_notification(session, job, lambda *_: None)
    assert sent == [] and sent_back_news(session)[0].sent_at is None
    monkeypatch.setattr(send, "sender", real_sender)
    send.deliver_notification(session, job, lambda *_: None)
    (body,) = sent
    assert "Which Monday?" in body and "Paragraph 2 was sent back. Why?" in body


def test_a_worker_running_between_send_backs_still_sends_the_round_as_one_message(session):
    """By default a send-back goes at once by e-mail, and the worker looks for work every
    second: the news waits a moment for the editor's next paragraphs."""
    d = desk(session)
    _story, rows = in_review(session, d)
    worker = Worker(session.get_bind(), all_handlers())
    worker.run_until_idle()  # the submission's news to the editors
    send_back(session, translation_id=rows[1].id, person=d.olga, comment="Which Monday?")
    assert worker.run_until_idle() == 0  # not due yet: gathering the round
    send_back(session, translation_id=rows[2].id, person=d.olga, comment="Say 'deputies'.")
    (news,) = sent_back_news(session)
    assert "Which Monday?" in news.body and "deputies" in news.body
    (job,) = [j for j in sendings(session) if j.payload["notification_id"] == news.id]
    wait = as_utc(job.run_after) - as_utc(news.created_at)
    assert GATHER_FOR - timedelta(seconds=1) <= wait <= GATHER_FOR + timedelta(seconds=1)


def test_a_paragraph_sent_back_before_the_version_was_submitted_tells_its_translator(session):
    """The version stays in translation (nothing to return it from), but the translator still
    learns an editor sent a paragraph back, and the next one joins that news."""
    d = desk(session)
    story = new_story(session)
    translate(session, story, "ru", d.tanya)
    rows = translations(session, story.id, "ru")
    send_back(session, translation_id=rows[1].id, person=d.olga, comment="Which Monday?")
    send_back(session, translation_id=rows[2].id, person=d.olga, comment="Say 'deputies'.")
    (news,) = sent_back_news(session)
    assert news.person_id == d.tanya.id
    assert "Which Monday?" in news.body and "deputies" in news.body


def test_news_whose_sending_failed_for_good_gets_no_paragraph_a_new_one_does(session):
    d = desk(session)
    _story, rows = in_review(session, d)
    send_back(session, translation_id=rows[1].id, person=d.olga, comment="Which Monday?")
    (dead,) = sent_back_news(session)
    session.exec(update(Job).where(Job.id == dead.job_id).values(state=JobState.FAILED))
    session.commit()
    send_back(session, translation_id=rows[2].id, person=d.olga, comment="Say 'deputies'.")
    was, later = sent_back_news(session)
    assert "deputies" not in was.body  # it will never go: the paragraph is not hidden in it
    assert "Paragraph 2 was sent back. Say 'deputies'." in later.body and later.job_id


def test_two_send_backs_in_the_same_instant_are_both_told(session):
    """News is keyed by the send-back itself, not the time: two in one clock tick (a CMS, a
    fixed clock) are two pieces of news for someone whose first went already."""
    d = desk(session)
    _story, rows = in_review(session, d)
    with clock_at(utcnow()):
        send_back(session, translation_id=rows[1].id, person=d.olga, comment="Which Monday?")
        session.exec(update(Notification).values(sent_at=utcnow()))  # the worker sent it
        session.commit()
        send_back(session, translation_id=rows[2].id, person=d.olga, comment="Say 'deputies'.")
        send_back(session, translation_id=rows[0].id, person=d.olga, comment="Too long.")
    _sent, later = sent_back_news(session)
    assert "deputies" in later.body and "Too long." in later.body


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(comments=st.lists(st.text(max_size=200), min_size=2, max_size=3))
def test_any_comments_of_a_round_reach_the_translator_in_one_message(session, comments):
    d = desk_once(session)
    story, rows = in_review(session, d)
    returned = []
    for row, where, comment in zip(rows, WHERE, comments, strict=False):
        try:
            send_back(session, translation_id=row.id, person=d.olga, comment=comment)
        except InputError:
            continue  # a comment refused in words (control characters) sends nothing back
        returned.append(where)
    news = [n for n in sent_back_news(session) if n.story_id == story.id]
    assert len(news) == (1 if returned else 0)
    assert all(f"{where} was sent back." in news[0].body for where in returned)


WHERE = ["The headline", "Paragraph 1", "Paragraph 2"]


@given(body=st.text(max_size=300), said=st.text(max_size=100))
def test_adding_a_paragraph_to_any_news_keeps_all_it_said(body, said):
    added = with_paragraph(body, said)
    assert said in added and body.rstrip().split("\nOpen it on the desk: ")[0].rstrip() in added
