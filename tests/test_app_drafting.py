"""Drafting in the app: a job that runs off the page, its progress and a plain report, even
with no network; admin's engine."""

import threading
import time

import pytest
import requests
import responses
from sqlmodel import Session, col, select

from tests.app_helpers import badges, open_app, paragraph_button, read_db, visible
from tests.libre_server import libre_server, libre_traffic
from workflow.database import open_database
from workflow.draft_jobs import DRAFT
from workflow.models import Job, JobState, Suggestion, Translation
from workflow.people import add_person, set_role

GOOGLE = "https://translate.google.com/m"


def _unfinished_jobs(session: Session) -> list[Job]:
    """The draft jobs not over yet (the app also keeps its recurring due-time sweep queued,
    and any notification waiting for a mail server)."""
    waiting = col(Job.state).in_([JobState.QUEUED, JobState.RUNNING])
    return list(session.exec(select(Job).where(waiting, Job.kind == DRAFT)))


def drafting_ends(at, timeout: float = 60.0) -> None:
    """Wait for the app's worker to finish the draft jobs, then run the page again (as its
    polling fragment would)."""
    deadline = time.monotonic() + timeout
    while read_db(_unfinished_jobs):
        assert time.monotonic() < deadline, "the draft job did not end"
        time.sleep(0.05)
    at.run()


def _drafting_bars(at) -> list[str]:
    said = [bar.proto.text for bar in at.get("progress")]
    return [text for text in said if "in the background" in text or "drafting worker" in text]


def _translation(lang: str, text: str) -> Translation:
    engine = open_database()
    with Session(engine) as session:
        found = session.exec(
            select(Translation).where(Translation.lang == lang, Translation.text == text)
        ).one()
    engine.dispose()
    return found


@responses.activate
def test_with_no_network_drafting_says_so_and_nothing_typed_is_lost(demo_db):
    responses.get(GOOGLE, body=requests.exceptions.ConnectionError("no network"))
    at = open_app("Olena Shevchuk", view="uk")
    box = next(b for b in at.text_area if b.key.startswith("text-") and b.value == "")
    box.input("Кірбі наголосив, що це не рішення про вторгнення.").run()

    at.button(key="draft-uk").click().run()
    drafting_ends(at)

    assert not at.exception
    (report,) = [w.value for w in at.warning if "Google Translate" in w.value]
    assert "cannot be reached" in report  # shown as Markdown, so its colon is escaped
    assert "can be drafted again later" in report
    assert at.text_area(key=box.key).value == "Кірбі наголосив, що це не рішення про вторгнення."


@responses.activate
def test_drafting_fills_empty_paragraphs_with_machine_drafts(demo_db):
    responses.get(GOOGLE, body='<div class="result-container">Машинний переклад.</div>')
    at = open_app("Olena Shevchuk", view="uk")
    empty_before = badges(at).count(":gray-badge[Empty]")
    assert empty_before == 5

    at.button(key="draft-uk").click().run()
    drafting_ends(at)

    assert any("5 drafted" in s.value for s in at.success)
    assert badges(at).count(":gray-badge[Empty]") == 0
    assert sum(box.value == "Машинний переклад." for box in at.text_area) == 5
    assert any("Machine text, unedited" in b for b in badges(at))


@responses.activate
def test_an_embargoed_story_gets_no_machine_draft(demo_db):
    at = open_app("Irina Sokolova", view="uk")
    at.toggle(key="embargo-1").set_value(True).run()
    at.button(key="draft-uk").click().run()
    drafting_ends(at)
    assert len(responses.calls) == 0
    assert any("under embargo" in w.value for w in [*at.success, *at.warning])


def test_the_draft_button_queues_a_job_and_the_page_shows_it_while_drafts_arrive(
    demo_db, monkeypatch
):
    release = threading.Event()
    with libre_traffic(hold=release) as (url, traffic):
        monkeypatch.setenv("LOCKSTEP_MT_ENGINE", "libre")
        monkeypatch.setenv("LOCKSTEP_MT_URL", url)
        monkeypatch.setenv("LOCKSTEP_MT_TIMEOUT", "30")  # the hold outlasts 10 s on a busy machine
        at = open_app("Olena Shevchuk", view="uk")

        at.button(key="draft-uk").click().run()  # returns while the engine holds every answer

        assert not at.exception
        (job,) = read_db(_unfinished_jobs)
        assert job.kind == "draft" and job.payload["lang"] == "uk"
        assert len(_drafting_bars(at)) == 1
        reloaded = open_app("Olena Shevchuk", view="uk")  # the job outlives the page
        assert len(_drafting_bars(reloaded)) == 1
        assert sum(box.value.startswith("[uk]") for box in at.text_area) == 0

        release.set()
        drafting_ends(at)

    assert any("5 drafted" in s.value for s in at.success)
    assert sum(box.value.startswith("[uk] ") for box in at.text_area) == 5
    assert _drafting_bars(at) == []  # nothing left to poll for
    assert traffic.most_in_flight > 1  # the empty paragraphs were asked for together


def test_a_suggestion_can_be_used_then_saved(demo_db):
    t = _translation("uk", "Про це повідомляє CNN.")
    engine = open_database()
    with Session(engine) as session:
        session.add(
            Suggestion(
                translation_id=t.id,
                text="Про це повідомила CNN.",
                origin="machine:google",
                match=88,
                source_text="This was reported by CNN.",
            )
        )
        session.commit()
    engine.dispose()
    at = open_app("Olena Shevchuk", view="uk")
    assert any("Suggestion · Machine · 88% match" in c.value for c in at.caption)

    use = next(b for b in at.button if b.key and b.key.startswith("use-"))
    use.click().run()

    assert at.text_area(key=f"text-{t.id}").value == "Про це повідомила CNN."
    assert not any("Suggestion ·" in c.value for c in at.caption)  # used, so set aside
    paragraph_button(at, "Save", t.id).click().run()
    # Saved as it was offered: machine text nobody edited, not a person's work.
    assert ":violet-badge[Machine text, unedited]" in badges(at)


def test_only_an_admin_has_the_administration_page(demo_db):
    admin = open_app("Desk Admin")
    admin.switch_page("workflow/ui/admin.py").run()
    assert [t.value for t in admin.title] == ["Administration"]
    editor = open_app("Irina Sokolova")
    with pytest.raises(ValueError):
        editor.switch_page("workflow/ui/admin.py")  # not a page of hers at all


def test_admin_chooses_libretranslate_and_tries_it(demo_db):
    with libre_server() as (url, received):
        at = open_app("Desk Admin")
        at.switch_page("workflow/ui/admin.py").run()
        at.radio[0].set_value("libre")
        at.text_input[0].input(url)
        at.button[0].click().run()  # Save
        assert "Drafts now come from LibreTranslate" in at.success[0].value

        next(b for b in at.button if b.label == "Try the engine").click().run()

    assert [r["target"] for r in received] == ["ru", "uk"]
    assert any(visible(s.value).startswith("ru: [ru] The Pentagon said") for s in at.success)


def test_the_page_goes_when_the_person_is_no_admin(demo_db):
    at = open_app("Desk Admin")
    at.switch_page("workflow/ui/admin.py").run()
    engine = open_database()
    with Session(engine) as session:
        add_person(session, name="Second Admin", role="admin")  # so the first may step down
        set_role(session, name="Desk Admin", role="manager")  # an operator's change, meanwhile
    engine.dispose()
    at.run()
    assert [t.value for t in at.title] != ["Administration"]
    assert not any(b.label == "Try the engine" for b in at.button)
