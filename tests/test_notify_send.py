"""Sending notifications through a real mail server on the loopback interface (aiosmtpd) and a
loopback chat receiver: plain text that arrives once; urgent said so; a server down is tried
again and gets it when it comes back; a permanent refusal fails in words; a job retried after
its worker died while sending never sends it twice; chat text whose headline would ping
@channel or hide a link pings nobody and hides nothing."""

import json
import re
from datetime import timedelta
from email import message_from_string
from email.message import EmailMessage

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import col

from tests.notify_desk import (
    CORRECTED,
    correct,
    desk,
    links_in,
    new_story,
    notifications,
    published,
    sendings,
)
from tests.smtp_inbox import free_port, inbox
from tests.webhook_receiver import receiver
from workflow.jobs import claim
from workflow.models import (
    Channel,
    Job,
    JobState,
    NotificationChoice,
    NotificationKind,
    Setting,
    Timing,
    utcnow,
)
from workflow.notify import send
from workflow.notify.choices import CHAT_CHANNEL
from workflow.notify.send import Destination, NotSent, SmtpSettings, email_message, send_text
from workflow.notify.text import chat_safe, chat_text
from workflow.sources import update_source
from workflow.work import all_handlers
from workflow.worker import Worker


def run(session) -> int:
    """Run every job due now, here; how many ran."""
    return Worker(session.get_bind(), all_handlers()).run_until_idle()


def due_now(session) -> None:
    session.exec(update(Job).where(col(Job.state) == JobState.QUEUED).values(run_after=utcnow()))
    session.commit()


def submitted(session, d) -> None:
    """Tanya submits the Russian version: Eva and Olga are told, by e-mail, at once."""
    from tests.notify_desk import translate
    from workflow.versions import submit_version

    story = new_story(session)
    translate(session, story, "ru", d.tanya)
    submit_version(session, story_id=story.id, lang="ru", person=d.tanya)


def published_and_told(session, got):
    """A story whose Russian version is published, everyone told of it already."""
    d = desk(session)
    story = new_story(session)
    published(session, story, "ru", d.tanya, d.olga)
    run(session)
    got.messages.clear()
    return d, story


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_an_email_arrives_as_plain_text_once_and_only_when_a_worker_sends_it(session, monkeypatch):
    with inbox(monkeypatch) as got:
        d = desk(session)
        submitted(session, d)
        assert got.messages == []  # the submission only queued it
        assert run(session) == 2
        assert run(session) == 0
    (to_eva,) = got.to("eva@newsroom.test")
    assert to_eva.get_content_type() == "text/plain"
    assert (
        to_eva["Subject"] == "“Council approves the budget” is submitted for your review (Russian)"
    )
    assert "Tanya submitted the Russian version" in body(to_eva)
    assert "Importance" not in to_eva and "URGENT" not in to_eva["Subject"]
    assert len(got.messages) == 2
    assert all(n.sent_at is not None for n in notifications(session))
    assert all(job.state is JobState.DONE and "Sent to" in job.result for job in sendings(session))


def test_an_urgent_email_says_so_in_its_subject_and_headers(session, monkeypatch):
    with inbox(monkeypatch) as got:
        _, story = published_and_told(session, got)
        correct(session, story)
        run(session)
    (to_tanya,) = got.to("tanya@newsroom.test")
    assert to_tanya["Subject"].startswith("URGENT: The English of the published")
    assert to_tanya["Importance"] == "high" and to_tanya["X-Priority"] == "1"
    assert "now: The council met on Tuesday." in body(to_tanya)


def test_a_mail_server_down_gets_every_notification_once_when_it_comes_back(session, monkeypatch):
    with inbox(monkeypatch, running=False) as got:
        d = desk(session)
        submitted(session, d)
        assert run(session) == 2
        assert all(j.state is JobState.QUEUED for j in sendings(session))
        assert all("Could not send through the mail server" in j.error for j in sendings(session))
        assert all(n.sent_at is None for n in notifications(session))  # not marked sent
        due_now(session)
        run(session)  # still down: tried again
        got.up()
        assert run(session) == 0  # each waits its turn (20 s after the second failure)
        due_now(session)
        assert run(session) == 2
        due_now(session)
        assert run(session) == 0
    assert sorted(str(m["To"]) for m in got.messages) == [
        "Eva <eva@newsroom.test>",
        "Olga <olga@newsroom.test>",
    ]
    assert all(j.state is JobState.DONE and j.attempts == 3 for j in sendings(session))


def test_an_address_the_mail_server_refuses_for_good_fails_with_the_reason(session, monkeypatch):
    with inbox(monkeypatch) as got:
        got.refuse["olga@newsroom.test"] = "550 5.1.1 No such mailbox"
        got.refuse["eva@newsroom.test"] = "451 4.3.0 Try again later"
        d = desk(session)
        submitted(session, d)
        run(session)
        eva, olga = sorted(sendings(session), key=lambda j: j.id)
    assert olga.state is JobState.FAILED
    assert "refused Olga <olga@newsroom.test> for good: 550 5.1.1 No such mailbox" in olga.error
    assert eva.state is JobState.QUEUED and "for now: 451" in eva.error  # tried again later
    assert all(n.sent_at is None for n in notifications(session))


def test_a_job_retried_after_its_worker_died_while_sending_never_sends_twice(session, monkeypatch):
    with inbox(monkeypatch) as got:
        d, story = published_and_told(session, got)
        correct(session, story, person=d.olga)  # Tanya alone is told

        def sends_then_dies(*args, **kwargs):
            sent = real_send(*args, **kwargs)
            raise SystemExit(f"the worker was killed after: {sent}")

        real_send = send.send_text
        monkeypatch.setattr(send, "send_text", sends_then_dies)
        with pytest.raises(SystemExit):
            run(session)
        monkeypatch.setattr(send, "send_text", real_send)
        (job,) = [j for j in sendings(session) if j.state is JobState.RUNNING]
        # Its lease runs out, as when a worker died: another worker takes it over.
        session.exec(update(Job).where(col(Job.id) == job.id).values(lease_until=utcnow()))
        session.commit()
        assert run(session) == 1
    assert len(got.to("tanya@newsroom.test")) == 1
    (again,) = [j for j in sendings(session) if j.id == job.id]
    assert again.state is JobState.DONE and again.result.startswith("Sent already, at")


def test_two_workers_never_send_one_notification_twice(session, monkeypatch):
    with inbox(monkeypatch) as got:
        d = desk(session)
        submitted(session, d)
        first = claim(session, "worker one")
        assert first is not None
        # The first worker stalls past its lease; a second takes the job over and sends it.
        session.exec(update(Job).where(col(Job.id) == first.id).values(lease_until=utcnow()))
        session.commit()
        run(session)
        handler = all_handlers()["notification"]
        outcome = handler(session, first, lambda done, total: None)  # the first wakes up
    assert outcome.result.startswith("Sent already")
    assert len(got.messages) == 2


NOW = Timing.IMMEDIATELY


def chat_desk(session, url: str):
    """A desk whose people hear of everything in its chat channel, and nothing by e-mail."""
    session.add(Setting(name=CHAT_CHANNEL, value=url))
    d = desk(session)
    for kind in NotificationKind:
        for person in (d.tanya, d.taras, d.eva, d.olga, d.ada):
            for channel, timing in (
                (Channel.EMAIL, Timing.OFF),
                (Channel.CHAT, Timing.IMMEDIATELY),
            ):
                session.add(
                    NotificationChoice(
                        person_id=person.id, kind=kind, channel=channel, timing=timing
                    )
                )
    session.commit()
    return d


def test_the_chat_channel_gets_json_text_and_one_that_was_down_gets_it_later(session):
    port = free_port()
    d = chat_desk(session, f"http://127.0.0.1:{port}/hooks/desk")
    headline = "Mayor says @channel <!here> [read](evil) & more"
    story = new_story(session, headline)
    published(session, story, "ru", d.tanya, d.olga)
    run(session)  # nothing listens on the port: refused, tried again
    # Told of the submission (two editors) and the approval (Tanya): refused, tried again.
    assert [j.state for j in sendings(session)] == [JobState.QUEUED] * 3
    assert all(j.error.startswith("Could not connect") for j in sendings(session))
    with receiver("no signature is checked here") as got:
        url = got.url
        session.exec(update(Setting).where(col(Setting.name) == CHAT_CHANNEL).values(value=url))
        session.commit()
        due_now(session)
        assert run(session) == 3
        paragraphs = [headline, *CORRECTED[1:]]
        update_source(session, story_id=story.id, paragraphs=paragraphs, person=d.olga)
        run(session)
    said = [json.loads(r.body) for r in got.accepted()]
    assert all(set(each) == {"text"} for each in said)
    texts = [each["text"] for each in said]
    assert sorted(text.split(":")[0] for text in texts[:3]) == ["For Eva", "For Olga", "For Tanya"]
    assert texts[3].startswith("URGENT: For Tanya: The English of the published")
    for text in texts:
        assert "@channel" not in text and "<" not in text and links_in(text) == []
        assert "@\u200bchannel &lt;!here&gt; [read]\u200b(evil) & more" in text
        assert "&amp;" not in text  # the desk's link reads ?story=…&view=…, never &amp;view=


def test_a_chat_channel_answering_an_error_is_tried_again(session):
    with receiver("unchecked") as got:
        got.answer = lambda: 500 if not got.seen else 200  # an error, once
        d = chat_desk(session, got.url)
        submitted(session, d)  # Eva and Olga are told in the channel
        run(session)
        refused, taken = sorted(sendings(session), key=lambda j: j.state is JobState.DONE)
        assert refused.state is JobState.QUEUED and "answered 500" in refused.error
        assert taken.state is JobState.DONE
        wait = refused.run_after - refused.created_at
        assert timedelta(seconds=9) <= wait <= timedelta(seconds=11)
        due_now(session)
        run(session)
    assert len(got.accepted()) == 2 and len(got.seen) == 3
    assert all(job.state is JobState.DONE for job in sendings(session))


def test_a_prepared_text_goes_the_one_way_every_notification_goes(monkeypatch):
    """What the hourly digest calls: a text to a person by e-mail, or to the chat channel."""
    with inbox(monkeypatch) as got:
        to = Destination(Channel.EMAIL, "eva@newsroom.test", "Eva")
        said = send_text(to, "Your hour at the desk", "Three stories waited for you.")
        assert said.startswith("Sent to Eva <eva@newsroom.test>")
    (message,) = got.messages
    assert message["Subject"] == "Your hour at the desk"
    assert body(message).strip() == "Three stories waited for you."


def test_no_mail_server_configured_is_said_and_tried_again(monkeypatch):
    """Tried again, never dropped: a worker started without the desk's secrets, or a deploy
    that lost the variable for a while, must not lose an urgent correction for good."""
    monkeypatch.delenv("LOCKSTEP_SMTP_HOST", raising=False)
    to = Destination(Channel.EMAIL, "eva@newsroom.test", "Eva")
    with pytest.raises(NotSent, match="LOCKSTEP_SMTP_HOST"):
        send_text(to, "Subject", "Body", smtp=SmtpSettings.load({}))


def test_smtp_settings_come_from_the_environment_before_the_secrets(monkeypatch):
    monkeypatch.setenv("LOCKSTEP_SMTP_HOST", "mail.newsroom.test")
    secrets = {"LOCKSTEP_SMTP_HOST": "other.test", "LOCKSTEP_SMTP_PASSWORD": "from secrets"}
    found = SmtpSettings.load(secrets)
    assert found.host == "mail.newsroom.test" and found.password == "from secrets"
    assert (found.port, found.security) == (587, "starttls")


# ----- people's text in a chat message or an e-mail -----

MENTION = re.compile(r"@(?!\u200b)|~(?!\u200b)|<|>|&(?=#?\w+;)(?!amp;|lt;|gt;)")


def unescaped(text: str) -> str:
    text = text.replace("\u200b", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


HOSTILE = [
    "@channel", "@here", "<!channel>", "<@U024BE7LH>", "[x](https://evil.test)", "&lt;",
    "@@all", "[the statement][1]\n\n[1]: https://evil.example", "[1]: https://evil.example",
    "[evil]\n\n[evil]: https://evil.example", "![x](https://evil.test/x.png)",
    "\\[x\\](https://evil.test)", "<https://evil.test>", "~town-square",
]  # fmt: skip
people_text = (
    st.text(max_size=300)
    | st.sampled_from(HOSTILE)
    | st.lists(st.sampled_from([*HOSTILE, "\n", "\\", "[", "]", "(", ")", ":", " "])).map("".join)
)


@settings(deadline=None)  # parsing Markdown on a busy machine
@given(subject=people_text, body=people_text, name=st.text(max_size=40), urgent=st.booleans())
@example(
    subject="See [the statement][1]",
    body="[1]: https://evil.example",
    name="Eva",
    urgent=False,
)
def test_no_text_in_a_chat_message_pings_anyone_or_renders_a_link(subject, body, name, urgent):
    said = chat_text(subject, body, urgent=urgent, name=name)
    assert MENTION.search(said.removeprefix("URGENT: ")) is None
    assert links_in(said) == []
    assert unescaped(chat_safe(subject)) == subject.replace("\u200b", "")  # reads as written


def test_a_reference_style_link_in_a_headline_is_no_link_in_the_chat():
    said = chat_text(
        "Read [the statement][1]", "[1]: https://evil.example", urgent=True, name="Eva"
    )
    assert links_in(said) == []
    assert "Read [the statement]\u200b[1]\u200b" in said
    assert "\\" not in said  # Slack, which has no backslash escapes, would show them


HEADERS = {
    "Subject", "From", "To", "Message-ID", "Date", "Importance", "X-Priority", "Content-Type",
    "Content-Transfer-Encoding", "MIME-Version",
}  # fmt: skip


@given(
    subject=st.text(max_size=400),
    body=st.text(max_size=2000),
    urgent=st.booleans(),
    name=st.text(max_size=60) | st.sampled_from(["Eva\nBcc: all@evil.example", "Eva\r\n"]),
)
def test_any_headline_comment_or_name_makes_one_line_headers_and_a_plain_text_email(
    subject, body, urgent, name
):
    settings = SmtpSettings("mail.test", 25, "", "", "desk@lockstep.test", "none")
    to = Destination(Channel.EMAIL, "eva@newsroom.test", name)
    message = email_message(settings, to, subject, body, urgent=urgent)
    flat = message.as_string()
    assert "\n" not in str(message["To"]) and "eva@newsroom.test" in str(message["To"])
    assert message.get_content_type() == "text/plain"
    assert "\n" not in str(message["Subject"])
    assert str(message["Subject"]).startswith("URGENT: ") == urgent
    headers = set(message_from_string(flat).keys())  # as a mail server reads it
    assert headers <= HEADERS, headers - HEADERS  # nothing a text says becomes a header


def test_a_notification_is_sent_with_no_transaction_held_open_and_marked_before(
    session, monkeypatch
):
    """However the handler's session expires what it read, nothing is read while the server
    takes its time: a mail server slow for ten seconds holds no transaction on the desk."""
    d = desk(session)
    submitted(session, d)
    seen = []

    def slow_server(*_args, **_kwargs) -> str:
        seen.append((session.in_transaction(), [n.sent_at for n in unsent_rows(session)]))
        return "250 OK"

    monkeypatch.setattr(send, "send_text", slow_server)
    job = sendings(session)[0]
    outcome = send.deliver_notification(session, job, lambda *_: None)
    assert outcome.result == "250 OK"
    ((held_open, marked),) = seen
    assert held_open is False and all(marked)  # marked sent, committed, before it was sent


def unsent_rows(session) -> list:
    """The first notification as another process reads it (a session of its own)."""
    from sqlmodel import Session

    with Session(session.get_bind()) as other:
        return [n for n in notifications(other)][:1]


def test_a_name_with_a_line_break_is_sent_at_once_on_one_line(session, monkeypatch):
    """A name imported with a line break in it is no reason to retry for a day."""
    with inbox(monkeypatch) as got:
        d = desk(session)
        d.eva.name = "Eva\nBcc: all@evil.example"
        session.add(d.eva)
        session.commit()
        submitted(session, d)
        run(session)
    (to_eva,) = got.to("eva@newsroom.test")
    assert to_eva["To"] == '"Eva Bcc: all@evil.example" <eva@newsroom.test>'
    assert "Bcc" not in to_eva
    assert all(j.state is JobState.DONE and j.attempts == 1 for j in sendings(session))
