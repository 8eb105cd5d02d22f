"""Flags on the desk, overriding one, the glossary page, and the export downloads."""

from sqlmodel import Session, select

from tests.app_helpers import open_app, paragraph_boxes, paragraph_button, visible
from workflow.database import open_database
from workflow.desk import desk_rows
from workflow.glossary import TermSeen, list_terms, save_term, term_as_drawn
from workflow.models import Change, Person, Story

GLOSSARY = "workflow/ui/glossary.py"


def _story_id() -> int:
    engine = open_database()
    with Session(engine) as session:
        found = session.exec(select(Story.id)).first()
    engine.dispose()
    return found


def _flags(lang: str, position: int):
    engine = open_database()
    with Session(engine) as session:
        flags = desk_rows(session, _story_id())[position].translations[lang].flags
    engine.dispose()
    return flags


def flag_lines(at) -> list[str]:
    return [m.value for m in at.markdown if ":red[**" in m.value or ":orange[**" in m.value]


def test_the_desk_shows_a_wrong_figure_and_the_version_says_approval_waits(demo_db):
    at = open_app("Irina Sokolova", view="ru")
    (line,) = flag_lines(at)
    assert ":red[**numbers**]" in line and "2,000" in line and "2500" in line
    assert any("Checks found 1 error" in e.value and "paragraph 4" in e.value for e in at.error)


def test_an_editor_overrides_a_flag_with_a_reason(demo_db):
    (flag,) = _flags("ru", 4)
    at = open_app("Irina Sokolova", view="ru")
    at.text_input(key=f"override-reason-{flag.id}").input("The Pentagon's own rounding.")
    at.button(key=f"override-{flag.id}").click().run()
    assert not at.error or not any("Say why" in e.value for e in at.error)
    (flag,) = _flags("ru", 4)
    assert (flag.overridden_by, flag.override_reason) == (
        "Irina Sokolova",
        "The Pentagon's own rounding.",
    )
    assert not flag_lines(at)
    assert any("Overridden by Irina Sokolova" in c.value for c in at.caption)


def test_an_override_without_a_reason_is_refused(demo_db):
    (flag,) = _flags("ru", 4)
    at = open_app("Irina Sokolova", view="ru")
    at.button(key=f"override-{flag.id}").click().run()
    assert any("Say why the flag does not apply" in e.value for e in at.error)
    assert _flags("ru", 4)[0].open


def test_a_translator_sees_flags_but_cannot_override(demo_db):
    at = open_app("Olena Shevchuk", view="uk")
    assert flag_lines(at)  # the Ukrainian version has its own wrong figure
    assert not [b for b in at.button if (b.key or "").startswith("override-")]


def test_an_editor_adds_a_glossary_term_and_the_desk_flags_it(demo_db):
    at = open_app("Irina Sokolova", page=GLOSSARY)
    english, ru, uk, note = at.text_input[0], at.text_input[1], at.text_input[2], at.text_input[3]
    english.input("Pentagon")
    ru.input("Министерство обороны США")
    uk.input("Пентагон")
    note.input("House style since 2026.")
    next(b for b in at.button if b.label == "Save").click().run()
    assert any("Saved: Pentagon" in s.value for s in at.success)
    assert "Pentagon" in list(at.dataframe[0].value["English"])  # the table shows it at once
    assert any(f.code == "glossary" for f in _flags("ru", 1))
    assert not any(f.code == "glossary" for f in _flags("uk", 1))


def test_a_translator_reads_the_glossary_but_cannot_change_it(demo_db):
    at = open_app("Olena Shevchuk", page=GLOSSARY)
    assert [t.value for t in at.title] == ["Glossary"]
    assert not at.text_input


def test_an_approved_version_offers_its_exports(demo_db):
    at = open_app("Irina Sokolova", view="ru")
    # Correct the figure, then approve the version: the downloads appear.
    box = next(b for b in paragraph_boxes(at) if "2500" in b.value)
    box.input(box.value.replace("2500", "2000")).run()
    paragraph_button(at, "Save", box.key.removeprefix("text-")).click().run()
    at.button(key="version-approve version-ru").click().run()
    assert not at.error, [e.value for e in at.error]
    labels = [b.label for b in at.get("download_button")]
    assert labels[:3] == ["MD", "HTML", "JSON"]  # then the XLIFF, for work outside Lockstep
    engine = open_database()
    with Session(engine) as session:
        assert session.exec(select(Change).where(Change.action == "approve version")).first()
    engine.dispose()


def test_a_term_another_editor_changed_meanwhile_is_refused_and_the_typed_text_kept(demo_db):
    at = open_app("Irina Sokolova", page=GLOSSARY)
    at.text_input[0].input("Kyiv")
    at.text_input[1].input("Киев")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.error, [e.value for e in at.error]
    assert [w.value for w in at.text_input[:2]] == ["", ""]  # a new term's form empties once saved
    at.selectbox(key="glossary_term").set_value(_term_id("Kyiv")).run()
    _fix_russian("Киев (Kyiv)")  # another editor, meanwhile
    at.text_input[3].input("Capital of Ukraine.")
    next(b for b in at.button if b.label == "Save").click().run()
    assert "Irina Sokolova changed this term at" in visible(at.error[0].value)
    assert at.text_input[3].value == "Capital of Ukraine."  # what was typed stays
    assert _term("Kyiv")[1] == ("Kyiv", {"ru": "Киев (Kyiv)"}, "")  # theirs stands


def test_a_refused_new_term_keeps_what_was_typed(demo_db):
    at = open_app("Irina Sokolova", page=GLOSSARY)
    at.text_input[0].input("Kyiv")  # no rendering: refused
    next(b for b in at.button if b.label == "Save").click().run()
    assert "at least one translation" in at.error[0].value
    assert at.text_input[0].value == "Kyiv"


def _term(english: str) -> tuple[int, TermSeen]:
    engine = open_database()
    with Session(engine) as session:
        term = next(t for t in list_terms(session) if t.english == english)
        found = term.id, term_as_drawn(term)
    engine.dispose()
    return found


def _term_id(english: str) -> int:
    return _term(english)[0]


def _fix_russian(text: str) -> None:
    engine = open_database()
    with Session(engine) as session:
        term = next(t for t in list_terms(session) if t.english == "Kyiv")
        editor = session.exec(select(Person).where(Person.name == "Irina Sokolova")).one()
        save_term(
            session, person=editor, english="Kyiv", translations={"ru": text},
            term_id=term.id, seen=term_as_drawn(term),
        )  # fmt: skip
    engine.dispose()
