"""People choose when they hear of each kind of news on each channel, for themselves only; an
administrator sets the desk's chat channel, checked as a webhook's address is. Each write is
one audit line; a choice made meanwhile elsewhere is never overwritten."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from workflow.errors import InputError, InvalidTransition, LockstepError, PermissionDenied
from workflow.models import Change, Channel, NotificationKind, Setting, Timing
from workflow.notify.choices import (
    CHAT_CHANNEL,
    DEFAULT_TIMINGS,
    chat_channel,
    choices_of,
    choose,
    set_chat_channel,
    shown_address,
    timings,
)
from workflow.vocabulary import Event

ASSIGNED_BY_MAIL = (NotificationKind.ASSIGNED, Channel.EMAIL)
CHANNEL_URL = "https://hooks.slack.example/services/T000/B000/secretpart"


def lines(session, event: Event) -> list[Change]:
    return list(session.exec(select(Change).where(Change.action == event)))


def test_a_person_chooses_an_hourly_digest_and_it_is_kept(session, people):
    tanya = people["translator"]
    tanya.email = "tanya@newsroom.test"  # nobody is e-mailed without an address
    session.add(tanya)
    session.commit()
    changed = choose(
        session, person=tanya, person_id=tanya.id, chosen={ASSIGNED_BY_MAIL: Timing.HOURLY}
    )
    assert changed == ["Assigned to you by e-mail: hourly digest"]
    assert choices_of(session, tanya.id)[ASSIGNED_BY_MAIL] is Timing.HOURLY
    kept = timings(session, [tanya.id], NotificationKind.ASSIGNED)[tanya.id]
    assert kept == {Channel.EMAIL: Timing.HOURLY, Channel.CHAT: Timing.OFF}
    (line,) = lines(session, Event.CHOOSE_NOTIFICATIONS)
    assert line.person_id == tanya.id and "hourly digest" in line.detail


def test_choosing_what_is_chosen_already_writes_nothing(session, people):
    tanya = people["translator"]
    same = {ASSIGNED_BY_MAIL: DEFAULT_TIMINGS[ASSIGNED_BY_MAIL]}
    assert choose(session, person=tanya, person_id=tanya.id, chosen=same) == []
    assert lines(session, Event.CHOOSE_NOTIFICATIONS) == []


@pytest.mark.parametrize("chooser", ["translator_uk", "editor", "manager", "admin"])
def test_nobody_chooses_for_someone_else_an_administrator_included(session, people, chooser):
    tanya = people["translator"]
    with pytest.raises(PermissionDenied, match="their own notifications"):
        choose(
            session,
            person=people[chooser],
            person_id=tanya.id,
            chosen={ASSIGNED_BY_MAIL: Timing.OFF},
        )
    assert choices_of(session, tanya.id) == DEFAULT_TIMINGS
    assert lines(session, Event.CHOOSE_NOTIFICATIONS) == []


def test_a_choice_made_meanwhile_in_another_browser_is_not_overwritten(session, people):
    tanya = people["translator"]
    drawn = choices_of(session, tanya.id)  # the page of the first browser
    choose(session, person=tanya, person_id=tanya.id, chosen={ASSIGNED_BY_MAIL: Timing.HOURLY})
    with pytest.raises(InvalidTransition, match="Tanya changed your notification choices"):
        choose(
            session,
            person=tanya,
            person_id=tanya.id,
            chosen={ASSIGNED_BY_MAIL: Timing.OFF},
            seen=drawn,
        )
    assert choices_of(session, tanya.id)[ASSIGNED_BY_MAIL] is Timing.HOURLY


def test_the_admin_sets_the_chat_channel_and_the_audit_log_keeps_no_key(session, people):
    stored = set_chat_channel(session, url=f"  {CHANNEL_URL} ", person=people["admin"])
    assert stored == CHANNEL_URL and chat_channel(session) == CHANNEL_URL
    (line,) = lines(session, Event.SET_CHAT_CHANNEL)
    assert "hooks.slack.example" in line.detail and "secretpart" not in line.detail
    set_chat_channel(session, url="", person=people["admin"])
    assert chat_channel(session) == ""


@pytest.mark.parametrize("who", ["translator", "editor", "manager"])
def test_only_an_administrator_sets_the_chat_channel(session, people, who):
    with pytest.raises(PermissionDenied):
        set_chat_channel(session, url=CHANNEL_URL, person=people[who])
    assert chat_channel(session) == ""


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("ftp://hooks.example/x", "http:// or https://"),
        ("https://user:pw@hooks.example/x", "no user name or password"),
        ("hooks example", "no spaces"),
        ("https:///path", "names no host"),
    ],
)
def test_a_bad_channel_address_is_refused_in_words_and_nothing_changes(
    session, people, typed, said
):
    set_chat_channel(session, url=CHANNEL_URL, person=people["admin"])
    with pytest.raises(InputError, match=said):
        set_chat_channel(session, url=typed, person=people["admin"])
    assert chat_channel(session) == CHANNEL_URL
    assert len(lines(session, Event.SET_CHAT_CHANNEL)) == 1


def test_a_channel_set_meanwhile_by_another_admin_is_not_overwritten(session, people):
    set_chat_channel(session, url=CHANNEL_URL, person=people["admin"])
    with pytest.raises(InvalidTransition, match="Ada changed the chat channel"):
        set_chat_channel(session, url="https://other.example/hook", person=people["admin"], seen="")
    assert session.get(Setting, CHAT_CHANNEL).value == CHANNEL_URL


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=80) | st.from_regex(r"https?://[^/]{0,20}/.{0,30}", fullmatch=True))
def test_any_typed_channel_address_is_stored_or_refused_in_words(session, people, typed):
    try:
        stored = set_chat_channel(session, url=typed, person=people["admin"])
    except LockstepError:
        return
    assert chat_channel(session) == stored
    assert shown_address(stored) == "" or "/…" in shown_address(stored)


@given(url=st.text(max_size=60))
def test_showing_any_address_never_raises(url):
    try:
        shown = shown_address(url)
    except ValueError:
        return  # urlsplit's own refusal of an address that is no address: never stored
    assert isinstance(shown, str)
