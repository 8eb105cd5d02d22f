"""What a CMS meets when it retries, sends text, forgets the body or mistypes a path: a
correction in the story's own format is read as the story was, the same correction again is
already so, a story without a body is refused, and a wrong address is answered in JSON."""

from sqlmodel import select

from tests.api_helpers import api_client, bearer
from tests.conftest import SEED_BYTES
from workflow.formats import FORMATS
from workflow.models import SourceParagraph

SEED = SEED_BYTES.decode("utf-8")
TEXT = {"Content-Type": "text/plain"}


def _seed_story(client, headers) -> int:
    posted = client.post(
        "/api/v1/stories?external_id=cms-seed", content=SEED.encode(), headers=headers | TEXT
    )
    assert posted.status_code == 201, posted.text
    return posted.json()["id"]


def _headline(session, story_id: int) -> str:
    first = session.exec(
        select(SourceParagraph)
        .where(SourceParagraph.story_id == story_id, SourceParagraph.removed == False)  # noqa: E712
        .order_by(SourceParagraph.position)
    ).first()
    return first.text


def test_a_correction_sent_as_text_is_read_in_the_story_s_own_format(session):
    client, headers = api_client(session), bearer(session)
    story_id = _seed_story(client, headers)
    headline = _headline(session, story_id)
    corrected = SEED.replace("2,000", "3,000", 1)
    assert corrected != SEED

    answer = client.put(
        f"/api/v1/stories/{story_id}/english?based_on=1", content=corrected.encode(),
        headers=headers | TEXT,
    )  # fmt: skip

    assert answer.status_code == 200, answer.text
    assert answer.json()["changed"] is True
    assert _headline(session, story_id) == headline  # not the format's "RU UA EN" line
    assert "1 changed" in answer.json()["summary"] or answer.json()["stale"]["ru"] != []


def test_the_same_correction_sent_again_is_already_so_not_a_conflict(session):
    client, headers = api_client(session), bearer(session)
    story_id = _seed_story(client, headers)
    corrected = SEED.replace("2,000", "3,000", 1).encode()
    url = f"/api/v1/stories/{story_id}/english?based_on=1"
    first = client.put(url, content=corrected, headers=headers | TEXT)
    again = client.put(url, content=corrected, headers=headers | TEXT)  # a retry after a timeout

    assert first.status_code == again.status_code == 200
    assert again.json()["changed"] is False
    assert again.json()["english_version"] == first.json()["english_version"] == 2


def test_a_based_on_past_the_latest_version_says_there_is_no_such_version(session):
    client, headers = api_client(session), bearer(session)
    story_id = _seed_story(client, headers)
    for english in (SEED.replace("2,000", "3,000", 1), SEED):  # the same text again too
        answer = client.put(
            f"/api/v1/stories/{story_id}/english?based_on=9", content=english.encode(),
            headers=headers | TEXT,
        )  # fmt: skip
        assert answer.status_code == 409
        assert answer.json()["error"].startswith("There is no English version 9: the latest is")


def test_a_story_or_a_correction_without_a_body_is_refused_and_nothing_changes(session):
    client, headers = api_client(session), bearer(session)
    bare = {"external_id": "cms-bare", "headline": "Only a headline", "paragraphs": []}
    for body in (bare, {k: v for k, v in bare.items() if k != "paragraphs"}):
        answer = client.post("/api/v1/stories", json=body, headers=headers)
        assert answer.status_code == 422, answer.text
        assert any("paragraphs" in problem for problem in answer.json()["problems"])
    headline_only = client.post(
        "/api/v1/stories?external_id=cms-t", content=b"Only a headline", headers=headers | TEXT
    )
    assert headline_only.status_code == 422

    story_id = _seed_story(client, headers)
    before = _headline(session, story_id)
    emptied = client.put(
        f"/api/v1/stories/{story_id}/english",
        json={"based_on": 1, "headline": before, "paragraphs": []}, headers=headers,
    )  # fmt: skip
    assert emptied.status_code == 422
    as_text = client.put(
        f"/api/v1/stories/{story_id}/english?based_on=1", content=before.encode(),
        headers=headers | TEXT,
    )  # fmt: skip
    assert as_text.status_code == 422
    assert client.get(f"/api/v1/stories/{story_id}", headers=headers).json()["english_version"] == 1


def test_a_cms_that_speaks_ninjs_sends_its_correction_in_ninjs(session):
    import json

    client, headers = api_client(session), bearer(session)
    story_id = _seed_story(client, headers)
    paragraphs = client.get(f"/api/v1/stories/{story_id}", headers=headers).json()
    assert paragraphs["english_version"] == 1
    document = {
        "uri": "urn:cms:seed", "type": "text", "language": "en",
        "headlines": [{"role": "main", "value": _headline(session, story_id)}],
        "bodies": [{"contenttype": "text/plain",
                    "value": "The first paragraph now says this.\n\nAnd a second one."}],
    }  # fmt: skip
    answer = client.put(
        f"/api/v1/stories/{story_id}/english?based_on=1", content=json.dumps(document).encode(),
        headers=headers | {"Content-Type": "application/ninjs+json"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.json()["english_version"] == 2


def test_a_mistyped_address_is_404_in_json_and_a_wrong_method_405_naming_the_right_one(session):
    client, headers = api_client(session), bearer(session)
    nowhere = client.get("/api/v1/nothing", headers=headers)
    assert nowhere.status_code == 404
    assert "openapi.json" in nowhere.json()["error"]
    assert client.get("/api/v2/stories").status_code == 404
    assert client.get("/api").status_code == 404
    wrong = client.delete("/api/v1/stories/1", headers=headers)
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET"


def test_the_description_offers_the_story_formats_a_cms_may_send(session):
    described = api_client(session).get("/api/v1/openapi.json").json()
    post = described["paths"]["/api/v1/stories"]["post"]
    (format_parameter,) = [p for p in post["parameters"] if p["name"] == "format"]
    assert format_parameter["schema"]["enum"] == list(FORMATS)
    put = described["paths"]["/api/v1/stories/{story_id}/english"]["put"]
    assert {"413", "415"} <= set(put["responses"])
    assert "application/ninjs+json" in put["requestBody"]["content"]
