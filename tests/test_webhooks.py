"""Webhooks, as an administrator registers them and as the desk's changes announce events:
registration is checked and audited, every change that matters adds its deliveries in its own
transaction (none for a change undone), each body names the story and what happened."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import func, select

from tests.test_review_table import translate_all
from workflow.audit import audit_log
from workflow.errors import InputError, PermissionDenied, SourceConflict
from workflow.events import DELIVER, WebhookEvent, delivery_key
from workflow.formats import ParsedStory
from workflow.models import Job, JobState, Story, Webhook
from workflow.sources import latest_version, update_source
from workflow.stories import import_story
from workflow.versions import approve_version, publish_version, submit_version
from workflow.webhooks import (
    check_events,
    check_secret,
    check_url,
    deactivate_webhook,
    delete_webhook,
    register_webhook,
)
from workflow.writes import transaction

EVERY = [str(e) for e in WebhookEvent]
CMS = "https://cms.example/lockstep"
HEADLINE = "Council approves the budget"
BODY = "The council met on Monday and voted 12 to 3."


def hook(session, events=EVERY, url=CMS):
    return register_webhook(session, url=url, events=events, person=None)


def small_story(session, person) -> Story:
    return import_story(session, ParsedStory(headline=HEADLINE, paragraphs=[BODY]), person=person)


def bodies(session) -> list[dict]:
    """The bodies of the deliveries queued so far, in the order they were queued."""
    jobs = session.exec(select(Job).where(Job.kind == DELIVER).order_by(Job.id)).all()
    return [json.loads(job.payload["body"]) for job in jobs]


def deliveries(session) -> int:
    return session.exec(select(func.count()).select_from(Job).where(Job.kind == DELIVER)).one()


# ----- registering -----


def test_an_administrator_registers_a_webhook_and_gets_a_secret_to_copy(session, people):
    made = register_webhook(
        session, url=f"  {CMS}  ", events=["version.approved", "story.imported"],
        person=people["admin"],
    )  # fmt: skip
    assert made.url == CMS and made.active
    assert made.events == ["story.imported", "version.approved"]  # the desk's order, once each
    assert len(made.secret) >= 40  # token_urlsafe(32)
    (line,) = audit_log(session, limit=1)
    assert line.action == "add webhook" and CMS in line.detail
    assert made.secret not in json.dumps(line.as_json())


def test_a_secret_given_is_kept_as_given(session, people):
    given_secret = "our shared secret, 24 or more characters"
    made = register_webhook(
        session, url=CMS, events=EVERY, secret=f" {given_secret} ", person=people["admin"]
    )
    assert made.secret == given_secret


@pytest.mark.parametrize("short", ["hunter2", "x" * 23, "   " + "y" * 20 + "   "])
def test_a_secret_too_short_to_be_safe_is_refused_in_words(session, people, short):
    with pytest.raises(InputError, match="at least 24 characters"):
        register_webhook(session, url=CMS, events=EVERY, secret=short, person=people["admin"])
    assert session.exec(select(Webhook)).all() == []


@given(st.text(max_size=300))
def test_checking_a_typed_secret_never_fails_on_what_was_typed(typed):
    try:
        secret = check_secret(typed)
    except InputError:
        return
    assert secret == typed.strip() and (secret == "" or 24 <= len(secret) <= 200)


@pytest.mark.parametrize("role", ["translator", "editor", "manager"])
def test_only_administrators_register_webhooks(session, people, role):
    with pytest.raises(PermissionDenied):
        register_webhook(session, url=CMS, events=EVERY, person=people[role])
    assert session.exec(select(Webhook)).all() == []


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("", "Give the address"),
        ("ftp://cms.example/hooks", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("https://", "names no host"),
        ("https://editor:hunter2@cms.example/hooks", "no user name or password"),
        ("https://cms.example/a b", "no spaces"),
        ("https://cms.example:port/", "not an address"),
        ("cms.example/hooks", "http:// or https://"),
    ],
)
def test_an_address_the_desk_cannot_call_is_refused_in_words(url, says):
    with pytest.raises(InputError, match=says):
        check_url(url)


def test_an_address_is_kept_with_its_scheme_and_host_in_lower_case():
    assert check_url("HTTPS://CMS.Example:8443/Hooks?A=1") == "https://cms.example:8443/Hooks?A=1"


def test_the_database_holds_one_active_webhook_an_address(session):
    from sqlalchemy.exc import IntegrityError

    hook(session)
    session.add(Webhook(url=CMS, secret="s" * 30, events=EVERY, active=False))
    session.commit()  # an inactive one beside it is history, not a second sender
    session.add(Webhook(url=CMS, secret="s" * 30, events=EVERY, active=True))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_events_must_be_ones_the_desk_sends_and_at_least_one():
    with pytest.raises(InputError, match="at least one"):
        check_events([])
    with pytest.raises(InputError, match=r"no event 'story\.deleted'"):
        check_events(["story.imported", "story.deleted"])


@given(st.text(max_size=300))
def test_checking_a_typed_address_never_fails_on_what_was_typed(typed):
    try:
        url = check_url(typed)
    except InputError:
        return
    assert url.lower() == typed.strip().lower() and url.startswith(("http://", "https://"))


@given(st.lists(st.one_of(st.sampled_from(EVERY), st.text(max_size=30)), max_size=8))
def test_checking_chosen_events_never_fails_on_what_was_sent(chosen):
    try:
        events = check_events(chosen)
    except InputError:
        return
    assert events and set(events) <= set(EVERY) and len(events) == len(set(events))


def test_a_deactivated_webhook_gets_no_more_events_and_its_waiting_ones_are_not_sent(
    session, people
):
    made = hook(session)
    small_story(session, people["editor"])
    assert deliveries(session) == 1
    deactivate_webhook(session, made.id, person=people["admin"])
    small_story(session, people["editor"])
    assert deliveries(session) == 1
    (job,) = session.exec(select(Job).where(Job.kind == DELIVER)).all()
    session.refresh(job)
    assert job.state is JobState.FAILED and "deactivated" in job.error


def test_a_removed_webhook_is_gone_and_its_past_deliveries_stay_listed(session, people):
    made = hook(session)
    small_story(session, people["editor"])
    delete_webhook(session, made.id, person=people["admin"])
    assert session.exec(select(Webhook)).all() == []
    assert deliveries(session) == 1
    assert audit_log(session, limit=1)[0].action == "remove webhook"


# ----- events -----


def test_every_change_that_matters_queues_its_event_in_the_order_it_happened(session, people):
    hook(session)
    hook(session, events=["story.imported"], url="https://other.example/hooks")
    story = small_story(session, people["editor"])
    translate_all(session, story, people["translator"])
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    approve_version(
        session, story_id=story.id, lang="ru", person=people["editor"], accept_unedited=True
    )
    publish_version(session, story_id=story.id, lang="ru", person=people["editor"])
    corrected = BODY.replace("12 to 3", "11 to 4")
    update_source(
        session, story_id=story.id, paragraphs=[HEADLINE, corrected], person=people["editor"]
    )

    sent = bodies(session)
    # The import went to both webhooks, with one idempotency key; the rest to the first only.
    assert [(b["event"], b["lang"]) for b in sent] == [
        ("story.imported", None),
        ("story.imported", None),
        ("version.submitted", "ru"),
        ("version.approved", "ru"),
        ("version.published", "ru"),
        ("english.corrected", None),
        ("version.outdated", "ru"),
    ]
    assert sent[0]["id"] == sent[1]["id"]
    assert len({b["id"] for b in sent[1:]}) == 6
    approved = sent[3]
    assert approved["story"] == {
        "id": story.id,
        "external_id": None,
        "headline": HEADLINE,
        "url": f"http://localhost:8501/desk?story={story.id}&view=ru",
    }
    assert approved["data"] == {"state": "approved"}
    assert approved["created_at"].endswith("Z")
    english = sent[5]["data"]
    assert english["version"] == 2
    assert english["stale"] == {"ru": [{"number": 1, "english": corrected}], "uk": []}
    assert sent[6]["data"] == {"state": "outdated", "stale": [1]}
    keys = session.exec(select(Job.key).where(Job.kind == DELIVER).order_by(Job.id)).all()
    assert keys[0] == delivery_key(1, story.id)


def test_an_english_correction_taken_back_tells_the_cms_the_version_is_approved_again(
    session, people
):
    """An approved version outdated by a correction is in step again when the English goes
    back to what it translated: the CMS, told it was outdated, is told it is approved."""
    story = small_story(session, people["editor"])
    translate_all(session, story, people["translator"])
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    approve_version(
        session, story_id=story.id, lang="ru", person=people["editor"], accept_unedited=True
    )
    hook(session, events=["version.approved", "version.outdated"])
    for text in (BODY.replace("12 to 3", "11 to 4"), BODY):
        update_source(session, story_id=story.id, paragraphs=[HEADLINE, text], person=None)
    assert [(b["event"], b["lang"], b["data"]["state"]) for b in bodies(session)] == [
        ("version.outdated", "ru", "outdated"),
        ("version.approved", "ru", "approved"),
    ]


def test_the_desk_address_follows_the_configured_base_url(session, people, monkeypatch):
    monkeypatch.setenv("LOCKSTEP_BASE_URL", "https://desk.newsroom.example/")
    hook(session)
    story = small_story(session, people["editor"])
    assert bodies(session)[0]["story"]["url"] == (
        f"https://desk.newsroom.example/desk?story={story.id}"
    )


def test_a_change_undone_queues_no_event(session, people):
    hook(session)
    with pytest.raises(RuntimeError), transaction(session):
        small_story(session, people["editor"])
        raise RuntimeError("the rest of the change failed")
    assert deliveries(session) == 0
    assert session.exec(select(Story)).all() == []


def test_a_refused_english_edit_queues_no_event(session, people):
    story = small_story(session, people["editor"])
    hook(session)
    base = latest_version(session, story.id)
    update_source(session, story_id=story.id, paragraphs=[HEADLINE, "First."], person=None)
    with pytest.raises(SourceConflict):
        update_source(
            session, story_id=story.id, paragraphs=[HEADLINE, "Second."], person=None,
            based_on=base,
        )  # fmt: skip
    assert [b["event"] for b in bodies(session)] == ["english.corrected"]


def test_no_webhook_means_no_delivery_and_the_change_goes_on(session, people):
    small_story(session, people["editor"])
    assert deliveries(session) == 0


def test_a_story_from_the_cms_is_named_by_the_cms_own_id_too(session):
    hook(session)
    parsed = ParsedStory(headline=HEADLINE, paragraphs=[BODY])
    story = import_story(session, parsed, person=None, external_id="cms-981")
    (body,) = bodies(session)
    assert body["story"]["id"] == story.id and body["story"]["external_id"] == "cms-981"
