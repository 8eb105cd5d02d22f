"""The digest and the sweep through notify's own sending: a real mail server on loopback."""

from datetime import timedelta

from sqlmodel import select

from tests.smtp_inbox import inbox
from tests.test_notify_digest import HOUR_END, news, two_stories
from workflow.assignments import assign
from workflow.models import Job, Notification, utcnow
from workflow.models.base import clock_at
from workflow.notify.digest import DIGEST, queue_digests
from workflow.notify.due import sweep
from workflow.work import all_handlers
from workflow.worker import Worker


def test_a_digest_reaches_a_real_mail_server_once_even_after_it_was_down(
    session, people, monkeypatch
):
    taras = people["translator_uk"]
    taras.email = "taras@desk.example"
    session.add(taras)
    session.commit()
    council, port = two_stories(session)
    news(session, taras.id, council, "Assigned: council", minutes_before_end=50)
    news(session, taras.id, port, "English changed: port", minutes_before_end=20, urgent=True)
    with inbox(monkeypatch, running=False) as mail:
        queue_digests(session, HOUR_END + timedelta(minutes=3))
        worker = Worker(session.get_bind(), all_handlers())
        worker.run_until_idle()
        assert mail.messages == []
        mail.up()
        job = session.exec(select(Job).where(Job.kind == DIGEST)).one()
        session.refresh(job)
        job.run_after = utcnow()
        session.add(job)
        session.commit()
        worker.run_until_idle()
        (message,) = mail.to("taras@desk.example")
        assert "URGENT" in message["Subject"] and "2 notifications" in message["Subject"]
        body = message.get_content()
        assert body.index("Port reopens") < body.index("Council meets")


def test_late_work_reaches_a_real_mail_server(session, people, story, monkeypatch):
    taras = people["translator_uk"]
    taras.email = "taras@desk.example"
    session.add(taras)
    session.commit()
    now = utcnow()
    assign(
        session,
        story_id=story.id,
        lang="uk",
        person=people["editor"],
        translator_id=taras.id,
        reviewer_id=None,
        due_at=now - timedelta(minutes=1),
    )
    with inbox(monkeypatch) as mail:
        with clock_at(now):
            sweep(session)
        Worker(session.get_bind(), all_handlers()).run_until_idle()
        (message,) = [m for m in mail.to("taras@desk.example") if "Late:" in m["Subject"]]
        assert "(Ukrainian)" in message["Subject"]
        (sent,) = session.exec(select(Notification).where(Notification.kind == "late")).all()
        session.refresh(sent)
        assert sent.sent_at is not None
