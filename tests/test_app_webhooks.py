"""The webhooks on the Administration page: registering one shows its secret once, the list
shows them, deactivating stops one; recent deliveries show what happened and Resend queues the
same body again. What people typed and what receivers answered is shown as text."""

from sqlalchemy import update
from sqlmodel import col, select

from tests.app_helpers import open_app, read_db, visible
from tests.test_app_inert_text import EVIL, assert_inert
from workflow.events import DELIVER
from workflow.models import Job, JobState, Story, Webhook
from workflow.webhooks import register_webhook

ADMIN_PAGE = "workflow/ui/admin.py"
CMS = "https://cms.example/lockstep"
HOSTILE_URL = f"https://{EVIL}/:material/home:![x](http://{EVIL}/x.png)"


def _form(at):
    return [w for w in at.text_input if w.form_id == "add_webhook"]


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _listed(at):
    """The table of webhooks (the page has others: people, tokens)."""
    return next(d.value for d in at.dataframe if "Events" in d.value.columns)


def _register(at, url: str) -> None:
    _form(at)[0].input(url)
    _button(at, "Register webhook").click().run()


def test_the_admin_registers_a_webhook_and_sees_its_secret_once(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    _register(at, CMS)
    assert not at.error, [e.value for e in at.error]
    assert any("Copy its secret now" in s.value for s in at.success)
    (hook,) = read_db(lambda s: s.exec(select(Webhook)).all())
    assert at.code[0].value == hook.secret and hook.url == CMS
    assert len(hook.events) == 6  # every event unless fewer are chosen
    listed = _listed(at)
    assert list(listed["Address"]) == [CMS] and list(listed["Active"]) == ["yes"]
    assert hook.secret not in repr(at.session_state.to_dict())  # never kept
    at.run()  # the next look at the page
    assert not at.code  # the secret is not shown again


def test_a_secret_the_admin_types_is_shown_once_and_leaves_no_trace_in_the_form(demo_db):
    typed = "a secret the CMS and the desk share"
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    _form(at)[0].input(CMS)
    _form(at)[1].input(typed)
    _button(at, "Register webhook").click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.code[0].value == typed
    assert typed not in repr(at.session_state.to_dict())
    at.run()
    assert not at.code
    # The secret left its box on submit: registering another address does not send the
    # secret typed for the first again.
    _register(at, "https://other.example/hooks")
    assert not at.error, [e.value for e in at.error]
    second = read_db(lambda s: s.exec(select(Webhook).order_by(col(Webhook.id).desc())).first())
    assert second.url == "https://other.example/hooks" and second.secret != typed
    assert at.code[0].value == second.secret


def test_a_refused_registration_keeps_the_address_and_events_but_not_the_secret(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    _form(at)[0].input(CMS)
    _form(at)[1].input("too short")
    _button(at, "Register webhook").click().run()
    assert any("24 characters" in e.value for e in at.error)
    assert _form(at)[0].value == CMS and _form(at)[1].value == ""
    assert "too short" not in repr(at.session_state.to_dict())
    assert read_db(lambda s: s.exec(select(Webhook)).all()) == []


def test_a_short_secret_is_refused_in_words(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    _form(at)[0].input(CMS)
    _form(at)[1].input("hunter2")
    _button(at, "Register webhook").click().run()
    assert any("at least 24 characters" in visible(e.value) for e in at.error)
    assert not at.code
    assert read_db(lambda s: s.exec(select(Webhook)).all()) == []


def test_an_address_the_desk_cannot_call_is_refused_in_words(demo_db):
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    _register(at, "ftp://cms.example/hooks")
    assert any("http:// or https://" in visible(e.value) for e in at.error)
    assert read_db(lambda s: s.exec(select(Webhook)).all()) == []


def test_the_admin_deactivates_a_webhook(demo_db):
    read_db(lambda s: register_webhook(s, url=CMS, events=["story.imported"], person=None))
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    _button(at, "Deactivate").click().run()
    assert list(_listed(at)["Active"]) == ["no"]
    assert read_db(lambda s: s.exec(select(Webhook.active)).one()) is False


def test_removing_a_webhook_asks_first_and_keep_it_changes_nothing(demo_db):
    read_db(lambda s: register_webhook(s, url=CMS, events=["story.imported"], person=None))
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    _button(at, "Remove").click().run()
    assert any("Remove the webhook to https" in w.value for w in at.warning)
    _button(at, "Keep it").click().run()
    assert read_db(lambda s: len(s.exec(select(Webhook)).all())) == 1
    _button(at, "Remove").click().run()
    _button(at, "Remove it").click().run()
    assert read_db(lambda s: s.exec(select(Webhook)).all()) == []


def test_a_second_active_webhook_to_one_address_is_refused_in_words(demo_db):
    read_db(lambda s: register_webhook(s, url=CMS, events=["story.imported"], person=None))
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    _register(at, CMS)
    assert any("already an active webhook" in e.value for e in at.error)
    assert read_db(lambda s: len(s.exec(select(Webhook)).all())) == 1


def _failed_delivery(session) -> int:
    """A delivery to a hostile address that failed, its receiver's answer quoted."""
    hook = register_webhook(session, url=HOSTILE_URL, events=["story.imported"], person=None)
    story = session.exec(select(Story)).first()
    payload = {
        "webhook_id": hook.id, "url": hook.url, "event": "story.imported",
        "story_id": story.id, "delivery": "k-1", "body": '{"id":"k-1"}',
    }  # fmt: skip
    job = Job(kind=DELIVER, payload=payload, key=f"webhook:{hook.id}:story:{story.id}")
    session.add(job)
    session.commit()
    error = f"{HOSTILE_URL} answered 500 <b>:red[Server]</b> [see](http://{EVIL})."
    session.exec(
        update(Job)
        .where(col(Job.id) == job.id)
        .values(state=JobState.FAILED, attempts=31, error=error)
    )
    session.commit()
    return job.id


def test_recent_deliveries_show_what_happened_as_text_and_resend_queues_the_same_body(demo_db):
    sent = read_db(_failed_delivery)
    at = open_app("Desk Admin", page=ADMIN_PAGE)
    assert assert_inert(at, "admin") > 0  # the address and the answer shown, as text
    captions = " ".join(c.value for c in at.caption)
    assert "31 attempts" in captions and "Last error" in captions
    assert any("Failed" in m.value and "story.imported" in visible(m.value) for m in at.markdown)
    at.button(key=f"resend-{sent}").click().run()
    assert any(f"Delivery {sent} is queued again" in s.value for s in at.success)
    again = read_db(lambda s: s.exec(select(Job).where(Job.kind == DELIVER, Job.id != sent)).one())
    assert again.state is JobState.QUEUED and again.payload["body"] == '{"id":"k-1"}'
    assert_inert(at, "admin after resend")
