"""The API lets in only integration tokens, by scope; tokens are shown once, stored hashed,
revocable, and their use is recorded."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.api_helpers import api_client, bearer
from workflow.cli import main
from workflow.errors import InputError, LockstepError, PermissionDenied
from workflow.integrations import (
    authenticate,
    create_token,
    revoke_token,
    token_name,
)
from workflow.models import Change, Integration


def test_a_call_without_a_token_or_with_a_wrong_one_is_refused_with_no_detail(session, story):
    client = api_client(session)
    for headers in ({}, {"Authorization": "Bearer lst_nope"}, {"Authorization": "Basic eDp5"}):
        answer = client.get(f"/api/v1/stories/{story.id}", headers=headers)
        assert answer.status_code == 401
        assert answer.json() == {"error": "Unauthorized."}
        assert answer.headers["www-authenticate"] == "Bearer"


def test_a_read_token_reads_a_story_and_its_state_in_every_language(session, story):
    answer = api_client(session).get(
        f"/api/v1/stories/{story.id}", headers=bearer(session, scope="read")
    )
    assert answer.status_code == 200
    state = answer.json()
    assert state["id"] == story.id and state["headline"] == story.headline
    assert state["url"].endswith(f"/desk?story={story.id}")
    assert state["english_version"] == 1
    assert set(state["languages"]) == {"ru", "uk"}
    assert state["languages"]["uk"]["paragraphs"] == 13
    assert state["languages"]["uk"]["errors"] == 0


def test_a_story_that_does_not_exist_is_404_in_words(session, story):
    client, headers = api_client(session), bearer(session)
    assert client.get("/api/v1/stories/999", headers=headers).json() == {
        "error": "There is no story #999 at this desk."
    }
    assert client.get("/api/v1/stories/abc", headers=headers).status_code == 404


def test_a_revoked_token_is_refused_from_the_next_call(session, story):
    client, headers = api_client(session), bearer(session, "Old CMS", "read")
    assert client.get(f"/api/v1/stories/{story.id}", headers=headers).status_code == 200
    revoke_token(session, "Old CMS", person=None)
    assert client.get(f"/api/v1/stories/{story.id}", headers=headers).status_code == 401


def test_a_token_is_stored_only_as_its_hash_and_its_use_is_recorded(session):
    token = create_token(session, "CMS", "read", person=None)
    stored = session.exec(select(Integration)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(stored.model_dump())
    assert stored.last_used_at is None
    assert authenticate(session, token).name == "CMS"
    session.refresh(stored)
    assert stored.last_used_at is not None


def test_making_and_revoking_tokens_is_for_administrators_and_audited(session, people):
    with pytest.raises(PermissionDenied):
        create_token(session, "CMS", "write", person=people["editor"])
    create_token(session, "CMS", "write", person=people["admin"])
    revoke_token(session, "CMS", person=people["admin"])
    lines = session.exec(select(Change).order_by(Change.id)).all()
    assert [(line.action, line.detail) for line in lines[-2:]] == [
        ("create integration token", "CMS (write)"),
        ("revoke integration token", "CMS"),
    ]


def test_a_second_token_of_one_name_is_refused_in_words(session):
    create_token(session, "CMS", "write", person=None)
    with pytest.raises(LockstepError, match="already a token named CMS"):
        create_token(session, "CMS", "read", person=None)


def test_a_revoked_tokens_name_is_free_for_a_new_token_which_revoke_then_revokes(session, story):
    client = api_client(session)
    old = bearer(session, "CMS", "read")
    revoke_token(session, "CMS", person=None)
    new = bearer(session, "CMS", "read")  # the name is free again
    assert client.get(f"/api/v1/stories/{story.id}", headers=new).status_code == 200

    revoke_token(session, "CMS", person=None)  # the live one, not the one revoked before

    for headers in (old, new):
        assert client.get(f"/api/v1/stories/{story.id}", headers=headers).status_code == 401
    with pytest.raises(LockstepError, match="revoked already"):
        revoke_token(session, "CMS", person=None)
    assert len(session.exec(select(Integration).where(Integration.name == "CMS")).all()) == 2


def test_the_command_line_shows_the_token_once_on_its_last_line(db_url, capsys):
    assert main(["token", "create", "Site CMS", "--scope", "read", "--database", db_url]) == 0
    token = capsys.readouterr().out.splitlines()[-1]
    assert token.startswith("lst_") and len(token) > 40
    assert main(["token", "list", "--database", db_url]) == 0
    listed = capsys.readouterr().out
    assert "Site CMS" in listed and token not in listed
    assert main(["token", "revoke", "Site CMS", "--database", db_url]) == 0
    assert main(["token", "revoke", "Site CMS", "--database", db_url]) == 1
    assert "revoked already" in capsys.readouterr().err


@given(st.text(max_size=300))
def test_a_typed_token_name_is_taken_or_refused_in_words(text):
    try:
        name = token_name(text)
    except InputError as refused:
        assert "token's name" in str(refused)
    else:
        assert name == name.strip() and 1 <= len(name) <= 100


_API = None


def _api_on_an_empty_desk():
    global _API
    if _API is None:
        from sqlmodel import Session, SQLModel, create_engine
        from sqlmodel.pool import StaticPool

        from workflow.models import load_all

        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        load_all()
        SQLModel.metadata.create_all(engine)
        session = Session(engine)
        _API = (api_client(session), bearer(session, "Fuzz", "read"))
    return _API


@settings(max_examples=40)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200))
def test_any_authorization_header_is_answered_401_or_let_in_never_an_error(text):
    client, good = _api_on_an_empty_desk()
    for header in (text, f"Bearer {text}", f"Bearer lst_{text}"):
        answer = client.get("/api/v1/stories/1", headers={"Authorization": header})
        assert answer.status_code == 401 and answer.json() == {"error": "Unauthorized."}
    assert client.get("/api/v1/stories/1", headers=good).status_code == 404


def test_the_openapi_description_lists_every_route_and_needs_no_token(session):
    from workflow.api import DOCUMENTED

    answer = api_client(session).get("/api/v1/openapi.json")
    assert answer.status_code == 200
    described = answer.json()
    assert described["openapi"].startswith("3.1")
    for endpoint in DOCUMENTED:
        operation = described["paths"]["/api/v1" + endpoint.path][endpoint.method.lower()]
        assert operation["security"] == [{"token": []}]
        assert "401" in operation["responses"]


def test_a_database_out_of_reach_is_503_in_words_with_a_time_to_retry(tmp_path):
    from sqlmodel import create_engine
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from workflow import api

    unreachable = create_engine(f"sqlite:///{tmp_path / 'no such folder' / 'desk.db'}")
    client = TestClient(Starlette(routes=api.routes(lambda: unreachable)))
    answer = client.get("/api/v1/stories/1", headers={"Authorization": "Bearer lst_x"})
    assert answer.status_code == 503
    assert answer.json()["error"].startswith("The database could not be used (")
    assert "nothing was changed" in answer.json()["error"]
    assert answer.headers["retry-after"] == "5"
