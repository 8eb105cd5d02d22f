"""Editing the English in the app: stale paragraphs stand out with their diff, and come back."""

from tests.app_helpers import (
    badges,
    button_labels,
    open_app,
    paragraph_button,
    paragraph_buttons,
    read_db,
    visible,
)


def _translation_boxes(at):
    return [box for box in at.text_area if box.key.startswith("text-")]


def _correct_figure(at, was: str = "3,000", now: str = "3,500"):
    """As an editor: change 3,000 to 3,500 in paragraph 1, one paragraph at a time."""
    at.radio(key="desk_view").set_value("en").run()
    # Keys name the story, the English version shown (the demo is at version 2), the paragraph.
    box = at.text_area(key="english-paragraph-1-2-1")
    box.input(box.value.replace(was, now)).run()
    at.button(key="english-save-1-2-1").click().run()
    assert not at.exception, at.exception


def test_editor_corrects_a_figure_and_sees_exactly_one_stale_paragraph(demo_db):
    at = open_app("Irina Sokolova")
    _correct_figure(at)
    (summary,) = at.success
    assert "12 unchanged, 1 changed" in summary.value
    # The demo already has one stale paragraph per language (a figure corrected earlier).
    assert "2 in Russian" in summary.value and "2 in Ukrainian" in summary.value

    at.radio(key="desk_view").set_value("ru").run()
    assert "2 paragraphs changed in English" in at.error[0].value
    assert badges(at).count(":red-badge[:material/warning: English changed since translation]") == 2
    diffs = [m.value for m in at.markdown if ":red[~~" in m.value]
    assert ":red[~~3,000~~] :green[**3,500**]" in diffs[0]
    assert ":red[~~2,500~~] :green[**2,000**]" in diffs[1]


def test_attention_filter_shows_only_what_needs_work(demo_db):
    at = open_app("Irina Sokolova")
    _correct_figure(at)
    at.radio(key="desk_view").set_value("ru").run()
    assert len(_translation_boxes(at)) == 13
    at.toggle(key="attention_only").set_value(True).run()
    # The two corrected paragraphs are stale; the rest are translated or approved.
    first, second = _translation_boxes(at)
    assert "3000" in first.value  # the Russian made from the old figure, kept as a start
    assert "2500" in second.value
    # Each now disagrees with its English in a figure: to be fixed, not vouched for.
    assert "Still valid" not in button_labels(at)


def test_translator_confirms_still_valid_and_the_flag_clears(demo_db):
    at = open_app("Irina Sokolova")
    _correct_figure(at, "announced Wednesday", "said on Wednesday")  # words: no figure moves
    at = open_app("Olena Shevchuk", view="uk")
    at.toggle(key="attention_only").set_value(True).run()
    stale_before = sum("English changed since translation" in b for b in badges(at))
    stale_id = next(iter(paragraph_buttons(at, "Still valid")))
    paragraph_button(at, "Still valid", stale_id).click().run()
    assert any("Confirmed: still valid." in visible(s.value) for s in at.success)
    at.run()  # the whole page, as the browser shows it (the click drew its paragraph alone)
    assert sum("English changed since translation" in b for b in badges(at)) == stale_before - 1


def test_translators_read_the_english_but_cannot_edit_it(demo_db):
    at = open_app("Dmitri Volkov", view="en")
    assert "Editors and admins edit the English" in at.caption[0].value
    assert not at.text_area
    assert "U.S. President Joe Biden has formally approved" in " ".join(t.value for t in at.text)


def test_versions_of_the_english_are_listed(demo_db):
    at = open_app("Irina Sokolova")
    _correct_figure(at)
    titles = [m.value for m in at.markdown if m.value.startswith("**Version")]
    # 1: as first imported, 2: the demo's earlier correction, 3: this one.
    assert len(titles) == 3 and titles[0].startswith("**Version 3**")


def test_a_second_editor_saving_another_paragraph_applies_the_change_to_theirs(demo_db):
    at = _english_open_while_a_colleague_saves()
    _add_to_paragraph(at, 5)
    assert not at.exception, at.exception
    (warning,) = at.warning
    assert "saved English version 3" in warning.value and "Your text was not saved" in warning.value
    versions = {m.value for m in at.expander[0].markdown}  # the versions' own comparison
    diffs = [
        m.value
        for m in at.markdown
        if (":green[**" in m.value or ":red[~~" in m.value) and m.value not in versions
    ]
    assert len(diffs) == 2  # only the two paragraphs that differ, not the whole story
    assert any("Reuters" in d for d in diffs) and any("Associated" in d for d in diffs)

    at.button(key="english-merge-1").click().run()
    assert not at.warning and "English version 4" in at.success[0].value
    english = read_db(_english)
    assert english[2].endswith("the Associated Press.")  # theirs stands
    assert english[5].endswith("Reuters confirmed it.")  # and so does mine
    assert at.text_area(key="english-paragraph-1-4-5").value == english[5]


def test_two_editors_changing_the_same_paragraph_choose_whose_text_stands(demo_db):
    at = _english_open_while_a_colleague_saves()
    _add_to_paragraph(at, 2)
    assert "You both changed the same paragraphs" in " ".join(c.value for c in at.caption)
    assert "Apply my change to their English" not in button_labels(at)

    at.button(key="english-take-1").click().run()
    assert not at.warning
    assert "Associated" in at.text_area(key="english-paragraph-1-3-2").value


def test_a_box_never_keeps_english_that_changed_since(demo_db):
    """After a colleague's save, the boxes show their English once asked: a stale text left in
    a box cannot be saved over theirs."""
    at = _english_open_while_a_colleague_saves()
    at.run()
    assert "Associated" not in at.text_area(key="english-paragraph-1-2-2").value
    at.button(key="english-refresh-1").click().run()
    assert "Associated" in at.text_area(key="english-paragraph-1-3-2").value
    whole = at.text_area(key="english-whole-text-1-3")
    assert "Associated" in whole.value


def _english_open_while_a_colleague_saves():
    """Irina has the English (version 2) open; meanwhile someone saves version 3 (paragraph 2)."""
    at = open_app("Irina Sokolova")
    at.radio(key="desk_view").set_value("en").run()
    read_db(lambda session: _save_theirs(session, story_id=1))
    return at


def _add_to_paragraph(at, position):
    """Irina adds a sentence to a paragraph of the version she opened and saves it."""
    box = at.text_area(key=f"english-paragraph-1-2-{position}")
    box.input(box.value + " Reuters confirmed it.").run()
    assert "English version 3 was saved while you had version 2 open" in at.info[0].value
    at.button(key=f"english-save-1-2-{position}").click().run()


def _english(session):
    from workflow.sources import current_paragraphs

    return [p.text for p in current_paragraphs(session, 1)]


def _save_theirs(session, story_id):
    from workflow.sources import current_paragraphs, update_source

    paragraphs = [p.text for p in current_paragraphs(session, story_id)]
    paragraphs[2] = paragraphs[2].rstrip(".") + " and the Associated Press."
    update_source(session, story_id=story_id, paragraphs=paragraphs, person=None)
