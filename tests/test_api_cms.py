"""The CMS's writes over HTTP: a story in (JSON or text), a corrected English, a publication;
each needs a write token, answers in the statuses a CMS acts on, and is audited as it."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from tests.api_helpers import api_client, bearer
from tests.conftest import SEED_BYTES
from tests.test_cms import NINJS, approve, cms_story, english
from workflow.api.http import ApiError, Call
from workflow.history import story_changes
from workflow.models import Change, Story

URL = "https://news.example/ru/flood"


def _stories(session) -> int:
    return session.exec(select(func.count()).select_from(Story)).one()


def test_a_story_posted_twice_is_created_once_then_answered_as_it_stands(session):
    client, headers = api_client(session), bearer(session)

    first = client.post("/api/v1/stories", json=cms_story(), headers=headers)
    again = client.post("/api/v1/stories", json=cms_story(), headers=headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    answer = first.json()
    assert answer["external_id"] == "cms-1001" and answer["english_version"] == 1
    assert answer["url"].endswith(f"/desk?story={answer['id']}")
    [(line, _)] = story_changes(session, answer["id"])
    assert line.actor == "integration CMS"


def test_other_english_under_a_known_id_is_409_naming_the_story_to_correct(session):
    client, headers = api_client(session), bearer(session)
    story_id = client.post("/api/v1/stories", json=cms_story(), headers=headers).json()["id"]

    answer = client.post(
        "/api/v1/stories", json=cms_story(headline="Another headline"), headers=headers
    )

    assert answer.status_code == 409
    assert answer.json()["story_id"] == story_id and answer.json()["current_version"] == 1


def test_a_story_in_the_newsroom_text_format_takes_its_id_from_the_query(session):
    client, headers = api_client(session), bearer(session)
    text = {**headers, "Content-Type": "text/plain; charset=utf-8"}

    answer = client.post("/api/v1/stories?external_id=seed-1", content=SEED_BYTES, headers=text)
    without_id = client.post("/api/v1/stories", content=SEED_BYTES, headers=text)

    assert answer.status_code == 201 and answer.json()["external_id"] == "seed-1"
    assert without_id.status_code == 422
    assert without_id.json()["problems"] == [
        "external_id is missing: give the CMS's id for the story"
    ]


def test_a_ninjs_story_is_taken_in_under_its_uri(session):
    answer = api_client(session).post(
        "/api/v1/stories", content=json.dumps(NINJS),
        headers={**bearer(session), "Content-Type": "application/ninjs+json"},
    )  # fmt: skip
    assert answer.status_code == 201 and answer.json()["external_id"] == NINJS["uri"]


def test_a_body_that_is_not_a_story_is_422_with_every_problem(session):
    answer = api_client(session).post(
        "/api/v1/stories", json={"headline": 12, "paragraphs": "text"}, headers=bearer(session)
    )
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        "external_id is missing",
        "headline must be text",
        "paragraphs must be a list of texts",
    ]
    assert _stories(session) == 0


def test_a_read_token_cannot_send_a_story_and_a_strange_body_is_415(session):
    client = api_client(session)
    read = client.post("/api/v1/stories", json=cms_story(), headers=bearer(session, "R", "read"))
    xml = client.post(
        "/api/v1/stories", content=b"<story/>",
        headers={**bearer(session), "Content-Type": "application/xml"},
    )  # fmt: skip
    assert (read.status_code, xml.status_code) == (403, 415)
    assert _stories(session) == 0


def test_a_correction_answers_the_new_version_and_a_stale_one_is_409_with_the_english(
    session, people
):
    client, headers = api_client(session), bearer(session)
    story_id = client.post("/api/v1/stories", json=cms_story(), headers=headers).json()["id"]
    approve(session, people, story_id)
    new = english(session, story_id)
    new[1] = new[1].replace("3 days", "4 days")

    done = client.put(
        f"/api/v1/stories/{story_id}/english",
        json={"based_on": 1, "headline": new[0], "paragraphs": new[1:]},
        headers=headers,
    )
    late = client.put(
        f"/api/v1/stories/{story_id}/english",
        json={"based_on": 1, "headline": "A headline", "paragraphs": ["A paragraph."]},
        headers=headers,
    )

    assert done.status_code == 200
    assert done.json()["english_version"] == 2 and done.json()["changed"]
    assert done.json()["stale"] == {"ru": [1], "uk": []} and done.json()["outdated"] == ["ru"]
    assert late.status_code == 409
    assert late.json()["current_version"] == 2 and late.json()["current_english"] == new


def test_a_json_correction_without_its_headline_is_422_naming_it_and_changes_nothing(session):
    client, headers = api_client(session), bearer(session)
    story_id = client.post("/api/v1/stories", json=cms_story(), headers=headers).json()["id"]
    before = english(session, story_id)

    answer = client.put(
        f"/api/v1/stories/{story_id}/english",
        json={"based_on": 1, "paragraphs": before[1:]},  # the body alone, as a CMS might
        headers=headers,
    )

    assert answer.status_code == 422
    assert answer.json()["problems"] == ["headline is missing"]
    assert english(session, story_id) == before


def test_a_correction_as_text_names_its_version_in_the_query(session):
    client, headers = api_client(session), bearer(session)
    story_id = client.post("/api/v1/stories", json=cms_story(), headers=headers).json()["id"]
    text = {**headers, "Content-Type": "text/plain"}
    path = f"/api/v1/stories/{story_id}/english"

    done = client.put(f"{path}?based_on=1", content="New headline\n\nNew text.", headers=text)
    unsaid = client.put(path, content="New headline\n\nNew text.", headers=text)

    assert done.status_code == 200 and done.json()["english_version"] == 2
    assert english(session, story_id) == ["New headline", "New text."]
    assert unsaid.status_code == 422


def test_a_publication_is_409_with_reasons_until_approved_then_recorded_once(session, people):
    client, headers = api_client(session), bearer(session)
    story_id = client.post("/api/v1/stories", json=cms_story(), headers=headers).json()["id"]
    path, body = (
        f"/api/v1/stories/{story_id}/ru/published",
        {
            "url": URL,
            "published_at": "2026-12-06T15:00:00Z",
        },
    )

    early = client.post(path, json=body, headers=headers)
    approve(session, people, story_id)
    done = client.post(path, json=body, headers=headers)
    lines = session.exec(select(func.count()).select_from(Change)).one()
    again = client.post(path, json=body, headers=headers)

    assert early.status_code == 409 and early.json()["reasons"]
    assert done.status_code == 200
    assert done.json() | {"id": 0} == {
        "id": 0, "lang": "ru", "state": "published", "url": URL,
        "published_at": "2026-12-06T15:00:00Z", "changed": True, "republished": False,
    }  # fmt: skip
    assert again.status_code == 200 and not again.json()["changed"]
    assert session.exec(select(func.count()).select_from(Change)).one() == lines
    assert client.post(path.replace("/ru/", "/de/"), json=body, headers=headers).status_code == 404


def test_the_cms_publication_time_is_kept_and_given_back_in_utc_to_the_second(session, people):
    client, headers = api_client(session), bearer(session)
    story_id = client.post("/api/v1/stories", json=cms_story(), headers=headers).json()["id"]
    approve(session, people, story_id)
    body = {"url": URL, "published_at": "2026-12-06T17:00:00.250+02:00"}  # Kyiv's time

    done = client.post(f"/api/v1/stories/{story_id}/ru/published", json=body, headers=headers)
    state = client.get(f"/api/v1/stories/{story_id}", headers=headers).json()

    assert done.json()["published_at"] == "2026-12-06T15:00:00Z"
    ru, uk = state["languages"]["ru"], state["languages"]["uk"]
    assert (ru["published_url"], ru["published_at"]) == (URL, "2026-12-06T15:00:00Z")
    assert (uk["published_url"], uk["published_at"]) == (None, None)


def test_the_description_lists_the_writes(session):
    paths = api_client(session).get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/stories"]
    assert "put" in paths["/api/v1/stories/{story_id}/english"]
    assert "post" in paths["/api/v1/stories/{story_id}/{lang}/published"]


def test_a_publication_in_ua_is_the_ukrainian_and_an_unknown_language_is_404_in_words(
    session, story
):
    from tests.api_helpers import api_client, bearer

    client, headers = api_client(session), bearer(session)
    body = {"url": "https://example.org/ua/1", "published_at": "2026-12-06T10:00:00Z"}
    answer = client.post(f"/api/v1/stories/{story.id}/ua/published", json=body, headers=headers)
    assert answer.status_code == 409  # in translation: the reasons, about the Ukrainian
    assert any(
        "Ukrainian" in reason or "paragraph" in reason for reason in answer.json()["reasons"]
    )
    unknown = client.post(f"/api/v1/stories/{story.id}/xx/published", json=body, headers=headers)
    assert unknown.status_code == 404 and "xx" in unknown.json()["error"]


def test_a_body_nested_deeper_than_the_parser_goes_is_422_in_words(session):
    answer = api_client(session).post(
        "/api/v1/stories", content=b"[" * 100_000,
        headers={**bearer(session), "Content-Type": "application/json"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "nested deeper" in answer.json()["error"]
    assert _stories(session) == 0


def _call(body: bytes) -> Call:
    return Call(session=None, caller=None, path={}, query={}, headers={}, body=body)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_reading_any_body_as_json_answers_it_or_refuses_it_in_words(body):
    try:
        _call(body).json()
    except ApiError as refused:
        assert refused.status == 422 and refused.message


@given(depth=st.integers(min_value=1, max_value=200_000), opener=st.sampled_from(b"[{"))
@settings(max_examples=20, deadline=None)
def test_json_nested_to_any_depth_is_read_or_refused_in_words(depth, opener):
    body = bytes([opener]) * depth if opener == ord("[") else b'{"a":' * depth
    try:
        _call(body).json()
    except ApiError as refused:
        assert refused.status == 422
