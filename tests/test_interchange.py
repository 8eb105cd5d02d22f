"""Translations in from files, out to CAT tools as XLIFF and back, and the memory as TMX."""

import io

import docx
import pytest
from sqlmodel import Session, func, select
from translate.storage import tmx, xliff

from tests.conftest import translations
from tests.test_cli import run
from workflow.database import open_database
from workflow.demo import load_demo
from workflow.drafts import exact_memory, similar_memory
from workflow.errors import InputError, PermissionDenied
from workflow.exchange import (
    ParagraphCountMismatch,
    export_xliff,
    import_paragraphs,
    import_xliff,
)
from workflow.memory import export_tmx, import_tmx
from workflow.models import (
    LanguageVersion,
    MemoryUnit,
    Person,
    Revision,
    Story,
    Suggestion,
    Translation,
)
from workflow.sources import current_paragraphs, update_source
from workflow.states import TranslationState, VersionState
from workflow.translations import save_translation

RUSSIAN = [
    "Наводнение перекрыло южную трассу",
    "Вода поднялась за ночь на два метра.",
    "Дороги к побережью закрыты.",
]


@pytest.fixture
def demo(session):
    return load_demo(session, week=False)


def person(session, name: str) -> Person:
    return session.exec(select(Person).where(Person.name == name)).one()


def revisions(session) -> int:
    return session.exec(select(func.count()).select_from(Revision)).one()


def small_story(session, editor: Person) -> Story:
    from workflow.formats import ParsedStory
    from workflow.stories import import_story

    english = ParsedStory(
        "Floods close the southern highway",
        ["Water rose by two metres overnight.", "Roads to the coast are closed."],
    )
    return import_story(session, english, person=editor)


# -- a translation sent back as a file ------------------------------------------------------


def test_a_translation_file_is_saved_by_position_as_the_importers_revisions(session, demo):
    story = small_story(session, person(session, "Irina Sokolova"))
    dmitri = person(session, "Dmitri Volkov")
    report = import_paragraphs(
        session, story_id=story.id, lang="ru", paragraphs=RUSSIAN, person=dmitri
    )
    assert report.saved == [0, 1, 2] and report.unchanged == 0
    stored = translations(session, story.id, "ru")
    assert [t.text for t in stored] == RUSSIAN
    assert {t.state for t in stored} == {TranslationState.TRANSLATED}
    assert {t.translated_by_id for t in stored} == {dmitri.id}
    made = session.exec(select(Revision).where(Revision.reason == "import")).all()
    assert len(made) == 3 and {r.author_id for r in made} == {dmitri.id}
    # The same file again changes nothing.
    again = import_paragraphs(
        session, story_id=story.id, lang="ru", paragraphs=RUSSIAN, person=dmitri
    )
    assert (again.saved, again.unchanged) == ([], 3)


def test_a_file_with_another_number_of_paragraphs_saves_nothing_and_shows_both(session, demo):
    story = small_story(session, person(session, "Irina Sokolova"))
    before = revisions(session)
    with pytest.raises(ParagraphCountMismatch) as refused:
        import_paragraphs(
            session, story_id=story.id, lang="ru", paragraphs=RUSSIAN[:2],
            person=person(session, "Dmitri Volkov"),
        )  # fmt: skip
    assert "The file has 2 paragraphs and the story has 3" in str(refused.value)
    assert refused.value.english[0] == "Floods close the southern highway"
    assert refused.value.imported == RUSSIAN[:2]
    assert revisions(session) == before


def test_a_translator_cannot_import_into_a_language_not_theirs(session, demo):
    story = small_story(session, person(session, "Irina Sokolova"))
    with pytest.raises(PermissionDenied):
        import_paragraphs(
            session, story_id=story.id, lang="ru", paragraphs=RUSSIAN,
            person=person(session, "Olena Shevchuk"),  # translates Ukrainian
        )  # fmt: skip
    assert all(t.text == "" for t in translations(session, story.id, "ru"))


# -- XLIFF ----------------------------------------------------------------------------------


def edited_in_another_tool(data: bytes, targets: dict[int, str]) -> bytes:
    """What a CAT tool does: the file read and written by translate-toolkit, targets changed."""
    document = xliff.xlifffile.parsestring(data)
    units = list(document.unit_iter())
    for index, text in targets.items():
        units[index].target = text
        units[index].markfuzzy(False)
    return bytes(document)


def test_xliff_carries_each_paragraph_with_its_state_and_notes(session, demo):
    data = export_xliff(session, demo.id, "uk")
    document = xliff.xlifffile.parsestring(data)
    assert b'version="1.2"' in data and b"urn:oasis:names:tc:xliff:document:1.2" in data
    assert document.getfilenames() == [f"lockstep-story-{demo.id}"]
    assert document.gettargetlanguage() == "uk"
    units = list(document.unit_iter())
    assert len(units) == 13
    states = [u.xmlelement.find(f"{{{xliff_ns()}}}target").get("state") for u in units]
    assert states[0] == "signed-off" and units[0].isapproved()
    assert "needs-translation" in states  # the empty Ukrainian paragraphs
    notes = " ".join(u.getnotes() for u in units)
    assert "The English changed after this was translated" in notes  # the demo's stale one
    assert "error:" in notes  # a check's finding travels with its paragraph


def xliff_ns() -> str:
    return "urn:oasis:names:tc:xliff:document:1.2"


def test_an_xliff_round_trip_saves_only_changed_units_as_revisions(session, demo):
    olena = person(session, "Olena Shevchuk")
    exported = export_xliff(session, demo.id, "uk")
    before = {t.id: t.text for t in translations(session, demo.id, "uk")}
    changed = edited_in_another_tool(
        exported, {8: "Новий переклад восьмого абзацу.", 9: "Новий переклад девʼятого абзацу."}
    )
    story_id, report = import_xliff(session, changed, person=olena)
    assert story_id == demo.id
    assert report.saved == [8, 9] and report.unchanged == 11 and not report.refused
    after = translations(session, demo.id, "uk")
    assert after[8].text == "Новий переклад восьмого абзацу."
    assert after[8].state is TranslationState.TRANSLATED and after[8].updated_by_id == olena.id
    assert {t.id: t.text for t in after if t.text != before[t.id]} == {
        after[8].id: after[8].text,
        after[9].id: after[9].text,
    }
    (revision,) = session.exec(
        select(Revision).where(Revision.translation_id == after[8].id, Revision.reason == "import")
    ).all()
    assert revision.author_id == olena.id


def test_a_unit_whose_english_changed_meanwhile_is_refused_and_named(session, demo):
    olena = person(session, "Olena Shevchuk")
    exported = export_xliff(session, demo.id, "uk")
    english = [p.text for p in current_paragraphs(session, demo.id)]
    english[8] = english[8] + " Officials confirmed it on Thursday."
    update_source(session, story_id=demo.id, paragraphs=english, person=None)
    changed = edited_in_another_tool(
        exported, {8: "Переклад старої англійської.", 9: "Новий переклад девʼятого абзацу."}
    )
    _, report = import_xliff(session, changed, person=olena)
    assert report.saved == [9]
    (refusal,) = report.refused
    assert refusal.startswith("paragraph 8") and "English changed" in refusal
    assert "Переклад старої" not in {t.text for t in translations(session, demo.id, "uk")}


def test_importing_into_an_approved_version_reopens_it_for_review(session, demo):
    irina = person(session, "Irina Sokolova")
    version = session.exec(
        select(LanguageVersion).where(
            LanguageVersion.story_id == demo.id, LanguageVersion.lang == "ru"
        )
    ).one()
    version.state = VersionState.APPROVED
    session.add(version)
    session.commit()
    changed = edited_in_another_tool(export_xliff(session, demo.id, "ru"), {1: "Новый текст."})
    import_xliff(session, changed, person=irina)
    session.refresh(version)
    assert version.state is VersionState.IN_REVIEW


BAD_XLIFF = {
    "not xml": (b"this is not xml at all", "not a readable XLIFF"),
    "truncated": (None, "not a readable XLIFF"),
    "entities": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<xliff version="1.2"/>',
        "declares XML entities",
    ),
    "not from lockstep": (
        b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        b'<file original="other.txt" source-language="en" target-language="uk" '
        b'datatype="plaintext"><body/></file></xliff>',
        "not exported by Lockstep",
    ),
    "wrong language": (None, "Lockstep translates into"),
    "empty": (b"", "empty"),
}


@pytest.mark.parametrize("kind", list(BAD_XLIFF))
def test_a_malformed_xliff_is_refused_and_changes_nothing(session, demo, kind):
    data, reason = BAD_XLIFF[kind]
    good = export_xliff(session, demo.id, "uk")
    if kind == "truncated":
        data = good[: len(good) // 2]
    if kind == "wrong language":
        data = good.replace(b'target-language="uk"', b'target-language="de"')
    before = revisions(session)
    with pytest.raises(InputError, match=reason):
        import_xliff(session, data, person=person(session, "Olena Shevchuk"))
    assert revisions(session) == before


# -- TMX ------------------------------------------------------------------------------------


def test_approved_pairs_go_out_as_tmx_and_come_back_as_memory_for_drafts(session, demo, tmp_path):
    data = export_tmx(session, demo.id)
    memory = tmx.tmxfile.parsestring(data)
    assert b'version="1.4"' in data
    units = list(memory.unit_iter())
    ru_approved = [
        t for t in translations(session, demo.id, "ru") if t.state is TranslationState.APPROVED
    ]
    assert len(units) >= len(ru_approved) - 1  # in step with the English: the stale one stays out
    first = units[0]
    assert first.source and first.target

    # Into another desk: its drafts take the memory for identical English.
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    with Session(other) as fresh:
        report = import_tmx(fresh, data, origin="desk.tmx", person=None)
        assert report.added == len(units) and report.known == 0
        again = import_tmx(fresh, data, origin="desk.tmx", person=None)
        assert (again.added, again.known) == (0, len(units))
        unit = fresh.exec(select(MemoryUnit)).first()
        assert unit.origin == "tmx:desk.tmx"
        assert exact_memory(fresh, unit.lang, unit.source_text, exclude=0) == unit.target
        similar = similar_memory(fresh, unit.lang, unit.source_text + " Indeed.", exclude=0)
        assert [text for text, _, _ in similar] == [unit.target]
    other.dispose()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<tmx version='1.4'><body><tu>", "not a readable TMX"),
        (b"<xliff/>", "not a TMX"),
        (b"   ", "empty"),
    ],
)
def test_a_malformed_tmx_is_refused_and_changes_nothing(session, data, reason):
    with pytest.raises(InputError, match=reason):
        import_tmx(session, data, origin="bad.tmx", person=None)
    assert session.exec(select(func.count()).select_from(MemoryUnit)).one() == 0


def test_a_translator_may_not_import_a_memory(session, demo):
    data = export_tmx(session, demo.id)
    with pytest.raises(PermissionDenied):
        import_tmx(session, data, origin="x.tmx", person=person(session, "Olena Shevchuk"))


# -- the command line -----------------------------------------------------------------------


def word_translation(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def new_story(capsys, tmp_path) -> int:
    english = tmp_path / "floods.txt"
    english.write_text(
        "Floods close the southern highway\n\nWater rose by two metres overnight.\n\n"
        "Roads to the coast are closed.\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", str(english))
    assert code == 0
    return int(out.split()[-1])


def test_command_line_imports_a_windows_1251_russian_file_and_a_word_file(
    demo_db, capsys, tmp_path
):
    story_id = new_story(capsys, tmp_path)
    cyrillic = tmp_path / "floods-ru.txt"
    cyrillic.write_bytes("\n\n".join(RUSSIAN).encode("cp1251"))
    args = ["--story", str(story_id), "--lang", "ru", "--by", "dmitri@desk.example"]
    code, out, err = run(capsys, "import", str(cyrillic), *args)
    assert code == 0, err
    assert "Russian: 3 paragraphs saved, 0 unchanged." in out
    ukrainian = tmp_path / "floods-uk.docx"
    ukrainian.write_bytes(
        word_translation(
            ["Повінь перекрила південну трасу", "Вода піднялася на два метри.", "Дороги закриті."]
        )
    )
    uk_args = ["--story", str(story_id), "--lang", "uk", "--by", "olena@desk.example"]
    code, out, err = run(capsys, "import", str(ukrainian), *uk_args)
    assert code == 0, err
    engine = open_database(demo_db)
    with Session(engine) as session:
        assert [t.text for t in translations(session, story_id, "ru")] == RUSSIAN
        assert translations(session, story_id, "uk")[2].text == "Дороги закриті."
    engine.dispose()

    short = tmp_path / "short.txt"
    short.write_text("Только заголовок\n\nИ один абзац.", encoding="utf-8")
    code, out, err = run(capsys, "import", str(short), *args)
    assert (code, out) == (1, "") and "The file has 2 paragraphs and the story has 3" in err
    code, _, err = run(capsys, "import", str(cyrillic), "--story", str(story_id), "--lang", "ru")
    assert code == 1 and "--by EMAIL" in err


def test_command_line_xliff_and_tmx_round_trip(demo_db, capsys, tmp_path):
    code, exported, err = run(capsys, "export", "1", "--lang", "uk", "--format", "xliff")
    assert code == 0, err
    path = tmp_path / "story-1-uk.xlf"
    path.write_bytes(edited_in_another_tool(exported.encode(), {3: "Про це пише CNN."}))
    code, out, err = run(capsys, "import", str(path), "--by", "olena@desk.example")
    assert code == 0, err
    assert out.startswith("Story 1, Ukrainian: 1 paragraph saved")

    code, memory, err = run(capsys, "export", "all", "--format", "tmx")
    assert code == 0 and "<tmx" in memory
    tmx_path = tmp_path / "desk.tmx"
    tmx_path.write_text(memory, encoding="utf-8")
    code, out, err = run(capsys, "import", str(tmx_path))
    # The desk's own approved pairs: drafts use them already, none is added twice.
    assert code == 0 and out.startswith("0 translations added to the memory, 12 already in it")
    code, _, err = run(capsys, "export", "1", "--format", "xliff")
    assert code == 1 and "--lang" in err


def test_the_database_is_untouched_when_an_import_is_refused(demo_db, capsys, tmp_path):
    engine = open_database(demo_db)
    with Session(engine) as session:
        texts = [t.text for t in session.exec(select(Translation).order_by(Translation.id))]
    bad = tmp_path / "bad.xlf"
    bad.write_bytes(b"<xliff version='1.2'><file original='lockstep-story-1'")
    code, out, err = run(capsys, "import", str(bad), "--by", "olena@desk.example")
    assert (code, out) == (1, "") and "not a readable XLIFF" in err
    with Session(engine) as session:
        assert [t.text for t in session.exec(select(Translation).order_by(Translation.id))] == texts
    engine.dispose()


# -- what the review found: files from real tools, and work done meanwhile ------------------


def test_an_xliff_never_undoes_what_was_saved_in_the_desk_after_the_export(session, demo):
    olena = person(session, "Olena Shevchuk")
    exported = export_xliff(session, demo.id, "uk")
    meanwhile = translations(session, demo.id, "uk")[2]
    save_translation(
        session, translation_id=meanwhile.id, text="Про це повідомляє CNN у вівторок.",
        person=olena, base_lock_version=meanwhile.lock_version,
    )  # fmt: skip
    # The file changed another paragraph only: the newer desk text stays.
    _, report = import_xliff(
        session, edited_in_another_tool(exported, {8: "Новий переклад."}), person=olena
    )
    assert report.saved == [8] and not report.conflicts
    assert translations(session, demo.id, "uk")[2].text == "Про це повідомляє CNN у вівторок."
    # The file changed that paragraph too: a conflict, the file's text kept in its history.
    _, report = import_xliff(
        session, edited_in_another_tool(exported, {2: "Текст з файлу."}), person=olena
    )
    assert report.conflicts == [2] and "someone saved them after the file was made: 2" in (
        report.summary()
    )
    assert translations(session, demo.id, "uk")[2].text == "Про це повідомляє CNN у вівторок."
    kept = session.exec(
        select(Revision).where(
            Revision.translation_id == meanwhile.id, Revision.reason == "conflict"
        )
    ).all()
    assert [r.text for r in kept] == ["Текст з файлу."]


def test_units_with_the_english_copied_into_the_target_are_not_translations(session, demo):
    exported = export_xliff(session, demo.id, "uk")
    document = xliff.xlifffile.parsestring(exported)
    empty = [u for u in document.unit_iter() if not u.target]
    for unit in empty:
        unit.target = unit.source  # what CAT tools do for units nobody translated yet
    _, report = import_xliff(session, bytes(document), person=person(session, "Olena Shevchuk"))
    assert report.saved == [] and report.unchanged == 13


def test_a_refused_units_text_is_offered_beside_its_paragraph(session, demo):
    exported = export_xliff(session, demo.id, "uk")
    english = [p.text for p in current_paragraphs(session, demo.id)]
    english[8] = english[8] + " Officials confirmed it."
    update_source(session, story_id=demo.id, paragraphs=english, person=None)
    import_xliff(
        session, edited_in_another_tool(exported, {8: "Переклад, що прийшов пізно."}),
        person=person(session, "Olena Shevchuk"),
    )  # fmt: skip
    target = translations(session, demo.id, "uk")[8]
    offered = session.exec(select(Suggestion).where(Suggestion.translation_id == target.id)).all()
    assert [(s.text, s.origin) for s in offered] == [("Переклад, що прийшов пізно.", "import")]


def test_an_older_tmx_with_lang_attributes_and_formatting_codes_is_read(session):
    data = (
        '<?xml version="1.0"?><tmx version="1.1"><header srclang="EN-US" adminlang="en" '
        'creationtool="old" creationtoolversion="1" segtype="sentence" o-tmf="x" '
        'datatype="plaintext"/><body>'
        '<tu><tuv lang="EN-US"><seg>Hello <bpt i="1">&lt;b&gt;</bpt>world<ept i="1">&lt;/b&gt;'
        '</ept>.</seg></tuv><tuv lang="UA"><seg>Привіт, <bpt i="1">&lt;b&gt;</bpt>світе'
        '<ept i="1">&lt;/b&gt;</ept>.</seg></tuv><tuv lang="RUS"><seg>Привет, мир.</seg></tuv>'
        "</tu></body></tmx>"
    ).encode()
    report = import_tmx(session, data, origin="old.tmx", person=None)
    assert (report.added, report.skipped) == (2, 0)
    stored = {u.lang: (u.source_text, u.target) for u in session.exec(select(MemoryUnit))}
    assert stored == {
        "uk": ("Hello world.", "Привіт, світе."),
        "ru": ("Hello world.", "Привет, мир."),
    }


def test_a_long_paragraph_fits_the_memory(session):
    long_text = "Очень длинный абзац. " * 400  # far past a B-tree entry's limit on PostgreSQL
    data = (
        '<tmx version="1.4"><header srclang="en" adminlang="en" creationtool="x" '
        'creationtoolversion="1" segtype="paragraph" o-tmf="x" datatype="plaintext"/><body><tu>'
        f'<tuv xml:lang="en"><seg>{"A very long paragraph. " * 400}</seg></tuv>'
        f'<tuv xml:lang="ru"><seg>{long_text}</seg></tuv></tu></body></tmx>'
    ).encode()
    assert import_tmx(session, data, origin="long.tmx", person=None).added == 1


def test_the_command_line_refuses_story_and_language_for_an_xliff(demo_db, capsys, tmp_path):
    code, exported, _ = run(capsys, "export", "1", "--lang", "uk", "--format", "xliff")
    path = tmp_path / "x.xlf"
    path.write_text(exported, encoding="utf-8")
    code, out, err = run(capsys, "import", str(path), "--story", "1", "--lang", "uk")
    assert (code, out) == (1, "") and "names its own story and language" in err


def test_an_import_that_fails_half_way_saves_nothing(session, demo, monkeypatch):
    import workflow.exchange

    story = small_story(session, person(session, "Irina Sokolova"))
    saves = []

    real = workflow.exchange.apply

    def save_then_fail(*args, **kwargs):
        if saves:
            raise RuntimeError("the disk is full")
        saves.append(real(*args, **kwargs))

    monkeypatch.setattr(workflow.exchange, "apply", save_then_fail)
    before = revisions(session)
    with pytest.raises(RuntimeError):
        import_paragraphs(
            session, story_id=story.id, lang="ru", paragraphs=RUSSIAN,
            person=person(session, "Dmitri Volkov"),
        )  # fmt: skip
    assert len(saves) == 1  # the first paragraph was saved, then the import failed
    session.expire_all()
    assert revisions(session) == before
    assert [t.text for t in translations(session, story.id, "ru")] == ["", "", ""]
