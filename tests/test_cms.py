"""What the CMS asks of the desk: a story in (idempotent on its own id), a corrected English
(realigned as the desk does, refused when based on an old version), a publication recorded
behind the site's gate; every write audited as the integration."""

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, func, select

from tests.conftest import SEED_BYTES, _emptied, stand_in_for, translations
from workflow import cms
from workflow.cms import correct_english, receive_story, record_publication
from workflow.cms.bodies import english_from, publication_from
from workflow.database import open_database
from workflow.errors import (
    InputError,
    InvalidRequest,
    LockstepError,
    NotFound,
    NotPublishable,
    SourceConflict,
    StoryAlreadyReceived,
)
from workflow.formats.limits import MAX_PARAGRAPHS
from workflow.history import story_changes
from workflow.models import Change, LanguageVersion, Story
from workflow.people import add_person
from workflow.progress import version_progress
from workflow.sources import current_paragraphs, latest_version, update_source
from workflow.states import Action, Role
from workflow.states import VersionState as V
from workflow.translations import save_translation
from workflow.versions import approve_version, submit_version

ACTOR = "integration newsroom-cms"


def cms_story(external_id: str = "cms-1001", **changes: object) -> dict[str, object]:
    story: dict[str, object] = {
        "external_id": external_id,
        "headline": "Flood closes 12 roads in Kyiv",
        "section": "World",
        "paragraphs": [
            "Rain fell for 3 days and the river rose by 2 metres on Monday.",
            "Officials said 40 homes were evacuated.",
            "The mayor will speak on Tuesday.",
        ],
    }
    return story | changes


def english(session, story_id: int) -> list[str]:
    return [p.text for p in current_paragraphs(session, story_id)]


def written(session) -> tuple[int, int]:
    """How many stories and audit lines the desk holds: what a refused or repeated call must
    leave as it was."""
    return (
        session.exec(select(func.count()).select_from(Story)).one(),
        session.exec(select(func.count()).select_from(Change)).one(),
    )


def approve(session, people, story_id: int, lang: str = "ru") -> None:
    """The version translated by its translator and approved by the editor."""
    translator = people["translator" if lang == "ru" else "translator_uk"]
    for t in translations(session, story_id, lang):
        save_translation(
            session, translation_id=t.id, text=stand_in_for(session, t), person=translator,
            base_lock_version=t.lock_version,
        )  # fmt: skip
    submit_version(session, story_id=story_id, lang=lang, person=translator)
    approve_version(session, story_id=story_id, lang=lang, person=people["editor"])


# --- a story in ----------------------------------------------------------------------------


def test_a_story_from_the_cms_is_stored_with_its_id_and_audited_as_the_integration(session):
    story, created = receive_story(session, cms_story(), actor=ACTOR)

    assert created and story.external_id == "cms-1001" and story.section == "World"
    assert english(session, story.id) == [cms_story()["headline"], *cms_story()["paragraphs"]]
    assert latest_version(session, story.id) == 1
    [(line, person)] = story_changes(session, story.id)
    assert line.action == Action.IMPORT_STORY and line.actor == ACTOR and person is None
    assert "cms-1001" in line.comment


def test_the_same_story_sent_again_is_the_stored_one_and_nothing_is_written(session):
    first, _ = receive_story(session, cms_story(), actor=ACTOR)
    before = written(session)

    again, created = receive_story(session, cms_story(), actor=ACTOR)

    assert (again.id, created) == (first.id, False)
    assert written(session) == before


def test_other_english_under_the_same_id_is_refused_naming_the_story_and_its_version(session):
    first, _ = receive_story(session, cms_story(), actor=ACTOR)
    before = written(session)

    with pytest.raises(StoryAlreadyReceived) as refused:
        receive_story(session, cms_story(headline="Flood closes 14 roads in Kyiv"), actor=ACTOR)

    assert (refused.value.story_id, refused.value.current_version) == (first.id, 1)
    assert f"correction of story {first.id}, based on English version 1" in str(refused.value)
    assert written(session) == before


def test_the_newsroom_text_format_is_taken_in_with_the_id_given_beside_it(session):
    text = SEED_BYTES.decode("utf-8")
    story, created = receive_story(session, text, external_id="seed-7d0a", actor=ACTOR)
    again, created_again = receive_story(session, text, external_id="seed-7d0a", actor=ACTOR)

    assert created and not created_again and again.id == story.id
    assert story.source_format == "seed" and len(english(session, story.id)) > 5


NINJS = {
    "uri": "https://cms.example/items/77",
    "type": "text",
    "language": "en",
    "headlines": [{"role": "main", "value": "Flood closes 12 roads"}],
    "bodies": [{"role": "main", "contenttype": "text/plain",
                "value": "Rain fell for 3 days.\n\n40 homes were evacuated."}],
}  # fmt: skip


def test_a_ninjs_story_is_known_by_its_cms_id_else_by_its_uri(session):
    by_uri, _ = receive_story(session, json.dumps(NINJS), format_name="ninjs", actor=ACTOR)
    with_altid = NINJS | {"uri": "x:1", "altids": [{"role": "cms", "value": "cms-77"}]}
    by_altid, _ = receive_story(session, json.dumps(with_altid), actor=ACTOR)  # found as ninjs

    assert by_uri.external_id == "https://cms.example/items/77"
    assert by_altid.external_id == "cms-77" and by_altid.source_format == "ninjs"
    assert english(session, by_uri.id) == [
        "Flood closes 12 roads",
        "Rain fell for 3 days.",
        "40 homes were evacuated.",
    ]


@pytest.mark.parametrize(
    ("text", "format_name"),
    [
        ("# Flood  closes 12 roads\n\nRain fell for *3* days.\n\n- 40 homes", "markdown"),
        ("Flood closes 12 roads\r\n\r\n  Rain  fell\tfor 3 days.\u200b", "plain"),
        (json.dumps(NINJS), "ninjs"),
    ],
)
def test_a_story_sent_again_as_the_same_text_is_the_same_story(session, text, format_name):
    """However a format reads its text, the same text again is the story stored."""
    first, _ = receive_story(session, text, external_id="x-1", format_name=format_name,
                             actor=ACTOR)  # fmt: skip
    again, created = receive_story(session, text, external_id="x-1", format_name=format_name,
                                   actor=ACTOR)  # fmt: skip
    assert (again.id, created) == (first.id, False)


def test_text_without_the_cms_id_is_refused(session):
    with pytest.raises(InputError, match="external_id is missing"):
        receive_story(session, "Headline\n\nA paragraph.", actor=ACTOR)
    assert written(session) == (0, 0)


def test_a_body_of_the_wrong_shape_is_refused_with_every_problem_listed(session):
    body = {"external_id": "  ", "section": "x" * 201, "paragraphs": ["Fine.", 3, None]}

    with pytest.raises(InvalidRequest) as refused:
        receive_story(session, body, actor=ACTOR)

    assert refused.value.problems == [
        "external_id is empty",
        "headline is missing",
        "section is longer than 200 characters",
        "paragraphs[1] must be text",
        "paragraphs[2] must be text",
    ]
    assert str(refused.value).startswith("The story was not taken in: external_id is empty; ")
    assert written(session) == (0, 0)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (["a", "list"], "the body must be a JSON object"),
        (cms_story(external_id="x" * 201), "external_id is longer than 200 characters"),
        (cms_story(external_id="cms\n1"), "external_id must be one line of printable"),
        (cms_story(paragraphs="One paragraph."), "paragraphs must be a list of texts"),
        (cms_story(headline="\u200b"), "headline is empty"),
        (cms_story(paragraphs=["p"] * MAX_PARAGRAPHS), f"has more than {MAX_PARAGRAPHS - 1:,}"),
        (cms_story(paragraphs=["x" * 1_000_000] * 3), "more than 2 MB of text"),
        (cms_story(headline="Bad \ud800 text"), "headline has characters that are not text"),
    ],
)
def test_a_story_too_big_or_of_the_wrong_types_is_refused_before_anything_is_stored(
    session, body, said
):
    with pytest.raises(InputError, match=said.replace("[", r"\[")):
        receive_story(session, body, actor=ACTOR)
    assert written(session) == (0, 0)


# --- a corrected English -------------------------------------------------------------------


def corrected(paragraphs: list[str]) -> list[str]:
    """The CMS's correction: a figure changed, a paragraph added, one removed."""
    new = list(paragraphs)
    new[1] = new[1].replace("3 days", "4 days")
    new.insert(3, "Schools will stay closed until Friday.")
    del new[-1]
    return new


def test_a_correction_is_realigned_and_carried_exactly_as_the_desks_edit(session, people):
    """Two copies of one story, both approved in Russian: the CMS corrects one, an editor
    makes the same edit of the other at the desk; every translation ends the same."""
    by_cms, _ = receive_story(session, cms_story("a"), actor=ACTOR)
    at_desk, _ = receive_story(session, cms_story("b"), actor=ACTOR)
    for story in (by_cms, at_desk):
        approve(session, people, story.id)
    new = corrected(english(session, by_cms.id))
    # Each story's stand-ins are its own: a text is compared by the paragraph it came from.
    before = {s.id: [t.text for t in translations(session, s.id, "ru")] for s in (by_cms, at_desk)}

    correct_english(session, by_cms.id, new, based_on=1, actor=ACTOR)
    update_source(session, story_id=at_desk.id, paragraphs=new, person=people["editor"])

    def outcome(story_id):
        rows = translations(session, story_id, "ru")
        came_from = [before[story_id].index(t.text) if t.text else None for t in rows]
        carried = [(t.state, t.source_fingerprint, t.check_from) for t in rows]
        return came_from, carried, version_progress(session, story_id, "ru").state

    assert outcome(by_cms.id) == outcome(at_desk.id)
    assert english(session, by_cms.id) == english(session, at_desk.id) == new


def test_a_correction_answers_the_new_version_and_the_stale_paragraphs_per_language(
    session, people
):
    story, _ = receive_story(session, cms_story(), actor=ACTOR)
    approve(session, people, story.id, "ru")

    done = correct_english(session, story.id, corrected(english(session, story.id)), based_on=1,
                           actor=ACTOR)  # fmt: skip

    assert done.changed and done.version == 2 == latest_version(session, story.id)
    assert done.stale["ru"] == [1]  # the changed figure; the new paragraph is untranslated
    assert done.stale["uk"] == []  # nothing translated, nothing stale
    assert done.outdated == ["ru"]
    [line, *_] = story_changes(session, story.id)
    assert line.Change.action == Action.EDIT_SOURCE and line.Change.actor == ACTOR


def test_a_correction_as_text_is_cut_into_paragraphs_as_the_desk_cuts_it(session):
    story, _ = receive_story(session, cms_story(), actor=ACTOR)
    text = "Flood closes 14 roads in Kyiv\n\nRain fell for 4 days.\n\nSchools are closed."

    done = correct_english(session, story.id, text, based_on=1, actor=ACTOR)

    assert done.version == 2
    assert english(session, story.id) == [
        "Flood closes 14 roads in Kyiv",
        "Rain fell for 4 days.",
        "Schools are closed.",
    ]


def test_a_correction_based_on_an_old_version_is_refused_with_the_current_english(session):
    story, _ = receive_story(session, cms_story(), actor=ACTOR)
    first = corrected(english(session, story.id))
    correct_english(session, story.id, first, based_on=1, actor=ACTOR)
    before = written(session)

    with pytest.raises(SourceConflict) as refused:
        correct_english(session, story.id, ["Another headline", "Text."], based_on=1, actor=ACTOR)

    assert refused.value.current_version == 2 and refused.value.theirs == first
    assert english(session, story.id) == first and written(session) == before


def test_the_same_english_again_changes_nothing(session):
    story, _ = receive_story(session, cms_story(), actor=ACTOR)

    done = correct_english(session, story.id, english(session, story.id), based_on=1, actor=ACTOR)

    assert (done.changed, done.version) == (False, 1)
    assert latest_version(session, story.id) == 1


@pytest.mark.parametrize(
    ("english_sent", "based_on", "error", "said"),
    [
        (["Headline", 7], 1, InputError, "paragraphs must be a list of texts"),
        ([], 1, InputError, "paragraphs is empty"),
        (["Headline"], 1, InputError, "paragraphs is empty"),
        (["Headline"], "1", InputError, "based_on must be a whole number"),
        ("", 1, InputError, "empty"),
    ],
)
def test_a_correction_of_the_wrong_shape_is_refused(session, english_sent, based_on, error, said):
    story, _ = receive_story(session, cms_story(), actor=ACTOR)
    with pytest.raises(error, match=said):
        correct_english(session, story.id, english_sent, based_on=based_on, actor=ACTOR)
    assert latest_version(session, story.id) == 1


def test_a_correction_of_a_story_that_does_not_exist_is_not_found(session):
    with pytest.raises(NotFound):
        correct_english(session, 999, ["Headline", "A paragraph."], based_on=1, actor=ACTOR)


# --- a publication -------------------------------------------------------------------------

URL = "https://news.example/ru/2026/12/flood-closes-roads"
AT = "2026-12-06T15:04:05+02:00"


def published_url(session, story_id: int, lang: str = "ru") -> str:
    return session.exec(
        select(LanguageVersion.published_url).where(
            LanguageVersion.story_id == story_id, LanguageVersion.lang == lang
        )
    ).one()


@pytest.fixture
def approved(session, people):
    story, _ = receive_story(session, cms_story(), actor=ACTOR)
    approve(session, people, story.id, "ru")
    return story


def test_a_publication_moves_the_approved_version_and_keeps_the_url_and_the_cms_time(
    session, approved
):
    done = record_publication(session, approved.id, "ru", url=URL, published_at=AT, actor=ACTOR)

    assert done.changed and not done.republished
    assert done.published_at == datetime(2026, 12, 6, 13, 4, 5, tzinfo=UTC)
    assert version_progress(session, approved.id, "ru").state is V.PUBLISHED
    assert published_url(session, approved.id) == URL
    [line, *_] = story_changes(session, approved.id, lang="ru")
    assert line.Change.action == Action.PUBLISH and line.Change.actor == ACTOR
    assert URL in line.Change.detail and "2026-12-06 13:04:05 UTC" in line.Change.detail


def test_the_same_publication_again_writes_nothing(session, approved):
    record_publication(session, approved.id, "ru", url=URL, published_at=AT, actor=ACTOR)
    before = written(session)

    again = record_publication(session, approved.id, "ru", url=URL, published_at=AT, actor=ACTOR)

    assert not again.changed and written(session) == before


def test_a_publication_at_a_new_url_republishes(session, approved):
    record_publication(session, approved.id, "ru", url=URL, published_at=AT, actor=ACTOR)
    moved = URL + "-updated"

    done = record_publication(session, approved.id, "ru", url=moved, published_at=AT, actor=ACTOR)

    assert done.changed and done.republished
    assert published_url(session, approved.id) == moved
    [line, *_] = story_changes(session, approved.id, lang="ru")
    assert line.Change.action == Action.PUBLISH and line.Change.actor == ACTOR
    assert f"it was at {URL}" in line.Change.comment


def test_a_version_not_approved_is_refused_with_the_sites_reasons(session, approved):
    before = written(session)
    with pytest.raises(NotPublishable) as refused:
        record_publication(session, approved.id, "uk", url=URL, published_at=AT, actor=ACTOR)
    assert any("only a version an editor approved goes to the site" in r
               for r in refused.value.reasons)  # fmt: skip
    assert written(session) == before


def test_a_version_the_english_outdated_is_refused_naming_the_stale_paragraphs(session, approved):
    correct_english(session, approved.id, corrected(english(session, approved.id)), based_on=1,
                    actor=ACTOR)  # fmt: skip
    with pytest.raises(NotPublishable, match=r"outdated.*paragraph 1"):
        record_publication(session, approved.id, "ru", url=URL, published_at=AT, actor=ACTOR)
    assert version_progress(session, approved.id, "ru").state is V.OUTDATED


@pytest.mark.parametrize(
    ("url", "at", "said"),
    [
        ("ftp://news.example/a", AT, "url must be a web address"),
        ("", AT, "url is empty"),
        (URL, "2026-12-06T15:04:05", "published_at needs a time zone"),
        (URL, "yesterday", "published_at"),
        ("https://x.example/" + "a" * 2000, AT, "url is longer than 2,000 characters"),
    ],
)
def test_a_publication_of_the_wrong_shape_is_refused(session, approved, url, at, said):
    with pytest.raises(InputError, match=said):
        record_publication(session, approved.id, "ru", url=url, published_at=at, actor=ACTOR)
    assert version_progress(session, approved.id, "ru").state is V.APPROVED


def test_a_publication_in_a_language_the_desk_does_not_translate_is_not_found(session, approved):
    with pytest.raises(NotFound):
        record_publication(session, approved.id, "de", url=URL, published_at=AT, actor=ACTOR)


# --- at once, and whatever is sent ---------------------------------------------------------


@pytest.fixture
def shared_engine(request, backend, tmp_path):
    """A database several threads open connections to: a SQLite file or PostgreSQL."""
    if backend == "postgresql":
        engine = request.getfixturevalue("postgres_engine")
        _emptied(engine)
        yield engine
        return
    engine = open_database(f"sqlite:///{tmp_path / 'desk.db'}")
    yield engine
    engine.dispose()


def at_once(engine, call: Callable[[Session], object], n: int) -> list[object]:
    """What `call` answered (or raised) in each of `n` threads started together, each with a
    session of its own."""
    start, answers = threading.Barrier(n), []

    def run() -> None:
        with Session(engine) as own:
            start.wait(10)
            try:
                answers.append(call(own))
            except Exception as exc:  # whatever it is, the caller's assertion shows it
                answers.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_posts_of_one_story_at_once_make_one_story(shared_engine, monkeypatch):
    """Four posts all look for the story before any stores it (as they would, arriving
    together): one stores it, the others lose on the column and answer with its story."""
    looked = threading.local()

    def received_seen_before_anyone_stored(session, external_id):
        if not getattr(looked, "once", False):
            looked.once = True
            return None
        return stored_now(session, external_id)

    stored_now = cms._received
    monkeypatch.setattr(cms, "_received", received_seen_before_anyone_stored)

    def post(own: Session) -> tuple[int | None, bool]:
        story, created = receive_story(own, cms_story(), actor=ACTOR)
        return story.id, created

    answers = at_once(shared_engine, post, 4)

    with Session(shared_engine) as session:
        [story_id] = session.exec(select(Story.id).where(col(Story.external_id) == "cms-1001"))
    assert sorted(answers, key=str) == sorted(
        [(story_id, True)] + [(story_id, False)] * 3, key=str
    ), answers


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
FIELD = st.sampled_from(["external_id", "headline", "section", "paragraphs", "other"])
BODIES = (
    st.dictionaries(FIELD, JSON | st.lists(st.text(), max_size=4)) | JSON | st.text(max_size=300)
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=BODIES, external_id=st.none() | st.text(max_size=30))
def test_whatever_the_cms_sends_it_is_taken_in_or_refused_in_words(session, body, external_id):
    try:
        story, _ = receive_story(session, body, external_id=external_id, actor=ACTOR)
    except LockstepError:
        session.rollback()
        return
    assert story.id is not None and story.external_id


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sent=JSON | st.text(max_size=300) | st.lists(st.text(max_size=40), max_size=5),
    based_on=st.integers(-2, 3) | JSON,
)
def test_whatever_correction_the_cms_sends_it_is_applied_or_refused_in_words(
    session, sent, based_on
):
    if (story := session.exec(select(Story)).first()) is None:
        story, _ = receive_story(session, cms_story(), actor=ACTOR)
    try:
        done = correct_english(session, story.id, sent, based_on=based_on, actor=ACTOR)
    except LockstepError:
        session.rollback()
        return
    assert done.version == latest_version(session, story.id)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    url=st.text(max_size=60) | st.just(URL) | JSON,
    at=st.text(max_size=40) | st.datetimes(timezones=st.just(UTC)) | JSON,
    body=JSON,
)
def test_whatever_publication_the_cms_reports_it_is_recorded_or_refused_in_words(
    session, approved, url, at, body
):
    try:
        record_publication(session, approved.id, "ru", url=url, published_at=at, actor=ACTOR)
        publication_from(body)
        english_from(body)
    except LockstepError:
        session.rollback()


def test_an_editor_whose_edit_crosses_the_cms_correction_is_told_the_integration_saved_it(
    session, people
):
    story, _ = receive_story(session, cms_story(), actor=ACTOR)
    correct_english(session, story.id, corrected(english(session, story.id)), based_on=1,
                    actor=ACTOR)  # fmt: skip

    with pytest.raises(SourceConflict) as refused:
        update_source(session, story_id=story.id, paragraphs=["Mine", "Text."],
                      person=people["editor"], based_on=1)  # fmt: skip

    assert str(refused.value).startswith(
        "Integration newsroom-cms saved English version 2 while you were editing version 1."
    )
    assert refused.value.saved_by == ACTOR


def test_two_reports_of_one_publication_at_once_publish_it_once(shared_engine):
    """A CMS retrying a report that timed out: both arrive together; the version is published
    once, both are answered 'published', and one publish line is written."""
    with Session(shared_engine) as session:
        people = {
            "translator": add_person(session, name="Tanya", role=Role.TRANSLATOR, languages=["ru"]),
            "editor": add_person(session, name="Eva", role=Role.EDITOR, languages=["ru"]),
        }
        story, _ = receive_story(session, cms_story(), actor=ACTOR)
        approve(session, people, story.id)
        story_id = story.id

    def report(own: Session) -> bool:
        done = record_publication(own, story_id, "ru", url=URL, published_at=AT, actor=ACTOR)
        return done.changed

    answers = at_once(shared_engine, report, 2)

    assert sorted(answers, key=str) == [False, True], answers
    with Session(shared_engine) as session:
        lines = [c for c, _ in story_changes(session, story_id, lang="ru")]
        assert [c.action for c in lines].count(Action.PUBLISH) == 1
