"""Presence at the desk (Streamlit AppTest): two people, each their own session of the app on
one database (on PostgreSQL too, as two app processes would be), see each other on the story,
the version and the paragraph; the second is asked before editing the first one's paragraph,
and "Edit anyway" is told to the first; leaving frees the paragraph."""

import re

from sqlmodel import select

from tests.app_helpers import open_app, paragraph_button, read_db, visible
from workflow.models import Person, Translation
from workflow.presence import focus, on_paragraph

UK_CNN = "Про це повідомляє CNN."  # the demo's Ukrainian paragraph 2
OLENA, IRINA = "Olena Shevchuk", "Irina Sokolova"


def _cnn() -> int:
    return read_db(lambda s: s.exec(select(Translation.id).where(Translation.text == UK_CNN)).one())


def _said(at) -> list[str]:
    return [visible(e.value) for e in (*at.caption, *at.warning, *at.markdown)]


def _olena_types_in_the_paragraph(tid: int):
    olena = open_app(OLENA, view="uk")
    olena.text_area(key=f"text-{tid}").input(UK_CNN + " Ще речення.").run()  # and leaves it
    olena.run()  # her next beat
    assert not olena.exception, olena.exception
    return olena


def test_the_second_person_sees_the_first_on_the_paragraph_and_is_asked_first(demo_db):
    tid = _cnn()
    olena = _olena_types_in_the_paragraph(tid)

    irina = open_app(IRINA, view="uk")

    said = _said(irina)
    assert any(f"{OLENA} is in the Ukrainian version" in s for s in said)
    asked = [s for s in said if s.startswith(f"{OLENA} is editing this paragraph since ")]
    assert asked and asked[0].endswith(", unsaved changes.")
    assert irina.text_area(key=f"text-{tid}").disabled  # closed until she chooses
    assert [b.label for b in irina.button if b.label in ("Edit anyway", "Wait")] == [
        "Edit anyway",
        "Wait",
    ]
    assert not olena.text_area(key=f"text-{tid}").disabled  # the first is never asked


def test_the_story_picker_names_who_else_is_on_each_story(demo_db):
    _olena_types_in_the_paragraph(_cnn())
    irina = open_app(IRINA, view="uk")
    (picker,) = [s for s in irina.selectbox if s.label == "Story"]
    marked = [label for label in picker.options if label.endswith(" here")]
    assert len(marked) == 1 and marked[0].endswith(f" · {OLENA} here")  # her story alone
    olena_again = open_app(OLENA, view="uk")  # her own picker names Irina, never herself
    (own,) = [s for s in olena_again.selectbox if s.label == "Story"]
    assert [label.rsplit(" · ", 1)[1] for label in own.options if label.endswith(" here")] == [
        f"{IRINA} here"
    ]


def test_edit_anyway_opens_the_box_and_is_told_to_the_first_on_her_next_beat(demo_db):
    tid = _cnn()
    olena = _olena_types_in_the_paragraph(tid)
    irina = open_app(IRINA, view="uk")

    next(b for b in irina.button if b.label == "Edit anyway").click().run()

    assert not irina.text_area(key=f"text-{tid}").disabled
    assert not any(s.startswith(f"{OLENA} is editing this paragraph since") for s in _said(irina))
    olena.run()
    told = [s for s in _said(olena) if s.startswith(f"{IRINA} chose to edit this paragraph")]
    assert told, _said(olena)
    assert olena.text_area(key=f"text-{tid}").value == UK_CNN + " Ще речення."  # kept


def test_wait_keeps_the_box_closed_until_the_first_leaves_the_desk(demo_db):
    tid = _cnn()
    olena = _olena_types_in_the_paragraph(tid)
    irina = open_app(IRINA, view="uk")
    next(b for b in irina.button if b.label == "Wait").click().run()
    assert irina.text_area(key=f"text-{tid}").disabled
    assert any("the box opens when" in s for s in _said(irina))

    olena.switch_page("workflow/ui/progress.py").run()  # she left the desk
    irina.run()

    assert not irina.text_area(key=f"text-{tid}").disabled
    assert not any(s.endswith(f"{OLENA} is in the Ukrainian version") for s in _said(irina))


def test_the_progress_page_says_who_is_in_each_version(demo_db):
    _olena_types_in_the_paragraph(_cnn())

    irina = open_app(IRINA, page="workflow/ui/progress.py")

    table = irina.dataframe[0].value
    here = dict(zip(table["Language"], table["Here now"], strict=True))
    assert here["Ukrainian"] == f"{OLENA} (editing)"
    assert here["Russian"] == ""


def test_a_name_is_shown_as_written_never_as_markup(demo_db):
    tid = _cnn()
    odd = "**Olena** [x](javascript:alert(1)) <b>"

    def rename(session):
        olena = session.exec(select(Person).where(Person.name == OLENA)).one()
        olena.name = odd
        session.add(olena)
        session.commit()

    read_db(rename)
    olena = open_app(odd, view="uk")
    olena.text_area(key=f"text-{tid}").input("Текст.").run()
    irina = open_app(IRINA, view="uk")

    assert any(s.startswith(f"{odd} is editing this paragraph") for s in _said(irina))
    raw = [e.value for e in irina.warning if "is editing this paragraph" in e.value]
    assert "**Olena**" not in raw[0] and "](" not in raw[0]


def test_a_choice_to_edit_anyway_is_forgotten_once_nobody_else_holds_the_paragraph(demo_db):
    tid = _cnn()
    olena = _olena_types_in_the_paragraph(tid)
    irina = open_app(IRINA, view="uk")
    next(b for b in irina.button if b.label == "Edit anyway").click().run()
    assert tid in irina.session_state["presence-anyway"]

    paragraph_button(olena, "Save", tid).click().run()  # she saved: nothing of hers at stake
    olena.run()  # her next beat says so
    irina.run()  # Irina's next beat

    assert tid not in irina.session_state["presence-anyway"]
    assert any(s.endswith(f"{OLENA} is editing this paragraph") for s in _said(irina))
    assert not irina.text_area(key=f"text-{tid}").disabled


def _another_paragraph(tid: int) -> int:
    """Another Ukrainian paragraph of the story that holds the paragraph `tid`."""

    def query(session):
        t = session.get(Translation, tid)
        return session.exec(
            select(Translation.id).where(
                Translation.story_id == t.story_id, Translation.lang == "uk", Translation.id != tid
            )
        ).first()

    return read_db(query)


def _asked(at, tid: int) -> bool:
    questions = (f"{OLENA} is editing this paragraph since ", f"{OLENA} left unsaved text in")
    asked = any(s.startswith(questions) for s in _said(at))
    return asked and at.text_area(key=f"text-{tid}").disabled


def test_unsaved_text_still_holds_its_paragraph_when_its_person_clicks_into_another(demo_db):
    tid = _cnn()
    olena = _olena_types_in_the_paragraph(tid)
    elsewhere = _another_paragraph(tid)

    def clicks_into_another_box(session):  # the page's own report: focus, no keystroke
        person = session.exec(select(Person).where(Person.name == OLENA)).one()
        focus(session, desk=olena.session_state["presence-desk"], person=person,
              translation_id=elsewhere, focused=True)  # fmt: skip

    read_db(clicks_into_another_box)
    olena.run()  # her next beat: she is on the other paragraph now
    irina = open_app(IRINA, view="uk")

    assert _asked(irina, tid)  # her text is still in her box: Irina is asked first
    assert not irina.text_area(key=f"text-{elsewhere}").disabled  # nothing typed there
    # She is not typing there: the question says where her text is, and since when.
    asked = [s for s in _said(irina) if s.startswith(f"{OLENA} left unsaved text in this")]
    assert asked and "and is still in this version" in asked[0]
    assert re.search(r" at \d\d:\d\d, ", asked[0])


def test_edit_anyway_is_asked_again_once_its_maker_left_the_paragraph(demo_db):
    tid = _cnn()
    _olena_types_in_the_paragraph(tid)
    irina = open_app(IRINA, view="uk")
    next(b for b in irina.button if b.label == "Edit anyway").click().run()
    assert not _asked(irina, tid)

    elsewhere = irina.text_area(key=f"text-{_another_paragraph(tid)}")
    elsewhere.input(elsewhere.value + " Ще.").run()  # she went on to another paragraph
    irina.run()  # her next beat

    assert tid not in irina.session_state["presence-anyway"]
    assert _asked(irina, tid)  # Olena still holds it: Irina is asked again


def test_edit_anyway_is_asked_again_after_its_maker_left_the_version(demo_db):
    tid = _cnn()
    _olena_types_in_the_paragraph(tid)
    irina = open_app(IRINA, view="uk")
    next(b for b in irina.button if b.label == "Edit anyway").click().run()

    irina.radio(key="desk_view").set_value("read").run()
    irina.radio(key="desk_view").set_value("uk").run()

    assert _asked(irina, tid)


def test_a_save_from_the_keyboard_clears_unsaved_changes_while_the_box_keeps_the_focus(demo_db):
    tid = _cnn()
    olena = _olena_types_in_the_paragraph(tid)

    def types_on(session):  # the page's own report: her box has the focus, and she typed
        person = session.exec(select(Person).where(Person.name == OLENA)).one()
        focus(session, desk=olena.session_state["presence-desk"], person=person,
              translation_id=tid, focused=True, typed=True)  # fmt: skip

    read_db(types_on)
    olena.button(key="key-save-next").click().run()  # Ctrl+Enter: the focus stays in her box
    olena.run()  # her next beat, the box still focused
    irina = open_app(IRINA, view="uk")

    [here] = read_db(lambda s: on_paragraph(s, tid))
    assert (here.name, here.focused, here.unsaved) == (OLENA, True, False)
    assert not _asked(irina, tid)
    assert any(s.endswith(f"{OLENA} is editing this paragraph") for s in _said(irina))


def _irina_saves(tid: int, text: str) -> None:
    from workflow.translations import save_translation

    def save(session) -> None:
        irina = session.exec(select(Person).where(Person.name == IRINA)).one()
        base = session.get(Translation, tid).lock_version
        save_translation(session, translation_id=tid, text=text, person=irina,
                         base_lock_version=base)  # fmt: skip

    read_db(save)


def test_unsaved_text_over_a_colleagues_save_is_warned_of_before_saving(demo_db):
    tid = _cnn()
    olena = open_app(OLENA, view="uk")
    mine = UK_CNN + " Моє речення."
    olena.text_area(key=f"text-{tid}").input(mine).run()

    _irina_saves(tid, UK_CNN + " Речення Ірини.")
    olena.run()

    warned = [visible(w.value) for w in olena.warning if "since you started editing" in w.value]
    assert warned and f"(last: {IRINA} saved this paragraph at " in warned[0]
    assert warned[0].endswith("saving shows both texts, to keep yours or take theirs.")
    assert olena.text_area(key=f"text-{tid}").value == mine  # hers, until she chooses

    paragraph_button(olena, "Save", tid).click().run()  # the save's own check still holds
    assert any(b.label == "Keep mine" for b in olena.button)
    assert not any("since you started editing" in w.value for w in olena.warning)


def test_a_colleague_holding_two_paragraphs_is_asked_about_in_each(demo_db):
    tid = _cnn()
    olena = _olena_types_in_the_paragraph(tid)
    elsewhere = _another_paragraph(tid)
    box = olena.text_area(key=f"text-{elsewhere}")
    box.input(box.value + " Ще одне.").run()  # unsaved text left in a second paragraph too
    olena.run()

    irina = open_app(IRINA, view="uk")

    assert not irina.exception, irina.exception
    assert _asked(irina, tid) and _asked(irina, elsewhere)
    assert [b.label for b in irina.button].count("Edit anyway") == 2
    irina.button(key=f"edit-anyway-{elsewhere}").click().run()  # one of them, this one alone
    assert not irina.text_area(key=f"text-{elsewhere}").disabled
    assert _asked(irina, tid)
