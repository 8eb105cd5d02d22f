"""History: every saved text with who, when and why; revert; the audit log and its filters."""

from datetime import timedelta

from tests.app_helpers import open_app, paragraph_button
from tests.conftest import translations
from workflow.audit import audit_log
from workflow.history import revision_history
from workflow.models import utcnow
from workflow.translations import approve_translation, revert_translation, save_translation


def _save(session, t, person, text):
    return save_translation(
        session, translation_id=t.id, text=text, person=person, base_lock_version=t.lock_version
    )


def test_revert_brings_back_an_earlier_text_as_a_new_revision(session, people, story):
    t = translations(session, story.id, "ru")[2]
    _save(session, t, people["translator"], "Об этом сообщает CNN.")
    _save(session, t, people["editor"], "Как сообщает CNN.")
    first = revision_history(session, t.id)[-1]

    reverted = revert_translation(
        session, revision_id=first.id, person=people["translator"], base_lock_version=t.lock_version
    )

    assert reverted.text == "Об этом сообщает CNN."
    history = revision_history(session, t.id)
    assert [(r.text, r.reason, r.author) for r in history] == [
        ("Об этом сообщает CNN.", "revert", "Tanya"),
        ("Как сообщает CNN.", "edit", "Eva"),
        ("Об этом сообщает CNN.", "edit", "Tanya"),
    ]


def test_audit_log_filters_by_story_person_and_date(session, people, story):
    t = translations(session, story.id, "ru")[0]
    _save(session, t, people["translator"], "Заголовок")
    approve_translation(session, translation_id=t.id, person=people["editor"])

    on_the_story = audit_log(session, story_id=story.id)
    assert [line.action for line in on_the_story] == ["approve", "save", "import story"]
    assert {line.headline for line in on_the_story} == {story.headline}
    # Tanya acted once on the story; the line adding her to the desk concerns her too.
    by_tanya = audit_log(session, person_id=people["translator"].id)
    assert [(line.action, line.who, line.concerns) for line in by_tanya] == [
        ("save", "Tanya", story.headline),
        ("add person", "Lockstep", "Tanya"),
    ]
    assert audit_log(session, story_id=story.id + 1) == []
    assert [line.action for line in audit_log(session, desk_wide=True)] == ["add person"] * 5
    tomorrow = utcnow() + timedelta(days=1)
    assert audit_log(session, since=tomorrow) == []
    assert len(audit_log(session, until=tomorrow)) == 3 + 5


def test_history_in_the_desk_and_revert(demo_db):
    at = open_app("Olena Shevchuk", view="uk")
    assert not [t for t in at.toggle if t.key.startswith("history-")]  # until asked for
    at.toggle(key="desk_history").set_value(True).run()
    box = next(
        b for b in at.text_area if b.key.startswith("text-") and b.value.startswith("Про це")
    )
    tid = box.key.removeprefix("text-")
    box.input("Як повідомляє CNN.").run()
    paragraph_button(at, "Save", tid).click().run()
    at.toggle(key=f"history-{tid}").set_value(True).run()

    captions = [c.value for c in at.caption if c.value.startswith("v")]
    assert captions[0].startswith("v2 · edit · Olena Shevchuk")
    assert captions[1].startswith("v1 · edit · Olena Shevchuk")
    revert = next(b for b in at.button if b.key and b.key.startswith(f"revert-{tid}-"))
    revert.click().run()

    assert at.text_area(key=f"text-{tid}").value == "Про це повідомляє CNN."
    assert any("Reverted" in s.value for s in at.success)


def test_audit_log_page_lists_actions_and_filters_by_person(demo_db):
    at = open_app("Tom Reyes")
    at.switch_page("workflow/ui/audit.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert {"approve", "save", "send back", "import story", "edit the English"} <= set(
        table["Action"]
    )
    olena = next(i for i, label in enumerate(at.selectbox[1].options) if "Olena" in label)
    at.selectbox[1].select_index(olena).run()
    rows = at.dataframe[0].value
    # What she did, and what was done to her (added to the desk when the demo loaded).
    assert set(rows["Who"]) == {"Olena Shevchuk", "Lockstep"}
    assert set(rows[rows["Who"] == "Lockstep"]["Concerns"]) == {"Olena Shevchuk"}


def test_audit_log_page_shows_desk_wide_lines_apart(demo_db):
    at = open_app("Tom Reyes")
    at.switch_page("workflow/ui/audit.py").run()
    desk_wide = at.selectbox[0].options.index("Desk-wide: people, settings, glossary, sign-ins")
    at.selectbox[0].select_index(desk_wide).run()
    assert not at.exception
    rows = at.dataframe[0].value
    # The demo's people; the first administrator's password too, where this process set it.
    assert "add person" in set(rows["Action"])
    assert set(rows["Action"]) <= {"add person", "set password"}
