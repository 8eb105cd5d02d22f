"""What a CMS reads from the API: the listing it polls (order, cursor, filters) and a language
version as the site publishes it (ninjs, HTML or Markdown), on SQLite and PostgreSQL."""

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from sqlalchemy import event

from tests.api_helpers import api_client, bearer
from tests.test_ninjs import problems
from tests.test_publish import correct_the_figure, person
from workflow.api.listing import cursor
from workflow.api.negotiation import chosen_format
from workflow.demo import load_demo
from workflow.formats import ParsedStory
from workflow.models import clock_at
from workflow.sources import current_paragraphs, update_source
from workflow.stories import import_story
from workflow.versions import approve_version, publish_version

MORNING = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def add_stories(session, count: int, start: datetime = MORNING) -> list[int]:
    """`count` short stories, imported a minute apart from `start`, oldest first."""
    made = []
    for n in range(count):
        with clock_at(start + timedelta(minutes=n)):
            parsed = ParsedStory(f"Story {n}", [f"The council met on day {n}."], section="City")
            made.append(import_story(session, parsed, person=None).id)
    return made


def listed(client, headers, **query) -> dict:
    answer = client.get("/api/v1/stories", params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def ids(page: dict) -> list[int]:
    return [story["id"] for story in page["stories"]]


def walk(client, headers, **query) -> list[int]:
    """Every story the listing gives, page after page, until it has no next cursor."""
    seen, cursor = [], None
    while True:
        page = listed(client, headers, **query, **({"cursor": cursor} if cursor else {}))
        seen += ids(page)
        if (cursor := page["next_cursor"]) is None:
            return seen


def test_the_listing_gives_the_oldest_change_first_with_each_storys_state(session):
    first, second, third = add_stories(session, 3)
    with clock_at(MORNING + timedelta(hours=1)):  # the first story is edited last
        update_source(
            session, story_id=first, paragraphs=["Story 0", "The council met again."], person=None
        )
    client = api_client(session)
    page = listed(client, bearer(session, scope="read"))
    assert ids(page) == [second, third, first]
    assert page["next_cursor"] is None
    state = page["stories"][2]
    assert state["headline"] == "Story 0" and state["english_version"] == 2
    assert state["url"].endswith(f"/desk?story={first}")
    assert state["languages"]["uk"]["state"] == "in_translation"
    assert state == client.get(f"/api/v1/stories/{first}", headers=bearer(session, "B")).json()


def test_a_storys_address_is_the_configured_desk_whatever_host_the_caller_names(
    session, monkeypatch
):
    monkeypatch.setenv("LOCKSTEP_BASE_URL", "https://desk.newsroom.example/")
    (story_id,) = add_stories(session, 1)
    client, headers = api_client(session), bearer(session, scope="read")
    evil = {**headers, "Host": "evil.example"}
    one = client.get(f"/api/v1/stories/{story_id}", headers=evil).json()
    page = client.get("/api/v1/stories", headers=evil).json()
    expected = f"https://desk.newsroom.example/desk?story={story_id}"
    assert one["url"] == page["stories"][0]["url"] == expected


def test_a_cursor_walk_over_120_stories_sees_each_once(session):
    made = add_stories(session, 120)
    client, headers = api_client(session), bearer(session, scope="read")
    first = listed(client, headers, limit=50)
    assert ids(first) == made[:50] and first["next_cursor"]
    assert walk(client, headers, limit=50) == made
    assert listed(client, headers, limit=50, cursor="", since="") == first  # empty: not given


def test_a_story_changed_during_a_walk_is_seen_again_on_a_later_page_never_skipped(session):
    made = add_stories(session, 120)
    client, headers = api_client(session), bearer(session, scope="read")
    page = listed(client, headers, limit=50)
    seen = ids(page)
    # Two stories change while the CMS reads on: one it has seen, one it has not reached.
    for story_id in (made[10], made[70]):
        with clock_at(MORNING + timedelta(days=1, minutes=story_id)):
            update_source(
                session, story_id=story_id, paragraphs=[f"Story {story_id}", "New."], person=None
            )
    cursor = page["next_cursor"]
    while cursor:
        page = listed(client, headers, limit=50, cursor=cursor)
        seen += ids(page)
        cursor = page["next_cursor"]
    assert sorted(set(seen)) == sorted(made)
    assert seen.count(made[10]) == 2 and seen.count(made[70]) == 1
    assert seen[-2:] == [made[10], made[70]]  # in the order they changed


def test_since_lists_only_stories_changed_at_or_after_it(session):
    made = add_stories(session, 5)
    client, headers = api_client(session), bearer(session, scope="read")
    at_third = (MORNING + timedelta(minutes=2)).isoformat().replace("+00:00", "Z")
    assert ids(listed(client, headers, since=at_third)) == made[2:]
    in_kyiv = (MORNING + timedelta(minutes=3)).astimezone(ZoneInfo("Europe/Kyiv"))
    assert ids(listed(client, headers, since=in_kyiv.isoformat())) == made[3:]
    assert ids(listed(client, headers, since="2030-01-01T00:00:00Z")) == []


@pytest.fixture
def approved_ru(session):
    """The demo's seed story with its Russian approved (the Ukrainian still in translation)."""
    demo = load_demo(session, week=False)
    correct_the_figure(session, demo)
    approve_version(session, story_id=demo.id, lang="ru", person=person(session, "Irina Sokolova"))
    return demo


def test_the_state_filter_follows_the_states_people_see(session, approved_ru):
    (other,) = add_stories(session, 1, start=datetime.now(UTC) + timedelta(minutes=5))
    client, headers = api_client(session), bearer(session, scope="read")
    assert ids(listed(client, headers, state="approved")) == [approved_ru.id]
    assert ids(listed(client, headers, state="approved", lang="ru")) == [approved_ru.id]
    assert ids(listed(client, headers, state="approved", lang="ua")) == []
    assert ids(listed(client, headers, state="in_translation", lang="ru")) == [other]
    assert ids(listed(client, headers, state="in_translation")) == [approved_ru.id, other]
    assert ids(listed(client, headers, state="outdated")) == []

    english = [p.text for p in current_paragraphs(session, approved_ru.id)]
    english[4] = english[4].replace("2,000", "2,400")  # a figure: never a minor change
    update_source(session, story_id=approved_ru.id, paragraphs=english, person=None)
    assert ids(listed(client, headers, state="approved")) == []
    outdated = listed(client, headers, state="Outdated")
    assert ids(outdated) == [approved_ru.id]
    assert outdated["stories"][0]["languages"]["ru"]["state"] == "outdated"


def test_a_story_whose_version_is_published_is_listed_again_since_then(session, approved_ru):
    client, headers = api_client(session), bearer(session, scope="read")
    (before,) = listed(client, headers)["stories"]
    since = before["updated_at"]
    assert ids(listed(client, headers, since=since)) == [approved_ru.id]
    publish_version(
        session, story_id=approved_ru.id, lang="ru", person=person(session, "Irina Sokolova")
    )
    (after,) = listed(client, headers, since=since)["stories"]
    # Times are given to the second, and `since` is "at or after": a CMS polling from the
    # time it last saw may see a story again, never miss one.
    assert after["updated_at"] >= since
    assert after["languages"]["ru"]["state"] == "published"
    assert listed(client, headers, since=after["updated_at"])["stories"] == [after]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"since": "yesterday"}, "since: 'yesterday' is not an RFC 3339 time with a zone"),
        ({"since": "2026-03-02T06:00:00"}, "since: '2026-03-02T06:00:00' is not an RFC 3339"),
        ({"since": "2026-02-30T06:00:00Z"}, "is not a time on the calendar"),
        ({"state": "done"}, "state: 'done' is not a version state; the states are in_transl"),
        ({"lang": "ru"}, "lang: names the language of `state`; give a state too"),
        ({"state": "approved", "lang": "fr"}, "lang: Unknown language fr"),
        ({"limit": "0"}, "limit: a number from 1 to 200, not '0'."),
        ({"limit": "201"}, "limit: a number from 1 to 200"),
        ({"limit": "ten"}, "limit: a number from 1 to 200"),
        ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor: not a cursor this desk gave"),
        ({"cursor": cursor(MORNING, 10**30)}, "cursor: not a cursor this desk gave"),
    ],
)
def test_a_wrong_query_value_is_422_naming_it(session, query, problem):
    answer = api_client(session).get(
        "/api/v1/stories", params=query, headers=bearer(session, scope="read")
    )
    assert answer.status_code == 422
    said = answer.json()
    assert said["error"] == "The query does not say which stories."
    assert any(line.startswith(problem) or problem in line for line in said["problems"]), said


def test_every_wrong_value_of_one_query_is_named_at_once(session):
    answer = api_client(session).get(
        "/api/v1/stories?since=soon&limit=-1&state=x", headers=bearer(session, scope="read")
    )
    assert [line.split(":")[0] for line in answer.json()["problems"]] == [
        "since",
        "state",
        "limit",
    ]


def _statements(session, client, headers, **query) -> int:
    engine = session.get_bind()
    count = 0

    def counted(*_):
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        listed(client, headers, **query)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def test_a_page_costs_the_same_statements_whatever_its_size(session):
    add_stories(session, 60)
    client, headers = api_client(session), bearer(session, scope="read")
    listed(client, headers, limit=1)  # the token's first use is written once
    one = _statements(session, client, headers, limit=1)
    fifty = _statements(session, client, headers, limit=50)
    filtered = _statements(session, client, headers, limit=50, state="in_translation")
    assert one == fifty == filtered, (one, fifty, filtered)
    assert one <= 12


@pytest.fixture
def published_ru(session, approved_ru):
    publish_version(
        session, story_id=approved_ru.id, lang="ru", person=person(session, "Irina Sokolova")
    )
    return approved_ru


def test_a_published_version_is_given_in_each_format_by_format_or_accept(session, published_ru):
    client, headers = api_client(session), bearer(session, scope="read")
    address = f"/api/v1/stories/{published_ru.id}/ru"
    default = client.get(address, headers=headers)
    assert default.status_code == 200
    assert default.headers["content-type"] == "application/json"
    document = default.json()
    assert document["language"] == "ru" and problems(document) == []  # ninjs, as exported
    page = client.get(address, headers=headers | {"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text.startswith("<!DOCTYPE html>") and '<html lang="ru">' in page.text
    markdown = client.get(address, params={"format": "md"}, headers=headers)
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.text.startswith("# ")
    # ?format= wins over Accept
    asked = client.get(address + "?format=html", headers=headers | {"Accept": "text/markdown"})
    assert asked.headers["content-type"].startswith("text/html")
    assert (
        client.get(f"/api/v1/stories/{published_ru.id}/UA", headers=headers).status_code == 409
    )  # ua is Ukrainian: found, and still in translation


def test_a_translations_markup_reaches_the_html_escaped(session, published_ru):
    from tests.test_publish import russian
    from workflow.settings import allow_self_review
    from workflow.translations import save_translation

    irina = person(session, "Irina Sokolova")
    allow_self_review(session, allowed=True, person=person(session, "Desk Admin"))
    said = russian(session, published_ru, 3)
    hostile = f"<i>{said.text}</i> &"
    save_translation(
        session, translation_id=said.id, text=hostile, person=irina,
        base_lock_version=said.lock_version,
    )  # fmt: skip
    approve_version(session, story_id=published_ru.id, lang="ru", person=irina)
    page = api_client(session).get(
        f"/api/v1/stories/{published_ru.id}/ru?format=html", headers=bearer(session, "R", "read")
    )
    assert page.status_code == 200, page.text
    assert "<i>" not in page.text
    assert f"<p>&lt;i&gt;{html.escape(said.text)}&lt;/i&gt; &amp;</p>" in page.text


def test_an_unchanged_version_is_answered_304_to_its_etag(session, published_ru):
    client, headers = api_client(session), bearer(session, scope="read")
    address = f"/api/v1/stories/{published_ru.id}/ru"
    first = client.get(address, headers=headers)
    tag = first.headers["etag"]
    again = client.get(address, headers=headers | {"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    other = client.get(address + "?format=md", headers=headers | {"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag


def test_a_version_in_translation_is_409_with_the_reasons(session, published_ru):
    answer = api_client(session).get(
        f"/api/v1/stories/{published_ru.id}/uk", headers=bearer(session, scope="read")
    )
    assert answer.status_code == 409
    said = answer.json()
    assert said["error"] == "This version may not go to the site."
    assert said["reasons"][0] == (
        "The Ukrainian version is in translation: only a version an editor approved goes to "
        "the site."
    )
    assert len(said["reasons"]) == 3  # and the demo's stale paragraph and open error


def test_an_outdated_version_is_409_naming_the_stale_paragraph(session, published_ru):
    english = [p.text for p in current_paragraphs(session, published_ru.id)]
    english[4] = english[4].replace("2,000", "2,400")
    update_source(session, story_id=published_ru.id, paragraphs=english, person=None)
    answer = api_client(session).get(
        f"/api/v1/stories/{published_ru.id}/ru?format=md", headers=bearer(session, scope="read")
    )
    assert answer.status_code == 409
    reasons = answer.json()["reasons"]
    assert any(r.startswith("The Russian version is outdated.") for r in reasons), reasons
    assert "(paragraph 4)" in " ".join(reasons)


def test_an_unknown_story_language_or_format_is_refused_in_words(session, published_ru):
    client, headers = api_client(session), bearer(session, scope="read")
    unknown_lang = client.get(f"/api/v1/stories/{published_ru.id}/fr", headers=headers)
    assert unknown_lang.status_code == 404
    assert unknown_lang.json()["error"].startswith("Unknown language fr: Lockstep translates")
    assert client.get("/api/v1/stories/999/ru", headers=headers).status_code == 404
    assert client.get("/api/v1/stories/x/ru", headers=headers).status_code == 404
    wrong_format = client.get(f"/api/v1/stories/{published_ru.id}/ru?format=pdf", headers=headers)
    assert wrong_format.status_code == 422
    assert wrong_format.json() == {"error": "There is no format 'pdf': ask for json, html or md."}
    refused = client.get(
        f"/api/v1/stories/{published_ru.id}/ru", headers=headers | {"Accept": "image/png"}
    )
    assert refused.status_code == 406 and "text/html" in refused.json()["error"]


def test_the_openapi_description_is_valid_openapi_3_1_and_describes_the_listing(session):
    described = api_client(session).get("/api/v1/openapi.json").json()
    validate(described)  # raises, saying where, on any part OpenAPI 3.1 does not allow
    listing = described["paths"]["/api/v1/stories"]["get"]
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
    version = described["paths"]["/api/v1/stories/{story_id}/{lang}"]["get"]
    assert set(version["responses"]["200"]["content"]) == {
        "application/json",
        "text/html",
        "text/markdown",
    }


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("", "json"),
        ("*/*", "json"),
        ("application/json", "json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("text/*", "html"),
        ("text/markdown, text/html;q=0.5", "md"),
        ("text/markdown;q=0.2, */*;q=0.1", "md"),
        ("application/json;q=0, text/*;q=0.3", "html"),
        ("TEXT/MARKDOWN", "md"),
        ("text/html;q=high, text/markdown", "md"),
    ],
)
def test_the_accept_header_chooses_the_best_format_offered(accept, chosen):
    assert chosen_format(None, accept) == chosen


# Hypothesis cannot take the function-scoped `session`: one desk for every example instead.
_DESK = None


def _desk():
    global _DESK
    if _DESK is None:
        from sqlmodel import Session

        from workflow.database import open_database

        session = Session(open_database("sqlite://"))
        demo = load_demo(session, week=False)
        correct_the_figure(session, demo)
        irina = person(session, "Irina Sokolova")
        approve_version(session, story_id=demo.id, lang="ru", person=irina)  # answered 200
        add_stories(session, 3)
        _DESK = (api_client(session), bearer(session, "Fuzz", "read"))
    return _DESK


QUERY_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["approved", "outdated", "ua", "0", "50", "2026-03-02T06:00:00Z", "=="]),
    st.from_regex(
        r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d{1,12})?([Zz]|[+-]\d\d:\d\d)", fullmatch=True
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["since", "state", "lang", "limit", "cursor", "x"]), QUERY_VALUES
    )
)
def test_any_query_values_give_a_page_or_a_422_never_an_error(query):
    client, headers = _desk()
    answer = client.get("/api/v1/stories", params=query, headers=headers)
    assert answer.status_code in (200, 422), answer.text
    assert answer.json()


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(st.none(), st.text(max_size=20)),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80),
    st.sampled_from(["ru", "uk", "ua", "en", "xx", "RU-ru"]),
)
def test_any_format_accept_or_language_is_answered_in_words_never_an_error(asked, accept, lang):
    client, headers = _desk()
    params = {} if asked is None else {"format": asked}
    answer = client.get(
        f"/api/v1/stories/1/{lang}", params=params, headers=headers | {"Accept": accept}
    )
    assert answer.status_code in (200, 404, 406, 409, 422), answer.text
    if answer.status_code != 200:
        assert answer.json()["error"]
