"""The CMS and the desk, end to end over the real routes and a real database (SQLite and
PostgreSQL), with a webhook receiver on the loopback interface that checks every signature:
the CMS posts a story, the desk translates and approves it, the CMS fetches ninjs and says it
published it, the CMS posts a correction, `version.outdated` arrives, the desk fixes the
paragraph, and `version.approved` arrives again."""

import json
from pathlib import Path

import jsonschema
from sqlmodel import Session

from tests.api_helpers import api_client, bearer
from tests.conftest import stand_in_for, translations
from tests.webhook_receiver import receiver
from workflow.history import story_changes
from workflow.translations import confirm_translation, save_translation
from workflow.versions import approve_version, submit_version
from workflow.webhooks import register_webhook
from workflow.work import all_handlers
from workflow.worker import Worker

SECRET = "shared with the CMS and nobody else"
SCHEMA = json.loads(
    (Path(__file__).parent.parent / "workflow" / "formats" / "ninjs-2.1.schema.json").read_text()
)
ENGLISH = [
    "Council approves the budget",
    "The city council approved a budget of 8.5 million euros on Monday.",
    "The vote was 12 to 3, the mayor's office said.",
    "Work on the new bridge starts in April.",
]


def deliver(session: Session) -> None:
    """What the app's worker does in the background: every delivery that is due, now."""
    Worker(session.get_bind(), all_handlers()).run_until_idle()


def translate(session: Session, story_id: int, person, only: set[int] | None = None) -> None:
    """The Ukrainian translator saves a translation of each paragraph (or of `only` those)."""
    for t in translations(session, story_id, "uk"):
        if only is None or t.id in only:
            save_translation(
                session, translation_id=t.id, text=stand_in_for(session, t, "Переклад"),
                person=person, base_lock_version=t.lock_version,
            )  # fmt: skip


EVERY_EVENT = [
    "story.imported", "english.corrected", "version.submitted", "version.approved",
    "version.outdated", "version.published",
]  # fmt: skip
UP_TO_PUBLICATION = ["story.imported", "version.submitted", "version.approved", "version.published"]


def published_by_the_cms(session: Session, people, client) -> tuple[int, dict, dict]:
    """Steps 1 to 3: the CMS posts a story (twice: one story), the desk translates and approves
    the Ukrainian, the CMS fetches it as valid ninjs and reports its publication; the story,
    and the headers of the CMS's write and read tokens."""
    writes, reads = bearer(session), bearer(session, "Site", "read")
    body = {"external_id": "cms-2291", "headline": ENGLISH[0], "section": "city",
            "paragraphs": ENGLISH[1:]}  # fmt: skip
    posted = client.post("/api/v1/stories", json=body, headers=writes)
    assert posted.status_code == 201, posted.text
    story_id = posted.json()["id"]
    assert client.post("/api/v1/stories", json=body, headers=writes).status_code == 200

    translate(session, story_id, people["translator_uk"])
    submit_version(session, story_id=story_id, lang="uk", person=people["translator_uk"])
    approve_version(session, story_id=story_id, lang="uk", person=people["editor"])

    fetched = client.get(f"/api/v1/stories/{story_id}/uk", headers=reads)
    assert fetched.status_code == 200, fetched.text
    ninjs = fetched.json()
    jsonschema.validate(ninjs, SCHEMA)
    assert ninjs["language"] == "uk" and ninjs["headlines"][0]["value"].startswith("Переклад")
    published = client.post(
        f"/api/v1/stories/{story_id}/uk/published", headers=writes,
        json={"url": "https://news.example/uk/2291", "published_at": "2026-12-06T10:00:00Z"},
    )  # fmt: skip
    assert published.status_code == 200, published.text
    return story_id, writes, reads


def correct_english(
    client, story_id: int, tokens: tuple[dict, dict], paragraphs: list[str]
) -> dict:
    """The CMS sends the corrected English, based on the version it read; what it read."""
    writes, reads = tokens
    state = client.get(f"/api/v1/stories/{story_id}", headers=reads).json()
    put = client.put(
        f"/api/v1/stories/{story_id}/english", headers=writes,
        json={"based_on": state["english_version"], "headline": ENGLISH[0],
              "paragraphs": paragraphs},
    )  # fmt: skip
    assert put.status_code == 200, put.text
    assert client.get(f"/api/v1/stories/{story_id}/uk", headers=reads).status_code == 409
    return state


def outdated_arrived(cms_hooks) -> None:
    outdated = [r for r in cms_hooks.accepted() if r.event == "version.outdated"]
    assert len(outdated) == 1
    assert json.loads(outdated[0].body)["lang"] == "uk"


def every_delivery_signed_once(cms_hooks) -> list[str]:
    """The events that arrived, in order, once each signed delivery per idempotency key."""
    arrived = cms_hooks.accepted()
    assert all(r.signed for r in cms_hooks.seen)
    assert len({r.delivery for r in arrived}) == len(arrived)  # once per idempotency key
    return [r.event for r in arrived]


def test_a_story_from_the_cms_to_the_site_and_back_after_a_correction(session, people):
    translator, editor = people["translator_uk"], people["editor"]
    with receiver(SECRET) as cms_hooks:
        register_webhook(
            session, url=cms_hooks.url, secret=SECRET, person=people["admin"], events=EVERY_EVENT
        )
        client = api_client(session)
        story_id, writes, reads = published_by_the_cms(session, people, client)

        # 4. The CMS corrects the figure; a stale based_on is refused with the current English.
        corrected = [ENGLISH[1].replace("8.5", "9.5"), *ENGLISH[2:]]
        state = correct_english(client, story_id, (writes, reads), corrected)
        stale = client.put(
            f"/api/v1/stories/{story_id}/english", headers=writes,
            json={"based_on": state["english_version"], "headline": ENGLISH[0],
                  "paragraphs": ENGLISH[1:]},
        )  # fmt: skip
        assert stale.status_code == 409 and stale.json()["current_english"][1] == corrected[0]
        deliver(session)
        outdated_arrived(cms_hooks)

        # 5. The desk fixes the stale paragraph and approves again.
        stale_ids = {
            t.id
            for t in translations(session, story_id, "uk")
            if "9.5" not in t.text and "8.5" in t.text
        }
        assert len(stale_ids) == 1
        translate(session, story_id, translator, only=stale_ids)  # back to the editors with it
        approve_version(session, story_id=story_id, lang="uk", person=editor)
        deliver(session)

    assert every_delivery_signed_once(cms_hooks) == [
        *UP_TO_PUBLICATION, "english.corrected", "version.outdated", "version.approved",
    ]  # fmt: skip
    assert client.get(f"/api/v1/stories/{story_id}/uk", headers=reads).status_code == 200
    # Every write the CMS made is in the audit log as the integration; the desk's as people.
    lines = story_changes(session, story_id)
    by_the_cms = [line.action for line, who in lines if who is None]
    assert sorted(by_the_cms) == sorted(["import story", "edit the English", "publish"])
    assert {line.actor for line, who in lines if who is None} == {"integration CMS"}
    assert all(line.actor == "" for line, who in lines if who is not None)


def test_a_correction_the_translation_still_matches_is_confirmed_and_the_cms_hears_it(
    session, people
):
    """The English is reworded without a new fact: the editor confirms the Ukrainian still
    valid instead of retranslating it, the version is published again as people see it
    without moving, and the CMS, told it was outdated, is told it is published again."""
    with receiver(SECRET) as cms_hooks:
        register_webhook(
            session, url=cms_hooks.url, secret=SECRET, person=people["admin"], events=EVERY_EVENT
        )
        client = api_client(session)
        story_id, writes, reads = published_by_the_cms(session, people, client)

        reworded = ENGLISH[2].replace("the mayor's office said", "according to the mayor's office")
        correct_english(client, story_id, (writes, reads), [ENGLISH[1], reworded, ENGLISH[3]])
        deliver(session)
        outdated_arrived(cms_hooks)

        (stale,) = [t for t in translations(session, story_id, "uk") if t.source_text == ENGLISH[2]]
        confirm_translation(session, translation_id=stale.id, person=people["editor"])
        deliver(session)

    assert every_delivery_signed_once(cms_hooks) == [
        *UP_TO_PUBLICATION, "english.corrected", "version.outdated", "version.published",
    ]  # fmt: skip
    caught_up = json.loads(cms_hooks.accepted()[-1].body)
    assert caught_up["lang"] == "uk" and caught_up["data"] == {"state": "published"}
    assert client.get(f"/api/v1/stories/{story_id}/uk", headers=reads).status_code == 200
