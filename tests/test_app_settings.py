"""The Settings page: a person chooses when they hear of each kind of news on each channel,
sees what changed, and finds it kept; it says when the desk cannot send e-mail or has no chat
channel. On the Administration page the administrator sets the desk's channel (a bad address
refused in words, nothing changed) and sees the notifications sent lately."""

from datetime import timedelta

from sqlmodel import select

from tests.app_helpers import open_app, read_db, visible
from workflow.models import (
    Channel,
    Job,
    JobState,
    Notification,
    NotificationKind,
    Person,
    Timing,
    utcnow,
)
from workflow.notify.choices import chat_channel, choices_of, set_chat_channel

SETTINGS_PAGE = "workflow/ui/settings.py"
ADMIN_PAGE = "workflow/ui/admin.py"
TRANSLATOR = "Olena Shevchuk"
CHANNEL_URL = "https://hooks.slack.example/services/T1/B2/thekey"


def choices(name: str):
    return read_db(
        lambda s: choices_of(s, s.exec(select(Person.id).where(Person.name == name)).one())
    )


def cell(at, kind: NotificationKind, channel: Channel):
    """The box of one kind on one channel (its key ends with the choice drawn)."""
    prefix = f"notify_{kind.name}_{channel.name}_"
    (box,) = [b for b in at.selectbox if (b.key or "").startswith(prefix)]
    return box


def save(at, form: str = "notifications"):
    next(b for b in at.button if b.label == "Save" and b.form_id == form).click().run()
    assert not at.exception, at.exception


def test_a_translator_chooses_an_hourly_digest_and_finds_it_kept(demo_db, monkeypatch):
    monkeypatch.delenv("LOCKSTEP_SMTP_HOST", raising=False)
    name = TRANSLATOR
    at = open_app(name, page=SETTINGS_PAGE)
    warned = " ".join(w.value for w in at.warning)
    assert "E-mail is not configured on this desk" in warned
    assert any("no chat channel" in i.value for i in at.info)
    assert any("the address you sign in with" in visible(c.value) for c in at.caption)
    assert any("Urgent news" in c.value and "at once" in c.value for c in at.caption)
    cell(at, NotificationKind.ASSIGNED, Channel.EMAIL).set_value(Timing.HOURLY)
    save(at)
    assert [visible(s.value) for s in at.success] == [
        "Saved. Assigned to you by e-mail: hourly digest."
    ]
    assert choices(name)[(NotificationKind.ASSIGNED, Channel.EMAIL)] is Timing.HOURLY
    again = open_app(name, page=SETTINGS_PAGE)  # a reload
    assert cell(again, NotificationKind.ASSIGNED, Channel.EMAIL).value is Timing.HOURLY
    assert cell(again, NotificationKind.LATE, Channel.EMAIL).value is Timing.IMMEDIATELY


def test_a_translator_is_not_offered_news_of_reviews_and_an_editor_is(demo_db):
    def offered(name: str) -> set[str]:
        at = open_app(name, page=SETTINGS_PAGE)
        return {b.key.split("_")[1] for b in at.selectbox if (b.key or "").startswith("notify_")}

    assert "TO" not in offered(TRANSLATOR)  # NotificationKind.TO_REVIEW's boxes
    assert "ASSIGNED" in offered(TRANSLATOR)
    assert "TO" in offered("Irina Sokolova")
    save(open_app(TRANSLATOR, page=SETTINGS_PAGE))  # saving keeps what is not shown
    assert choices(TRANSLATOR)[(NotificationKind.TO_REVIEW, Channel.EMAIL)] is Timing.IMMEDIATELY


def test_a_persons_choices_are_their_own(demo_db):
    """The page shows and saves the signed-in person's choices only: an editor's save leaves a
    translator's as they were (the domain refuses anyone choosing for someone else:
    test_notify_choices)."""
    translator = TRANSLATOR
    before = choices(translator)
    at = open_app("Irina Sokolova", page=SETTINGS_PAGE)
    cell(at, NotificationKind.TO_REVIEW, Channel.EMAIL).set_value(Timing.OFF)
    save(at)
    assert choices("Irina Sokolova")[(NotificationKind.TO_REVIEW, Channel.EMAIL)] is Timing.OFF
    assert choices(translator) == before


def test_the_page_says_email_is_configured_and_the_channel_is_set(demo_db, monkeypatch):
    monkeypatch.setenv("LOCKSTEP_SMTP_HOST", "mail.desk.example")

    def channel(session):
        admin = session.exec(select(Person).where(Person.name == "Desk Admin")).one()
        set_chat_channel(session, url=CHANNEL_URL, person=admin)

    read_db(channel)
    at = open_app(TRANSLATOR, page=SETTINGS_PAGE)
    assert not at.warning and not at.info


def test_the_admin_sets_the_desk_channel(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    at.text_input(key="chat_channel").input(CHANNEL_URL)
    save(at, "chat_channel_form")
    assert not at.error, [e.value for e in at.error]
    assert any("hooks.slack.example" in visible(s.value) for s in at.success)
    assert read_db(chat_channel) == CHANNEL_URL
    assert any("hooks.slack.example" in visible(c.value) for c in at.caption)
    # The address holds the channel's key: it leaves the box and is never shown again.
    assert at.text_input(key="chat_channel").value == ""
    assert "thekey" not in repr(at.session_state.to_dict())
    assert not any("thekey" in c.value for c in at.caption)


def test_a_bad_channel_address_is_refused_in_words_and_nothing_changes(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    at.text_input(key="chat_channel").input("hooks.slack.example/services/T1")
    save(at, "chat_channel_form")
    assert any("http:// or https://" in visible(e.value) for e in at.error)
    assert read_db(chat_channel) == ""
    assert at.text_input(key="chat_channel").value == "hooks.slack.example/services/T1"


def test_the_admin_sees_recent_notifications_and_what_became_of_them(demo_db):
    def made(session):
        people = session.exec(select(Person).order_by(Person.id)).all()
        failed = Job(
            kind="notify", payload={}, state=JobState.QUEUED, attempts=2,
            error="mail.desk.example refused: 451", run_after=utcnow() + timedelta(minutes=5),
        )  # fmt: skip
        session.add(failed)
        session.flush()
        session.add_all(
            [
                Notification(key="a", person_id=people[0].id, kind=NotificationKind.LATE,
                             channel=Channel.EMAIL, timing=Timing.IMMEDIATELY, urgent=True,
                             subject="Late: Council meets (Ukrainian)", job_id=failed.id),
                Notification(key="b", person_id=people[1].id, kind=NotificationKind.ASSIGNED,
                             channel=Channel.CHAT, timing=Timing.HOURLY,
                             subject="Assigned: Port reopens"),
            ]
        )  # fmt: skip
        session.commit()

    read_db(made)
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    said = visible(" ".join(m.value for m in [*at.markdown, *at.caption]))
    assert "Your work is late" in said and "URGENT" in said and "Waiting" in said
    assert "2 attempts" in said and "next try" in said and "451" in said
    assert "Waiting for the hourly digest" in said and "Chat channel, hourly digest" in said


def test_a_channel_set_meanwhile_by_another_admin_is_not_overwritten(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)  # drawn with no channel

    def meanwhile(session):
        admin = session.exec(select(Person).where(Person.name == "Desk Admin")).one()
        set_chat_channel(session, url=CHANNEL_URL, person=admin)

    read_db(meanwhile)
    at.text_input(key="chat_channel").input("https://other.example/hook")
    save(at, "chat_channel_form")
    assert any("changed the chat channel" in visible(e.value) for e in at.error)
    assert read_db(chat_channel) == CHANNEL_URL
