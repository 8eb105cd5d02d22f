"""Issue 19's second "Done when", on SQLite and PostgreSQL with the workers running as the app
runs them (one per lane): a correction to the English of a published story reaches the
translator and editor of every affected language within a minute, marked urgent, with the
stale paragraphs; never twice; and never lost while the mail server is down."""

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from tests.notify_desk import correct, desk, new_story, notifications, published, sendings
from tests.smtp_inbox import Inbox, inbox
from workflow.database import open_database
from workflow.models import JobState, NotificationKind, Story
from workflow.notify import news
from workflow.work import lane_workers

WITHIN = 60.0  # seconds: "within a minute"
SETTLE = 3.0  # seconds the workers go on after: anything queued twice would be sent by then
QUICK_RETRY = 0.5  # seconds before a first retry, doubling: two retries come within SETTLE
PEOPLE = sorted(f"{n}@newsroom.test" for n in ("tanya", "olga", "taras", "eva"))


def urgent_arrivals(got: Inbox) -> list[str]:
    return sorted(
        address
        for message in got.messages
        if str(message["Subject"]).startswith("URGENT: ")
        for address in PEOPLE
        if address in str(message["To"])
    )


def wait_for(check, seconds: float = WITHIN) -> float:
    """Seconds until `check()` held; fails after `seconds`."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < seconds, "not within a minute"
        time.sleep(0.1)
    return time.monotonic() - start


def published_in_both_languages(session: Session):
    """Russian: Tanya translated, Olga approved; Ukrainian: Taras translated, Eva approved."""
    d = desk(session)
    story = new_story(session)
    published(session, story, "ru", d.tanya, d.olga)
    published(session, story, "uk", d.taras, d.eva)
    return story


@contextmanager
def desk_running(
    db_url: str, monkeypatch, *, first_retry: float | None = None
) -> Iterator[tuple[Inbox, Session, Story]]:
    """A published story, its news sent, the mail server up and the workers running as the
    app starts them (every lane, polling each second) until the block ends; a sending's
    first retry after `first_retry` seconds (the desk's own wait when None)."""
    if first_retry is not None:
        monkeypatch.setattr(news, "FIRST_RETRY", first_retry)
    engine = open_database(db_url)
    workers = lane_workers(engine)
    with inbox(monkeypatch) as got, Session(engine) as session:
        story = published_in_both_languages(session)
        for worker in workers.values():
            worker.start()
        try:
            wait_for(lambda: all(j.state is JobState.DONE for j in sendings(session)))
            got.messages.clear()
            yield got, session, story
        finally:
            for worker in workers.values():
                worker.stop(10)
    engine.dispose()


def test_a_correction_to_a_published_story_reaches_its_people_within_a_minute_once(
    db_url, monkeypatch
):
    # Retries come within the settling time: a sending retried after it went out would be
    # seen here as a second message, not after the test ended.
    with desk_running(db_url, monkeypatch, first_retry=QUICK_RETRY) as (got, session, story):
        correct(session, story)  # the CMS corrects Monday to Tuesday
        took = wait_for(lambda: len(urgent_arrivals(got)) == 4)
        correct(session, story)  # the CMS sends it again: already so
        time.sleep(SETTLE)
        told = [n for n in notifications(session) if n.kind == NotificationKind.ENGLISH_CHANGED]
        jobs = sendings(session)
    assert took < WITHIN
    assert urgent_arrivals(got) == PEOPLE  # each translator and editor, once
    # Nothing waits to retry: no later attempt can send any of it again.
    assert all(j.state is JobState.DONE for j in jobs), [(j.id, j.state, j.error) for j in jobs]
    for message in got.messages:
        assert message["Importance"] == "high"
        text = str(message.get_body(("plain",)).get_content()).replace("\r\n", "\n")  # type: ignore[union-attr]
        assert "  was: The council met on Monday.\n  now: The council met on Tuesday." in text
        assert text.count("Paragraph ") == 1  # the stale paragraph, and no other
        assert "changed: removed “Monday.”; added “Tuesday.”" in text
    assert len(told) == 4 and all(n.urgent and n.sent_at for n in told)


def test_a_correction_made_while_the_mail_server_is_down_arrives_once_when_it_is_back(
    db_url, monkeypatch
):
    with desk_running(db_url, monkeypatch) as (got, session, story):
        got.down()
        correct(session, story)
        wait_for(lambda: sum(bool(j.error) for j in sendings(session)) == 4)  # all refused
        assert got.messages == []
        got.up()  # back before the first retry (ten seconds after the refusal)
        wait_for(lambda: len(urgent_arrivals(got)) == 4)
        time.sleep(SETTLE)
        correction = sendings(session)[-4:]
    assert urgent_arrivals(got) == PEOPLE
    assert Counter(j.attempts for j in correction) == {2: 4}  # refused once, sent next time
    assert all(j.state is JobState.DONE for j in correction)
