"""Editing the English: translations are carried, flagged stale or check, and versions outdated."""

import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import Session, col, select

from tests.conftest import SEED_BYTES, _emptied, stand_in_for, tag, translations
from workflow import sources, writes
from workflow.database import open_database
from workflow.desk import desk_rows
from workflow.errors import InputError, InvalidTransition, PermissionDenied, SourceConflict
from workflow.formats import read_story_file
from workflow.formats.base import ParsedStory
from workflow.history import revisions, story_changes
from workflow.models import Person, SourceParagraph
from workflow.people import add_person
from workflow.progress import version_progress
from workflow.realign import realign
from workflow.sources import SourceUpdate, current_paragraphs, source_versions, update_source
from workflow.states import Role
from workflow.states import TranslationState as T
from workflow.states import VersionState as V
from workflow.stories import import_story
from workflow.translations import approve_translation, confirm_translation, save_translation
from workflow.versions import approve_version, publish_version, submit_version


@pytest.fixture
def approved_ru(session, people, story):
    """The seed story with every Russian paragraph translated and the version approved."""
    for t in translations(session, story.id, "ru"):
        save_translation(
            session,
            translation_id=t.id,
            text=stand_in_for(session, t),
            person=people["translator"],
            base_lock_version=0,
        )
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])
    approve_version(session, story_id=story.id, lang="ru", person=people["editor"])
    return story


def english(session, story_id):
    return [p.text for p in current_paragraphs(session, story_id)]


def edit(session, story_id, person, at, old, new):
    paragraphs = english(session, story_id)
    assert old in paragraphs[at]
    paragraphs[at] = paragraphs[at].replace(old, new)
    return update_source(session, story_id=story_id, paragraphs=paragraphs, person=person)


def reword_cnn_line(session, story_id, editor):
    """A one-word change of tense: changed, but a translation may well still hold."""
    edit(session, story_id, editor, 2, "This is reported by CNN.", "This was reported by CNN.")


def rows_by_position(session, story_id):
    return {row.position: row for row in desk_rows(session, story_id)}


def test_a_corrected_figure_flags_exactly_that_paragraph(session, people, approved_ru):
    update = edit(session, approved_ru.id, people["editor"], 1, "3,000", "3,500")

    rows = rows_by_position(session, approved_ru.id)
    stale = [pos for pos, row in rows.items() if row.translations["ru"].stale]
    assert stale == [1]
    kept = rows[1].translations["ru"].text  # the stand-in made from the old English
    assert kept.startswith("Перевод " + tag(rows[1].paragraph_id) + ": 3,000,")
    assert rows[1].translations["ru"].made_from.count("3,000") == 1
    assert update.counts["changed"] == 1 and update.counts["unchanged"] == 12
    assert update.outdated == ["ru"]
    assert "Russian version is now outdated" in update.summary()
    assert version_progress(session, approved_ru.id, "ru").state is V.OUTDATED


def test_an_outdated_version_cannot_be_published(session, people, approved_ru):
    edit(session, approved_ru.id, people["editor"], 7, "Tuesday", "Monday")
    with pytest.raises(InvalidTransition, match="outdated"):
        publish_version(session, story_id=approved_ru.id, lang="ru", person=people["editor"])


def test_editing_the_stale_translation_brings_it_back(session, people, approved_ru):
    edit(session, approved_ru.id, people["editor"], 1, "3,000", "3,500")
    t = rows_by_position(session, approved_ru.id)[1].translations["ru"]
    save_translation(
        session,
        translation_id=t.id,
        text="Байден одобрил отправку 3500 военных.",
        person=people["translator"],
        base_lock_version=t.lock_version,
    )
    progress = version_progress(session, approved_ru.id, "ru")
    assert progress.stale == 0
    assert progress.state is V.IN_REVIEW  # the edit reopened the approval for review


def test_editor_confirms_still_valid_and_the_approval_holds(session, people, approved_ru):
    reword_cnn_line(session, approved_ru.id, people["editor"])
    t = rows_by_position(session, approved_ru.id)[2].translations["ru"]
    assert t.stale
    confirmed = confirm_translation(session, translation_id=t.id, person=people["editor"])
    assert confirmed.state is T.APPROVED
    assert version_progress(session, approved_ru.id, "ru").state is V.APPROVED
    publish_version(session, story_id=approved_ru.id, lang="ru", person=people["editor"])


def test_translator_confirmation_needs_an_editor_again(session, people, approved_ru):
    reword_cnn_line(session, approved_ru.id, people["editor"])
    t = rows_by_position(session, approved_ru.id)[2].translations["ru"]
    confirmed = confirm_translation(session, translation_id=t.id, person=people["translator"])
    assert confirmed.state is T.TRANSLATED
    assert version_progress(session, approved_ru.id, "ru").state is V.IN_REVIEW


def test_confirming_a_paragraph_that_did_not_change_is_refused(session, people, approved_ru):
    t = rows_by_position(session, approved_ru.id)[3].translations["ru"]
    with pytest.raises(InvalidTransition, match="nothing to confirm"):
        confirm_translation(session, translation_id=t.id, person=people["editor"])


def test_reverting_the_english_clears_the_stale_flag(session, people, approved_ru):
    edit(session, approved_ru.id, people["editor"], 1, "3,000", "3,500")
    edit(session, approved_ru.id, people["editor"], 1, "3,500", "3,000")
    progress = version_progress(session, approved_ru.id, "ru")
    assert progress.stale == 0
    assert progress.state is V.APPROVED
    assert progress.counts == {T.APPROVED: 13}


def test_a_minor_edit_is_carried_marked_check_and_stays_publishable(session, people, approved_ru):
    update = edit(session, approved_ru.id, people["editor"], 5, "emphasized", "emphasised")
    assert update.counts["minor"] == 1 and not update.outdated
    t = rows_by_position(session, approved_ru.id)[5].translations["ru"]
    assert not t.stale and t.check_from is not None and "emphasized" in t.check_from
    assert t.state is T.APPROVED
    publish_version(session, story_id=approved_ru.id, lang="ru", person=people["editor"])


def test_new_paragraph_starts_empty_and_removed_one_leaves_history(session, people, approved_ru):
    paragraphs = english(session, approved_ru.id)
    gone = rows_by_position(session, approved_ru.id)[2].translations["ru"]
    paragraphs[2] = "The Kremlin said it had no plans to invade anyone."
    update_source(session, story_id=approved_ru.id, paragraphs=paragraphs, person=people["editor"])

    rows = rows_by_position(session, approved_ru.id)
    assert len(rows) == 13
    assert rows[2].english.startswith("The Kremlin")
    assert rows[2].translations["ru"].state is T.EMPTY
    assert revisions(session, gone.id)[0].text == gone.text  # still in history
    assert version_progress(session, approved_ru.id, "ru").paragraphs == 13


def test_moved_paragraph_keeps_its_translation_and_state(session, people, approved_ru):
    paragraphs = english(session, approved_ru.id)
    before = rows_by_position(session, approved_ru.id)[9].translations["ru"]
    paragraphs.insert(3, paragraphs.pop(9))
    update = update_source(
        session, story_id=approved_ru.id, paragraphs=paragraphs, person=people["editor"]
    )
    moved = rows_by_position(session, approved_ru.id)[3].translations["ru"]
    assert (moved.id, moved.text, moved.state, moved.stale) == (
        before.id,
        before.text,
        T.APPROVED,
        False,
    )
    assert not update.outdated


def test_split_parts_start_from_the_old_translation_and_are_stale(session, people, approved_ru):
    paragraphs = english(session, approved_ru.id)
    old = rows_by_position(session, approved_ru.id)[4].translations["ru"].text
    head, tail = paragraphs[4].split("Germany. ", 1)
    paragraphs[4:5] = [head + "Germany.", tail]
    update_source(session, story_id=approved_ru.id, paragraphs=paragraphs, person=people["editor"])
    rows = rows_by_position(session, approved_ru.id)
    for part in (rows[4], rows[5]):
        assert part.translations["ru"].text == old
        assert part.translations["ru"].stale
    assert version_progress(session, approved_ru.id, "ru").stale == 2
    with pytest.raises(InvalidTransition, match="outdated"):
        publish_version(session, story_id=approved_ru.id, lang="ru", person=people["editor"])


def test_merged_paragraphs_join_their_translations(session, people, approved_ru):
    paragraphs = english(session, approved_ru.id)
    rows = rows_by_position(session, approved_ru.id)
    joined = rows[10].translations["ru"].text + " " + rows[11].translations["ru"].text
    paragraphs[10:12] = [paragraphs[10] + " " + paragraphs[11]]
    update_source(session, story_id=approved_ru.id, paragraphs=paragraphs, person=people["editor"])
    merged = rows_by_position(session, approved_ru.id)[10].translations["ru"]
    assert merged.text == joined
    assert not merged.stale and merged.check_from is not None  # no word changed: a glance


def test_every_english_version_is_kept(session, people, approved_ru):
    edit(session, approved_ru.id, people["editor"], 1, "3,000", "3,500")
    versions = source_versions(session, approved_ru.id)
    assert [v.number for v, _ in versions] == [2, 1]
    assert "3,500" in versions[0][0].text and "3,000" in versions[1][0].text
    assert versions[0][1] == "Eva" and "1 changed" in versions[0][0].summary


def test_unchanged_english_changes_nothing(session, people, approved_ru):
    update = update_source(
        session,
        story_id=approved_ru.id,
        paragraphs=english(session, approved_ru.id),
        person=people["editor"],
    )
    assert not update.changed_anything
    assert len(source_versions(session, approved_ru.id)) == 1


def test_english_longer_than_a_story_may_be_is_refused_and_changes_nothing(
    session, people, approved_ru
):
    before = english(session, approved_ru.id)
    too_long = before + [f"Update {n}: the count goes on." for n in range(5_000)]
    with pytest.raises(InputError, match="more than 5,000 paragraphs"):
        update_source(
            session, story_id=approved_ru.id, paragraphs=too_long, person=people["editor"]
        )
    assert english(session, approved_ru.id) == before
    assert len(source_versions(session, approved_ru.id)) == 1


def test_only_editors_edit_the_english(session, people, story):
    with pytest.raises(PermissionDenied):
        edit(session, story.id, people["translator"], 1, "3,000", "3,500")
    assert "3,000" in english(session, story.id)[1]


def test_whole_new_version_from_a_file_keeps_headline_in_step(session, people, story):
    from tests.conftest import SEED_BYTES

    text = SEED_BYTES.decode().replace("The US has approved", "The US approved")
    update_source(
        session,
        story_id=story.id,
        paragraphs=read_story_file(text.encode()).all_paragraphs,
        person=None,
    )
    assert english(session, story.id)[0].startswith("The US approved")
    assert story.headline.startswith("The US approved")


def test_an_english_edit_based_on_an_older_version_is_refused(session, people, story):
    first = english(session, story.id)
    mine, theirs = list(first), list(first)
    theirs[1] = theirs[1].replace("3,000", "3,500")
    mine[2] = "This is reported by CNN and Reuters."
    update_source(session, story_id=story.id, paragraphs=theirs, person=people["admin"], based_on=1)

    with pytest.raises(SourceConflict, match="Ada saved English version 2") as refused:
        update_source(
            session, story_id=story.id, paragraphs=mine, person=people["editor"], based_on=1
        )
    assert (refused.value.theirs, refused.value.yours) == (theirs, mine)  # both, to compare
    assert "3,500" in english(session, story.id)[1]  # theirs stands, nothing overwritten
    versions = session.exec(
        select(SourceParagraph.position, SourceParagraph.lock_version).where(
            SourceParagraph.story_id == story.id, col(SourceParagraph.removed).is_(False)
        )
    ).all()
    assert dict(versions)[1] == 2 and dict(versions)[2] == 1  # only the edited one moved on


# Paragraph identity: the paragraph the realigner names as an old one's heir keeps its row.
def _ru(session, story_id):
    """Position -> (row, Russian translation id, text, state, stale, revision ids)."""
    found = {}
    for row in desk_rows(session, story_id):
        t = row.translations["ru"]
        found[row.position] = (
            row.paragraph_id, t.id, t.text, t.state, t.stale,
            [r.id for r in revisions(session, t.id)],
        )  # fmt: skip
    return found


def test_an_edited_copy_above_an_approved_paragraph_leaves_it_approved(
    session, people, approved_ru
):
    paragraphs = english(session, approved_ru.id)
    before = _ru(session, approved_ru.id)
    assert paragraphs[3].startswith("According to the agency,")
    paragraphs.insert(3, paragraphs[3].replace("the agency", "the network"))
    update = update_source(
        session, story_id=approved_ru.id, paragraphs=paragraphs, person=people["editor"]
    )
    after = _ru(session, approved_ru.id)
    assert after[4] == before[3]  # the unchanged paragraph: same row, text, state and history
    assert after[4][3] is T.APPROVED and not after[4][4]
    copy = after[3]
    assert copy[0] != before[3][0] and copy[2] == before[3][2] and copy[4]  # starts from it, stale
    assert not update.outdated or update.outdated == ["ru"]


def test_a_duplicated_paragraph_stays_put_and_its_copy_carries_the_approval(
    session, people, approved_ru
):
    paragraphs = english(session, approved_ru.id)
    before = _ru(session, approved_ru.id)
    paragraphs.insert(4, paragraphs[3])  # pasted twice
    update = update_source(
        session, story_id=approved_ru.id, paragraphs=paragraphs, person=people["editor"]
    )
    after = _ru(session, approved_ru.id)
    assert after[3] == before[3]  # where it stood: same row, text, state and history
    copy = after[4]
    assert copy[0] != before[3][0]
    # Word for word the same English: the approved translation is still approved.
    assert (copy[2], copy[3], copy[4]) == (before[3][2], T.APPROVED, False)
    assert [r.reason for r in revisions(session, copy[1])] == ["copy"]
    carried = [c for c, _ in story_changes(session, approved_ru.id) if c.translation_id == copy[1]]
    assert len(carried) == 1 and carried[0].to_state == T.APPROVED
    assert people["editor"].name in carried[0].comment  # who approved it, carried
    assert update.counts["unchanged"] == 14 and not update.outdated
    publish_version(session, story_id=approved_ru.id, lang="ru", person=people["editor"])


def test_a_copy_of_a_machine_draft_is_a_machine_draft_too(session, people, story):
    draft = translations(session, story.id, "ru")[3]
    draft.text, draft.state, draft.origin = stand_in_for(session, draft), T.MACHINE_DRAFT, "machine"
    session.add(draft)
    session.commit()
    paragraphs = english(session, story.id)
    paragraphs.insert(4, paragraphs[3])
    update_source(session, story_id=story.id, paragraphs=paragraphs, person=people["editor"])
    copy = _ru(session, story.id)[4]
    assert copy[0] != draft.paragraph_id
    assert (copy[2], copy[3]) == (draft.text, T.MACHINE_DRAFT)  # not promoted to translated
    carried = [c for c, _ in story_changes(session, story.id) if c.translation_id == copy[1]]
    # One line for the copy's text, as for every write; no approval to carry.
    assert [(c.comment, c.to_state) for c in carried] == [("copy", T.MACHINE_DRAFT)]


def test_deleting_the_first_of_two_repeated_paragraphs_removes_that_one(
    session, people, approved_ru
):
    paragraphs = english(session, approved_ru.id)
    boilerplate = "Follow our live coverage of the war."
    with_copies = [*paragraphs[:3], boilerplate, *paragraphs[3:6], boilerplate, *paragraphs[6:]]
    update_source(session, story_id=approved_ru.id, paragraphs=with_copies, person=people["editor"])
    second = rows_by_position(session, approved_ru.id)[7].paragraph_id
    del with_copies[3]
    update_source(session, story_id=approved_ru.id, paragraphs=with_copies, person=people["editor"])
    assert rows_by_position(session, approved_ru.id)[6].paragraph_id == second


RU_POOL = {
    "Advertisement.": "Реклама.",
    "Talks between the two sides resumed in the capital.": (
        "Переговоры между двумя сторонами возобновились в столице."
    ),
    "The ministry declined to comment on the report.": (
        "Министерство отказалось комментировать сообщение."
    ),
    "Residents were urged to stay in shelters overnight.": (
        "Жителей призвали остаться на ночь в укрытиях."
    ),
    "Aid convoys reached the city this morning.": "Колонны с помощью утром достигли города.",
}
TRACKED = "The president thanked the allies for their support."
RU_POOL[TRACKED] = "Президент поблагодарил союзников за поддержку."
RU_POOL["Talks resume as aid reaches the city"] = (
    "Переговоры возобновляются, помощь доходит до города"
)
pool = st.sampled_from([p for p in RU_POOL if p != TRACKED][:-1])


@st.composite
def story_around_a_tracked_paragraph(draw):
    """Body paragraphs from a small pool (so copies happen) around one tracked paragraph, and a
    new version with insertions, deletions, moves and edits of anything but that paragraph."""
    body = draw(st.lists(pool, max_size=8))
    body.insert(draw(st.integers(0, len(body))), TRACKED)
    new = list(body)
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["insert", "delete", "move", "edit"]))
        at = draw(st.integers(0, len(new) - 1))
        if op == "insert":
            new.insert(at, draw(pool))
        elif op == "move":
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(at))
        elif new[at] != TRACKED:
            if op == "delete":
                del new[at]
            else:
                new[at] = new[at][:-1] + ", officials said."
    return body, new


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(story_around_a_tracked_paragraph())
@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_unchanged_paragraph_keeps_its_row_state_approval_and_history(session, people, story):
    body, new = story
    headline = "Talks resume as aid reaches the city"
    stored = import_story(session, ParsedStory(headline, body), person=people["editor"])
    for t in translations(session, stored.id, "ru"):
        english_text = session.get(SourceParagraph, t.paragraph_id).text
        saved = save_translation(
            session, translation_id=t.id, text=RU_POOL[english_text],
            person=people["translator"], base_lock_version=0,
        )  # fmt: skip
        approve_translation(session, translation_id=saved.id, person=people["editor"])
    before = _ru(session, stored.id)
    old = english(session, stored.id)

    update_source(session, story_id=stored.id, paragraphs=[headline, *new], person=None)

    after = _ru(session, stored.id)
    tracked_before = before[old.index(TRACKED)]
    tracked_after = after[1 + new.index(TRACKED)]
    assert tracked_after == tracked_before
    assert tracked_after[3] is T.APPROVED and not tracked_after[4]
    # So does every copy the realigner names as the heir of an identical old paragraph.
    now = english(session, stored.id)
    for i, j in realign(old, now).heirs.items():
        if old[i] == now[j]:
            assert after[j] == before[i]


@pytest.fixture
def shared_desk(request, backend, tmp_path):
    """A database several threads can open connections to at once, with a story and two
    editors: a SQLite file (the in-memory one has a single shared connection) or PostgreSQL."""
    if backend == "postgresql":
        engine = request.getfixturevalue("postgres_engine")
        _emptied(engine)
    else:
        engine = open_database(f"sqlite:///{tmp_path / 'desk.db'}")
    with Session(engine) as session:
        editor = add_person(session, name="Eva", role=Role.EDITOR, languages=["ru", "uk"])
        admin = add_person(session, name="Ada", role=Role.ADMIN)
        story = import_story(session, read_story_file(SEED_BYTES), person=editor)
        ids = story.id, editor.id, admin.id
    yield engine, *ids
    if backend == "sqlite":
        engine.dispose()


def _lock_waiters(engine) -> int:
    """How many sessions wait for a lock (PostgreSQL says; SQLite's busy wait is invisible)."""
    if engine.dialect.name != "postgresql":
        return 0
    waiting = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
    with engine.connect() as watch:
        return watch.execute(waiting).scalar()


def test_two_editors_saving_the_english_at_once_the_second_is_told_not_crashed(
    shared_desk, monkeypatch
):
    """Both start from version 1 and press save together: the first is saved; the second is
    refused with both texts to compare, never applied over the first nor an IntegrityError."""
    engine, story_id, editor_id, admin_id = shared_desk
    with Session(engine) as session:
        theirs, mine = english(session, story_id), english(session, story_id)
    theirs[1] = theirs[1].replace("3,000", "3,500")
    theirs.insert(3, "A paragraph Ada added about 42 ships.")
    mine[2] = "This is reported by CNN and Reuters."

    # The first save stops half-way, holding whatever it holds, until the second is waiting.
    first_inside, release = threading.Event(), threading.Event()

    def realign_pausing_the_first(old, new):
        if threading.current_thread().name == "first":
            first_inside.set()
            release.wait(10)
        return realign(old, new)

    monkeypatch.setattr(sources, "realign", realign_pausing_the_first)
    outcome = {}

    def save(paragraphs, person_id):
        with Session(engine) as own:
            person = own.get(Person, person_id)
            try:
                outcome[threading.current_thread().name] = update_source(
                    own, story_id=story_id, paragraphs=paragraphs, person=person, based_on=1
                )
            except Exception as exc:  # whatever it is, the assertions below show it
                outcome[threading.current_thread().name] = exc

    first = threading.Thread(target=save, args=(theirs, admin_id), name="first")
    second = threading.Thread(target=save, args=(mine, editor_id), name="second")
    first.start()
    assert first_inside.wait(10)
    second.start()
    deadline = time.monotonic() + (10 if engine.dialect.name == "postgresql" else 0.5)
    while not _lock_waiters(engine) and time.monotonic() < deadline:
        time.sleep(0.05)
    release.set()
    first.join(20)
    second.join(20)

    assert isinstance(outcome["first"], SourceUpdate), outcome["first"]
    conflict = outcome["second"]
    assert isinstance(conflict, SourceConflict), repr(conflict)
    assert "Ada saved English version 2 while you were editing version 1" in str(conflict)
    assert (conflict.theirs, conflict.yours) == (theirs, mine)
    with Session(engine) as session:
        assert english(session, story_id) == theirs
        assert [v.number for v, _ in source_versions(session, story_id)] == [2, 1]


def test_a_translator_saving_while_an_editor_corrects_the_english_both_go_through(
    shared_desk, monkeypatch
):
    """The save and the correction touch the same story and translation: each write takes its
    locks story first, so on PostgreSQL the second waits for the first instead of the two
    deadlocking (which refused one of them with "the database is busy")."""
    engine, story_id, editor_id, _ = shared_desk
    with Session(engine) as session:
        translator = add_person(session, name="Tanya", role=Role.TRANSLATOR, languages=["ru"])
        translator_id = translator.id
        t = translations(session, story_id, "ru")[2]
        save_translation(
            session, translation_id=t.id, text="Первый перевод.", person=translator,
            base_lock_version=t.lock_version,
        )  # fmt: skip
        t = translations(session, story_id, "ru")[2]
        t_id, t_counter = t.id, t.lock_version
        corrected = english(session, story_id)
    corrected[2] = corrected[2].rstrip(".")  # a minor edit: the translation is carried over

    # The save stops after its first writes (the checks take this long on a long paragraph).
    save_inside, release = threading.Event(), threading.Event()
    side_effects = writes._side_effects

    def side_effects_pausing_the_save(*args, **kwargs):
        if threading.current_thread().name == "save":
            save_inside.set()
            release.wait(10)
        return side_effects(*args, **kwargs)

    monkeypatch.setattr(writes, "_side_effects", side_effects_pausing_the_save)
    outcome = {}

    def run(name, work):
        with Session(engine) as own:
            try:
                outcome[name] = work(own)
            except Exception as exc:  # whatever it is, the assertions below show it
                outcome[name] = exc

    def save(own):
        return save_translation(
            own, translation_id=t_id, text="Перевод третьего абзаца.",
            person=own.get(Person, translator_id), base_lock_version=t_counter,
        )  # fmt: skip

    def correct(own):
        return update_source(
            own, story_id=story_id, paragraphs=corrected, person=own.get(Person, editor_id)
        )

    saving = threading.Thread(target=run, args=("save", save), name="save")
    correcting = threading.Thread(target=run, args=("correct", correct), name="correct")
    saving.start()
    assert save_inside.wait(10)
    correcting.start()
    deadline = time.monotonic() + (10 if engine.dialect.name == "postgresql" else 0.5)
    while not _lock_waiters(engine) and time.monotonic() < deadline:
        time.sleep(0.05)
    release.set()
    saving.join(20)
    correcting.join(20)

    assert not isinstance(outcome["save"], Exception), repr(outcome["save"])
    assert isinstance(outcome["correct"], SourceUpdate), repr(outcome["correct"])
    with Session(engine) as session:
        assert english(session, story_id) == corrected
        assert translations(session, story_id, "ru")[2].text == "Перевод третьего абзаца."
