"""Editing the English in the app: stale paragraphs stand out with their diff, and come back."""

from tests.app_helpers import badges, button_labels, open_app, read_db, visible


def _translation_boxes(at):
    return [box for box in at.text_area if box.key.startswith("text-")]


def _correct_figure(at):
    """As an editor: change 3,000 to 3,500 in paragraph 1, one paragraph at a time."""
    at.radio(key="desk_view").set_value("en").run()
    box = at.text_area(key="english-paragraph-1-1")
    box.input(box.value.replace("3,000", "3,500")).run()
    at.button(key="english-save-1-1").click().run()
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
    assert "Still valid" in button_labels(at)


def test_translator_confirms_still_valid_and_the_flag_clears(demo_db):
    at = open_app("Irina Sokolova")
    _correct_figure(at)
    at = open_app("Olena Shevchuk", view="uk")
    at.toggle(key="attention_only").set_value(True).run()
    stale_before = sum("English changed since translation" in b for b in badges(at))
    stale_id = next(b.key for b in at.button if b.key and b.key.startswith("confirm-"))
    at.button(key=stale_id).click().run()
    assert any("Confirmed: still valid." in visible(s.value) for s in at.success)
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


def test_a_second_editor_saving_the_english_sees_both_texts_and_chooses(demo_db):
    at = open_app("Irina Sokolova")
    at.radio(key="desk_view").set_value("en").run()
    # Meanwhile someone else saves the English of the same story.
    read_db(lambda session: _save_theirs(session, story_id=1))

    box = at.text_area(key="english-paragraph-1-2")
    box.input(box.value + " Reuters confirmed it.").run()
    at.button(key="english-save-1-2").click().run()
    assert not at.exception, at.exception
    (warning,) = at.warning
    assert "saved English version" in warning.value and "Your text was not saved" in warning.value
    diff = next(m.value for m in at.markdown if ":green[**" in m.value)
    assert "Reuters" in diff and "Associated" in diff  # yours and theirs, side by side
    assert "Reuters" in at.text_area(key="english-paragraph-1-2").value  # still in the box

    at.button(key="english-take-1").click().run()
    assert not at.warning
    assert "Associated" in at.text_area(key="english-paragraph-1-2").value


def _save_theirs(session, story_id):
    from workflow.sources import current_paragraphs, update_source

    paragraphs = [p.text for p in current_paragraphs(session, story_id)]
    paragraphs[2] = paragraphs[2].rstrip(".") + " and the Associated Press."
    update_source(session, story_id=story_id, paragraphs=paragraphs, person=None)
