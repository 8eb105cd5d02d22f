"""Flags kept on stored translations, the publish gate, and the exports of the seed story."""

import json
from pathlib import Path

import pytest
from sqlmodel import select

from workflow.cli import main
from workflow.demo import load_demo
from workflow.desk import desk_rows
from workflow.errors import InvalidTransition, OpenFlags, PermissionDenied, StaleTranslation
from workflow.exports import export_version
from workflow.flags import override_flag
from workflow.glossary import save_term
from workflow.models import Change, Person, Translation
from workflow.translations import approve_translation, save_translation
from workflow.versions import approve_version, publish_version

EXPECTED = Path(__file__).parent / "expected"
STALE = 4  # the demo's paragraph whose English figure was corrected after translation


def person(session, name):
    return session.exec(select(Person).where(Person.name == name)).one()


@pytest.fixture
def demo(session):
    return load_demo(session, week=False)


def russian(session, story, position):
    return desk_rows(session, story.id)[position].translations["ru"]


def correct_the_figure(session, story):
    t = russian(session, story, STALE)
    return save_translation(
        session, translation_id=t.id, text=t.text.replace("2500", "2000"),
        person=person(session, "Irina Sokolova"), base_lock_version=t.lock_version,
    )  # fmt: skip


def test_a_wrong_figure_is_flagged_on_the_paragraph_and_goes_when_fixed(session, demo):
    (flag,) = russian(session, demo, STALE).flags
    assert (flag.code, flag.severity.value) == ("numbers", "error")
    assert "2,000" in flag.message and "2500" in flag.message
    correct_the_figure(session, demo)
    assert russian(session, demo, STALE).flags == []


def test_approving_the_version_refuses_text_saved_after_the_editor_read_it(session, demo):
    from tests.conftest import stand_in_for
    from workflow.errors import VersionChanged
    from workflow.people import add_person
    from workflow.states import Role, TranslationState

    irina = person(session, "Irina Sokolova")
    correct_the_figure(session, demo)
    rows = desk_rows(session, demo.id)
    seen = {row.translations["ru"].id: row.translations["ru"].lock_version for row in rows}
    at = next(p for p, row in enumerate(rows) if row.translations["ru"].state.slug == "translated")
    t = russian(session, demo, at)
    boris = add_person(session, name="Boris", role=Role.EDITOR, languages=["ru"])
    stored = session.get_one(Translation, t.id)
    save_translation(
        session, translation_id=t.id, text=stand_in_for(session, stored, "Новый текст"),
        person=boris, base_lock_version=t.lock_version,
    )  # fmt: skip
    lines = session.exec(select(Change)).all()

    with pytest.raises(VersionChanged, match=rf"paragraph {at} \(Boris saved this paragraph\)"):
        approve_version(session, story_id=demo.id, lang="ru", person=irina, seen=seen)

    assert russian(session, demo, at).state is TranslationState.TRANSLATED
    assert session.exec(select(Change)).all() == lines
    seen[t.id] = russian(session, demo, at).lock_version  # the editor has read it now
    approve_version(session, story_id=demo.id, lang="ru", person=irina, seen=seen)
    assert russian(session, demo, at).state is TranslationState.APPROVED


def test_publishing_is_refused_while_stale_then_with_an_error_then_done(session, demo):
    irina = person(session, "Irina Sokolova")
    with pytest.raises(StaleTranslation, match=r"1 paragraph changed in English .*\(paragraph 4\)"):
        approve_version(session, story_id=demo.id, lang="ru", person=irina)
    # "Still valid" on the approved paragraph would keep its wrong figure approved: refused.
    from workflow.translations import confirm_translation

    t = russian(session, demo, STALE)
    with pytest.raises(OpenFlags, match="The English has 2,000"):
        confirm_translation(session, translation_id=t.id, person=irina)
    assert russian(session, demo, STALE).stale
    correct_the_figure(session, demo)
    approve_version(session, story_id=demo.id, lang="ru", person=irina)
    published = publish_version(session, story_id=demo.id, lang="ru", person=irina)
    assert published.state.slug == "published"
    last = session.exec(select(Change).order_by(Change.id.desc())).first()
    assert (last.action, last.person_id) == ("publish", irina.id)


def test_an_error_blocks_approving_the_paragraph_until_overridden_with_a_reason(session, demo):
    irina, dmitri = person(session, "Irina Sokolova"), person(session, "Dmitri Volkov")
    t = russian(session, demo, 11)  # translated, awaiting approval
    save_translation(
        session, translation_id=t.id, text=t.text.replace("8500", "8000"), person=irina,
        base_lock_version=t.lock_version,
    )  # fmt: skip
    with pytest.raises(OpenFlags, match="The English has 8,500"):
        approve_translation(session, translation_id=t.id, person=irina)
    (flag,) = russian(session, demo, 11).flags
    with pytest.raises(PermissionDenied):
        override_flag(session, flag_id=flag.id, person=dmitri, reason="Fine.")
    with pytest.raises(Exception, match="Say why"):
        override_flag(session, flag_id=flag.id, person=irina, reason="  ")
    override_flag(session, flag_id=flag.id, person=irina, reason="The source rounds it.")
    assert approve_translation(session, translation_id=t.id, person=irina).state.slug == (
        "approved"
    )
    (flag,) = russian(session, demo, 11).flags
    assert (flag.overridden_by, flag.override_reason) == ("Irina Sokolova", "The source rounds it.")
    log = session.exec(select(Change).where(Change.action == "override a flag")).one()
    assert log.comment == "numbers: The source rounds it."


def test_a_glossary_term_flags_the_paragraphs_that_miss_it(session, demo):
    irina = person(session, "Irina Sokolova")
    save_term(
        session,
        person=irina,
        english="Pentagon",
        translations={"ru": "Министерство обороны", "uk": "Пентагон"},
    )
    codes = {f.code for f in russian(session, demo, 1).flags}
    assert "glossary" in codes
    assert not {f.code for f in desk_rows(session, demo.id)[1].translations["uk"].flags}
    with pytest.raises(PermissionDenied):
        save_term(
            session,
            person=person(session, "Dmitri Volkov"),
            english="NATO",
            translations={"ru": "НАТО"},
        )


def test_only_an_approved_version_is_exported(session, demo):
    with pytest.raises(InvalidTransition, match="only a version an editor approved goes to"):
        export_version(session, demo.id, "uk", "md")


@pytest.fixture
def published_ru(session, demo):
    irina = person(session, "Irina Sokolova")
    correct_the_figure(session, demo)
    approve_version(session, story_id=demo.id, lang="ru", person=irina)
    publish_version(session, story_id=demo.id, lang="ru", person=irina)
    return demo


@pytest.mark.parametrize("name", ["md", "html"])
def test_the_seed_storys_russian_exports_exactly(session, published_ru, name):
    expected = (EXPECTED / f"seed-ru.{name}").read_text(encoding="utf-8")
    assert export_version(session, published_ru.id, "ru", name) == expected


def test_the_seed_storys_russian_json_export_is_its_ninjs_document(session, published_ru):
    document = json.loads(export_version(session, published_ru.id, "ru", "json"))
    moments = [document.pop(key) for key in ("firstcreated", "versioncreated")]
    note = document.pop("ednote")
    fingerprint = document["associations"][0].pop("version")
    expected = json.loads((EXPECTED / "seed-ru.json").read_text(encoding="utf-8"))
    assert document == expected
    assert all(moment.startswith("20") and moment.endswith("Z") for moment in moments)
    assert note.startswith("Published at the desk by Irina Sokolova on 20")
    assert len(fingerprint) == 64  # the English the published version vouches for


def test_a_translation_cannot_inject_markup_into_the_exports(session, published_ru):
    from workflow.settings import allow_self_review

    irina = person(session, "Irina Sokolova")
    allow_self_review(session, allowed=True, person=person(session, "Desk Admin"))
    t = russian(session, published_ru, 2)
    save_translation(
        session, translation_id=t.id, text="<script>alert(1)</script> # [CNN](http://x) *сообщает*",
        person=irina, base_lock_version=t.lock_version,
    )  # fmt: skip
    from workflow.flags import open_errors

    for flag in russian(session, published_ru, 2).flags:
        override_flag(session, flag_id=flag.id, person=irina, reason="A test of escaping.")
    assert open_errors(session, published_ru.id, "ru") == []
    approve_version(session, story_id=published_ru.id, lang="ru", person=irina)
    html_text = export_version(session, published_ru.id, "ru", "html")
    assert "<script>" not in html_text and "&lt;script&gt;" in html_text
    markdown = export_version(session, published_ru.id, "ru", "md")
    assert r"\[CNN\](http://x) \*сообщает\*" in markdown


def test_export_on_the_command_line(published_ru_db, capsys):
    code = main(["export", str(published_ru_db), "--lang", "ru", "--format", "md"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out == (EXPECTED / "seed-ru.md").read_text(encoding="utf-8")
    assert main(["export", str(published_ru_db), "--lang", "uk", "--format", "md"]) == 1


@pytest.fixture
def published_ru_db(db_url):
    from sqlmodel import Session

    from workflow.database import open_database

    engine = open_database(db_url)
    with Session(engine) as session:
        story = load_demo(session, week=False)
        irina = person(session, "Irina Sokolova")
        correct_the_figure(session, story)
        approve_version(session, story_id=story.id, lang="ru", person=irina)
        publish_version(session, story_id=story.id, lang="ru", person=irina)
        story_id = story.id
    engine.dispose()
    return story_id


def test_an_override_does_not_survive_a_new_text(session, demo):
    irina = person(session, "Irina Sokolova")
    t = russian(session, demo, 11)
    save_translation(
        session, translation_id=t.id, text=t.text.replace("8500", "8000"), person=irina,
        base_lock_version=t.lock_version,
    )  # fmt: skip
    (flag,) = russian(session, demo, 11).flags
    override_flag(session, flag_id=flag.id, person=irina, reason="Rounded in the source.")
    t = russian(session, demo, 11)
    save_translation(
        session, translation_id=t.id, text=t.text + " Это уточнение.", person=irina,
        base_lock_version=t.lock_version,
    )  # fmt: skip
    (flag,) = russian(session, demo, 11).flags
    assert flag.open and flag.code == "numbers"  # the same finding, on a new text: open again


def test_a_desk_upgraded_from_before_flags_has_its_translations_checked(tmp_path):
    from sqlalchemy import text
    from sqlmodel import Session

    from workflow.database import downgrade, open_database

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    engine = open_database(url)
    with Session(engine) as session:
        load_demo(session, week=False)
    downgrade(engine, "0003")  # as the desk was before flags
    engine.dispose()
    engine = open_database(url)
    with engine.connect() as connection:
        codes = connection.execute(text("SELECT code FROM flag")).scalars().all()
    engine.dispose()
    assert codes.count("numbers") == 2  # the demo's uncorrected figure, in both languages
