"""The review loop in the app: submit, send back with a comment, fix, approve, publish."""

from tests.app_helpers import (
    badges,
    button_labels,
    comments,
    english_of,
    open_app,
    paragraph_boxes,
    paragraph_button,
    paragraph_buttons,
    stand_in,
)


def _finish_ukrainian(at) -> None:
    """As Olena: fill every empty paragraph, accept the drafts, correct the stale figure.

    A paragraph's button draws only that paragraph (and the version's head) again; the browser
    keeps the rest on screen, and AppTest sees it after a run of the whole page."""
    for box in paragraph_boxes(at):
        tid = box.key.removeprefix("text-")
        if not box.value:
            at.text_area(key=box.key).input(stand_in(english_of(tid))).run()
            paragraph_button(at, "Save", tid).click().run()
            at.run()
    for tid in paragraph_buttons(at, "Mark translated"):
        paragraph_button(at, "Mark translated", tid).click().run()
        at.run()
    # The English corrected 2,500 to 2,000 after translation: so must the Ukrainian.
    stale = next(b for b in paragraph_boxes(at) if "2500" in b.value)
    stale.input(stale.value.replace("2500", "2000")).run()
    paragraph_button(at, "Save", stale.key.removeprefix("text-")).click().run()
    at.run()
    # The paragraph the editor sent back: answer it with the missing quote.
    if comments(at):
        box = next(b for b in paragraph_boxes(at) if b.value.startswith("Кірбі сказав"))
        box.input(box.value + " «Ці сили не воюватимуть в Україні»").run()
        paragraph_button(at, "Save", box.key.removeprefix("text-")).click().run()
        at.run()


def test_translator_submits_editor_sends_back_translator_fixes_editor_approves(demo_db):
    olena = open_app("Olena Shevchuk", view="uk")
    _finish_ukrainian(olena)
    olena.button(key="version-submit-uk").click().run()
    assert not olena.error, [e.value for e in olena.error]
    assert ":orange-badge[In review]" in badges(olena)

    irina = open_app("Irina Sokolova", view="uk")
    tid = next(iter(paragraph_buttons(irina, "Send back to translator")))
    irina.text_input(key=f"send-back-comment-{tid}").input("The headline needs a verb.").run()
    paragraph_button(irina, "Send back to translator", tid).click().run()
    assert ":gray-badge[In translation]" in badges(irina)  # back with the translator

    olena = open_app("Olena Shevchuk", view="uk")
    assert any("The headline needs a verb" in c for c in comments(olena))
    box = olena.text_area(key=f"text-{tid}")
    box.input(box.value + " сьогодні").run()
    paragraph_button(olena, "Save", tid).click().run()
    olena.text_area(key=f"answer-paragraph-{tid}").input("Added «сьогодні».")
    olena.button(key=f"answer-paragraph-{tid}-send").click().run()  # one run: a form
    assert not olena.error, [e.value for e in olena.error]
    assert olena.text_area(key=f"answer-paragraph-{tid}").value == ""  # sent, box emptied
    olena.button(key="version-submit-uk").click().run()
    assert not olena.error, [e.value for e in olena.error]

    irina = open_app("Irina Sokolova", view="uk")
    headline_thread = [c for c in comments(irina) if "Olena Shevchuk" in c]
    assert headline_thread and "Added «сьогодні»" in headline_thread[0]
    irina.button(key="version-approve version-uk").click().run()
    if "Approve anyway" in button_labels(irina):
        irina.button(key="approve-anyway-uk").click().run()
    assert not irina.error, [e.value for e in irina.error]
    assert ":green-badge[Approved]" in badges(irina)
    irina.button(key="version-publish-uk").click().run()
    assert ":violet-badge[Published]" in badges(irina)
