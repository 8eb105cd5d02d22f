"""The browser's word on the box being typed in (`presence.focus` and its route): a colleague
sees someone typing before they leave the box, a box being typed in never closes under its
person, and presence refuses in words what the person may not edit."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.conftest import translations
from workflow.accounts import start_browser_session
from workflow.errors import InputError, PermissionDenied
from workflow.models import clock_at
from workflow.presence import beat, edit_anyway, focus, on_paragraph, who_is_here
from workflow.soft_lock import ahead_of
from workflow.ui.focus_report import ROUTE, routes, said
from workflow.ui.session_cookie import COOKIE

T0 = datetime(2026, 3, 2, 10, 41, tzinfo=UTC)


def on(session, desk, person, story, paragraph=None, unsaved=False, lang="uk"):
    return beat(session, desk=desk, person=person, story_id=story.id, view=lang,
                translation_id=paragraph, unsaved=unsaved)  # fmt: skip


def test_a_colleague_sees_someone_typing_before_they_leave_the_box(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story)  # the server knows only that he is in the version
        assert focus(session, desk="taras-tab", person=taras, translation_id=p, focused=True)
    with clock_at(T0 + timedelta(seconds=1)):
        assert who_is_here(on_paragraph(session, p), eva.id) == [
            "Taras is in the Ukrainian version, editing a paragraph"
        ]
        focus(session, desk="taras-tab", person=taras, translation_id=p, focused=True, typed=True)
    with clock_at(T0 + timedelta(seconds=2)):
        held = ahead_of(on_paragraph(session, p), eva.id, p)
    assert (held.name, held.unsaved, held.editing_since) == ("Taras", True, T0)


def test_the_server_s_beat_keeps_the_paragraph_the_browser_says_is_being_typed_in(
    session, people, story
):
    p = translations(session, story.id, "uk")[2].id
    taras = people["translator_uk"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story)
        focus(session, desk="taras-tab", person=taras, translation_id=p, focused=True, typed=True)
    with clock_at(T0 + timedelta(seconds=5)):  # the server has not heard of the typing yet
        on(session, "taras-tab", taras, story, paragraph=None, unsaved=False)
        [here] = on_paragraph(session, p)
    assert (here.unsaved, here.focused, here.editing_since) == (True, True, T0)

    with clock_at(T0 + timedelta(seconds=6)):  # he left the box; its on_change told the server
        focus(session, desk="taras-tab", person=taras, translation_id=p, focused=False)
        on(session, "taras-tab", taras, story, paragraph=p, unsaved=True)
        [here] = on_paragraph(session, p)
    assert (here.unsaved, here.focused, here.editing_since) == (True, False, T0)


def test_a_lost_focus_report_never_pins_the_desk_to_a_story_it_left(session, people, story):
    """The page's "focus left" never arrived (a script cut short); the desk moves to another
    story, or to the read view: it is no longer shown typing in the first one's paragraph."""
    p = translations(session, story.id, "uk")[2].id
    taras = people["translator_uk"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story)
        focus(session, desk="taras-tab", person=taras, translation_id=p, focused=True, typed=True)
    with clock_at(T0 + timedelta(seconds=5)):
        on(session, "taras-tab", taras, story, lang="read")  # the same story, another view
        assert on_paragraph(session, p) == []


def test_someone_typing_is_never_held_back_by_a_colleague_who_left_the_box_first(
    session, people, story
):
    p = translations(session, story.id, "uk")[2].id
    taras, eva = people["translator_uk"], people["editor"]
    with clock_at(T0):
        on(session, "taras-tab", taras, story)
        focus(session, desk="taras-tab", person=taras, translation_id=p, focused=True, typed=True)
    with clock_at(T0 + timedelta(seconds=3)):  # Eva's box on_change told the server first
        on(session, "eva-tab", eva, story, paragraph=p, unsaved=True)
    with clock_at(T0 + timedelta(seconds=4)):
        heres = on_paragraph(session, p)
    assert ahead_of(heres, taras.id, p) is None  # his box stays open under his fingers
    assert ahead_of(heres, eva.id, p) is None  # and hers: both are named, the save decides
    assert ahead_of(heres, people["admin"].id, p).name == "Taras"


def test_a_focus_outside_the_desk_s_story_and_language_changes_nothing(session, people, story):
    uk, ru = translations(session, story.id, "uk")[2].id, translations(session, story.id, "ru")[2]
    eva = people["editor"]
    assert not focus(session, desk="eva-tab", person=eva, translation_id=uk, focused=True)
    on(session, "eva-tab", eva, story)  # she is in the Ukrainian version
    assert not focus(session, desk="eva-tab", person=eva, translation_id=ru.id, focused=True)
    assert on_paragraph(session, ru.id) == []


def test_presence_refuses_in_words_a_paragraph_the_person_may_not_edit(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    tanya, max_ = people["translator"], people["manager"]  # Russian; a manager reads only
    on(session, "taras-tab", people["translator_uk"], story, paragraph=p, unsaved=True)
    for person in (tanya, max_):
        on(session, f"{person.name}-tab", person, story)  # on the story: anyone signed in
        with pytest.raises(PermissionDenied, match=person.name):
            focus(session, desk=f"{person.name}-tab", person=person, translation_id=p,
                  focused=True)  # fmt: skip
        with pytest.raises(PermissionDenied, match=person.name):
            on(session, f"{person.name}-tab", person, story, paragraph=p, unsaved=True)
        with pytest.raises(PermissionDenied, match=person.name):
            edit_anyway(session, desk=f"{person.name}-tab", person=person, story_id=story.id,
                        view="uk", translation_id=p)  # fmt: skip
    assert [h.overtaken_by for h in on_paragraph(session, p)] == [None]
    with pytest.raises(InputError, match="not in this version"):
        edit_anyway(session, desk="eva-tab", person=people["editor"], story_id=story.id,
                    view="ru", translation_id=p)  # fmt: skip


def client(session) -> TestClient:
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    return TestClient(Starlette(routes=routes(lambda: engine)), base_url="http://desk.test")


SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def test_the_route_refuses_a_huge_body_without_holding_it(session):
    with client(session) as http:
        answer = http.post(ROUTE, content=b"{" + b" " * 5_000_000 + b"}", headers=SAME_SITE)
    assert answer.status_code == 400


def test_the_route_takes_a_report_only_from_the_desk_s_own_page_signed_in(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    taras = people["translator_uk"]
    on(session, "taras-tab", taras, story)
    web, body = client(session), {"desk": "taras-tab", "paragraph": p, "focused": True}
    assert web.post(ROUTE, json=body, headers=SAME_SITE).status_code == 403  # no sign-in
    web.cookies.set(COOKIE, start_browser_session(session, taras))
    assert web.post(ROUTE, json=body, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert web.post(ROUTE, content=b"{", headers=SAME_SITE).status_code == 400
    assert on_paragraph(session, p) == []
    assert web.post(ROUTE, json=body, headers=SAME_SITE).status_code == 204
    assert [h.name for h in on_paragraph(session, p)] == ["Taras"]


def test_the_route_refuses_a_paragraph_its_person_may_not_edit(session, people, story):
    p = translations(session, story.id, "uk")[2].id
    tanya = people["translator"]
    on(session, "tanya-tab", tanya, story)
    web = client(session)
    web.cookies.set(COOKIE, start_browser_session(session, tanya))
    body = {"desk": "tanya-tab", "paragraph": p, "focused": True, "typed": True}
    assert web.post(ROUTE, json=body, headers=SAME_SITE).status_code == 403
    assert on_paragraph(session, p) == []


@given(body=st.binary(max_size=400))
def test_any_body_is_read_as_a_report_or_none_never_raises(body):
    found = said(body)
    assert found is None or (isinstance(found[0], str) and found[1] >= 1)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    desk=st.text(max_size=70),
    paragraph=st.integers(min_value=-3, max_value=10**12),
    typed=st.booleans() | st.text(max_size=3),
)
def test_any_report_from_a_signed_in_page_is_taken_or_refused_never_a_server_error(
    session, people, story, desk, paragraph, typed
):
    web = client(session)
    web.cookies.set(COOKIE, start_browser_session(session, people["editor"]))
    body = {"desk": desk, "paragraph": paragraph, "focused": True, "typed": typed}
    assert web.post(ROUTE, json=body, headers=SAME_SITE).status_code in (204, 400, 403)
