"""Nothing anyone typed is rendered as Markdown: hostile text in every field a person can fill
(and in what files and engines bring in) is shown on every page, to every role, as text.

A Markdown image in a comment would load from any address in a colleague's browser; an icon
code or a colour directive would dress up a name; raw HTML would be markup. The pages hand
Streamlit Markdown in many places (text, captions, alerts, table cells, widget labels, help):
`markdown_sources` collects every one of them from the app's element tree, and `hazards` reads
each as a Markdown parser and as Streamlit's own plugins would.
"""

import html
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import responses
from markdown_it import MarkdownIt
from sqlmodel import Session, select

from tests.app_helpers import APP, open_app, paragraph_button, visible
from workflow.assignments import assign
from workflow.comments import answer, paragraph_threads
from workflow.database import open_database
from workflow.flags import override_flag
from workflow.formats import ParsedStory
from workflow.glossary import save_term
from workflow.memory import import_tmx
from workflow.models import Flag, Person, Translation
from workflow.people import add_person
from workflow.sources import current_paragraphs, latest_version, update_source
from workflow.states import Role
from workflow.stories import import_story
from workflow.translations import save_translation, send_back

GOOGLE = "https://translate.google.com/m"
EVIL = "evil.example"
# Each piece is a way Markdown (or Streamlit's additions to it) would do something with text.
HOSTILE = (
    f"![x](http://{EVIL}/x.png) [link](http://{EVIL}) http://{EVIL}/bare :material/home: "
    f':red[x] :fire: :streamlit: <img src=x onerror=alert(1)> =HYPERLINK("http://{EVIL}")'
)
MALLORY = f"Mallory ![m](http://{EVIL}/m.png) :material/home: :red[x] <b>bold</b>"
PAGES = {
    "home": "workflow/ui/home.py",
    "stories": "workflow/ui/stories.py",
    "progress": "workflow/ui/progress.py",
    "glossary": "workflow/ui/glossary.py",
    "audit": "workflow/ui/audit.py",
    "admin": "workflow/ui/admin.py",
}
DESK = "workflow/ui/desk.py"
ROLES = {
    "translator (ru)": "Dmitri Volkov",
    "translator (uk)": "Olena Shevchuk",
    "editor": "Irina Sokolova",
    "manager": "Tom Reyes",
    "admin": "Desk Admin",
    "the hostile editor": MALLORY,
}

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# What Streamlit's own Markdown plugins act on, as the payloads above spell it: icon codes and
# colour directives in the source itself; emoji shortcodes and its logo in the text a Markdown
# parser leaves (after backslash escapes are resolved); bare addresses, which GitHub's Markdown
# makes links.
IN_SOURCE = (":material/home", ":red[x]")
IN_TEXT = (":fire:", ":streamlit:", ":material_home:", f"://{EVIL}", f"@{EVIL}")


def hazards(source: str) -> list[str]:
    """What rendering `source` as Streamlit's Markdown would do besides showing text."""
    found = [pattern for pattern in IN_SOURCE if pattern in source]
    pending = list(_PARSER.parse(source))
    while pending:
        token = pending.pop()
        pending.extend(token.children or [])
        if token.type in ("link_open", "image", "html_inline", "html_block"):
            found.append(f"{token.type}: {token.content or token.attrs}")
        if token.type == "text":
            found.extend(
                f"{pattern} in {token.content}" for pattern in IN_TEXT if pattern in token.content
            )
    return found


# String fields Streamlit shows as plain text, never as Markdown (st.text, what a text box or a
# selectbox holds, a download's file name): they may hold people's text as it is. Any other
# string of any element or container (bodies, labels, help, captions, placeholders) is read.
PLAIN = {
    "text": {"body"},
    "text_area": {"value", "default"},
    "text_input": {"value", "default"},
    "selectbox": {"options", "default", "raw_value"},
    "multiselect": {"options", "default", "raw_values"},
    "download_button": {"file_name"},
}
NOT_TEXT = {"id", "form_id", "key", "icon", "color", "url", "deferred_file_id"}


def _strings(message, plain: set[str]) -> Iterator[tuple[str, str]]:
    for field, value in message.ListFields():
        if field.name in plain or field.name in NOT_TEXT:
            continue
        if field.type == field.TYPE_STRING:
            yield from (
                (field.name, item) for item in ([value] if isinstance(value, str) else value)
            )
        elif field.type == field.TYPE_MESSAGE:
            for item in [value] if hasattr(value, "ListFields") else value:
                yield from _strings(item, set())


def markdown_sources(at) -> list[tuple[str, str]]:
    """(where, source) of every string the page gives Streamlit to render as Markdown."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if kind == "table":
            table = node.value
            cells = [str(c) for c in table.columns] + [str(v) for v in table.to_numpy().ravel()]
            found.extend(("table cell", cell) for cell in cells)
        elif kind == "html":
            # The page's own markup (a style, the leave-page guard, the keyboard's scroll): never
            # Markdown, and never anyone's text.
            assert EVIL not in proto.body, proto.body
        elif kind not in ("dataframe", "arrow_data_frame", "vega_lite_chart") and proto:
            found.extend(
                (f"{kind}.{field}", s) for field, s in _strings(proto, PLAIN.get(kind, set()))
            )
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def assert_inert(at, where: str) -> int:
    """No Markdown source on the page does anything with hostile text; returns how many of them
    showed some (as text), so a test can tell it looked at pages that had it."""
    assert not at.exception, (where, [e.value for e in at.exception])
    sources = markdown_sources(at)
    bad = [(field, source, hazards(source)) for field, source in sources if hazards(source)]
    assert not bad, (where, bad)
    return sum(EVIL in visible(source) for _, source in sources)


@contextmanager
def _db() -> Iterator[Session]:
    engine = open_database()
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def _named(session: Session, name: str) -> Person:
    return session.exec(select(Person).where(Person.name == name)).one()


def plant_hostile_text() -> int:
    """A story whose every field a person fills holds hostile text; returns its id."""
    with _db() as session:
        irina = _named(session, "Irina Sokolova")
        admin = _named(session, "Desk Admin")
        mallory = add_person(
            session, name=MALLORY, role=Role.EDITOR, languages=["ru", "uk"],
            email="=hyperlink+mallory@evil.example", by=admin,
        )  # fmt: skip
        story = import_story(
            session,
            ParsedStory(
                headline=f"Headline {HOSTILE}",
                paragraphs=[f"The Pentagon said 3,000 troops {HOSTILE}", f"Second {HOSTILE}"],
                section=f"Section {HOSTILE}",
                date_line=f"Date {HOSTILE}",
            ),
            person=irina,
        )
        assert story.id is not None
        ru = list(
            session.exec(
                select(Translation)
                .where(Translation.story_id == story.id, Translation.lang == "ru")
                .order_by(Translation.paragraph_id)
            )
        )
        uk = session.exec(
            select(Translation).where(Translation.story_id == story.id, Translation.lang == "uk")
        ).first()
        assert uk is not None and uk.id is not None
        save_translation(
            session, translation_id=uk.id, text=f"Заголовок {HOSTILE}", person=mallory,
            base_lock_version=uk.lock_version,
        )  # fmt: skip
        # Without the 3,000 of the English: the numbers check flags it, quoting the text.
        numbers = ru[1]
        assert numbers.id is not None
        save_translation(
            session, translation_id=numbers.id, text=f"Пентагон {HOSTILE}", person=mallory,
            base_lock_version=numbers.lock_version,
        )  # fmt: skip
        flag = session.exec(select(Flag).where(Flag.translation_id == numbers.id)).first()
        assert flag is not None and flag.id is not None
        override_flag(session, flag_id=flag.id, person=irina, reason=f"Reason {HOSTILE}")
        second = ru[2]
        assert second.id is not None
        save_translation(
            session, translation_id=second.id, text=f"Второй {HOSTILE}", person=mallory,
            base_lock_version=second.lock_version,
        )  # fmt: skip
        send_back(session, translation_id=second.id, person=irina, comment=f"Comment {HOSTILE}")
        thread = paragraph_threads(session, story.id)[second.id]
        answer(session, comment_id=thread.comment.id, person=mallory, text=f"Answer {HOSTILE}")
        assign(
            session, story_id=story.id, lang="ru", person=irina, translator_id=mallory.id,
            reviewer_id=irina.id, due_at=datetime.now(UTC) - timedelta(hours=1),
        )  # fmt: skip
        save_term(
            session, person=irina, english=f"Term {HOSTILE}"[:200], note=f"Note {HOSTILE}",
            translations={"ru": f"Термин {HOSTILE}"[:200], "uk": f"Термін {HOSTILE}"[:200]},
        )  # fmt: skip
        # The English changes under the translations: the desk shows the diff, word by word.
        english = [p.text for p in current_paragraphs(session, story.id)]
        english[1] = english[1].replace("3,000", "4,000") + " ![new](http://evil.example/n.png)"
        update_source(
            session, story_id=story.id, paragraphs=english, person=mallory,
            based_on=latest_version(session, story.id),
        )  # fmt: skip
        tmx = (
            '<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body><tu>'
            f'<tuv xml:lang="en"><seg>{html.escape(HOSTILE)}</seg></tuv>'
            f'<tuv xml:lang="ru"><seg>{html.escape(HOSTILE)}</seg></tuv></tu></body></tmx>'
        )
        import_tmx(session, tmx.encode(), origin=f"{HOSTILE}.tmx", person=admin)
        return story.id


def _desk_views(name: str, story_id: int) -> Iterator[tuple[str, object]]:
    """The desk on the hostile story in each view, with every paragraph's history open."""
    at = open_app(name, page=DESK)
    at.selectbox(key="story_id").set_value(story_id).run()
    for view in ("read", "ru", "uk", "en"):
        at.radio(key="desk_view").set_value(view).run()
        yield f"desk, {view}", at
        if view in ("ru", "uk"):
            at.toggle(key="desk_history").set_value(True).run()
        histories = [t for t in at.toggle if t.key and t.key.startswith("history-")]
        if histories:
            for toggle in histories:
                toggle.set_value(True)
            at.run()
            yield f"desk, {view}, history", at


@pytest.mark.parametrize("role", ROLES)
def test_hostile_text_is_shown_as_text_on_every_page(demo_db, role):
    story_id = plant_hostile_text()
    name = ROLES[role]
    shown: dict[str, int] = {}
    for page, path in PAGES.items():
        if page == "admin" and role != "admin":
            continue  # not a page of theirs (see test_app_drafting)
        at = open_app(name, page=None if page == "home" else path)
        shown[page] = assert_inert(at, f"{role}, {page}")
    for where, at in _desk_views(name, story_id):
        shown[where] = assert_inert(at, f"{role}, {where}")
    # The pages did show the hostile text, as text: the test looked where it is.
    # (The reading view shows paragraphs with st.text, which is no Markdown at all.)
    assert shown["stories"] and shown["desk, ru, history"], shown


def test_the_paragraph_count_table_shows_an_imported_file_as_text(demo_db):
    story_id = plant_hostile_text()
    at = open_app("Irina Sokolova", page=DESK)
    at.selectbox(key="story_id").set_value(story_id).run()
    at.radio(key="desk_view").set_value("ru").run()
    (uploader,) = [u for u in at.file_uploader if u.key and u.key.startswith("exchange-file")]
    text = f"Один {HOSTILE}\n\nДва {HOSTILE}".encode()
    uploader.set_value((f"{HOSTILE}.txt", text, "text/plain"))
    next(b for b in at.get("form_submit_button") if b.label == "Import").click().run()
    assert at.table, "the file's paragraphs beside the English"
    assert assert_inert(at, "paragraph-count table")
    cells = [str(v) for v in at.table[0].value.to_numpy().ravel()]
    assert any("Два" in visible(cell) and EVIL in visible(cell) for cell in cells)


def test_a_conflict_names_whoever_saved_as_text(demo_db):
    story_id = plant_hostile_text()
    with _db() as session:
        mallory = _named(session, MALLORY)
        t = session.exec(
            select(Translation)
            .where(Translation.story_id == story_id, Translation.lang == "uk")
            .order_by(Translation.paragraph_id)
        ).all()[1]
    at = open_app("Irina Sokolova", page=DESK)
    at.selectbox(key="story_id").set_value(story_id).run()
    at.radio(key="desk_view").set_value("uk").run()
    at.text_area(key=f"text-{t.id}").input("Мій текст.").run()
    with _db() as session:
        save_translation(
            session, translation_id=t.id, text=f"Їхній {HOSTILE}", person=mallory,
            base_lock_version=t.lock_version,
        )  # fmt: skip
    paragraph_button(at, "Save", t.id).click().run()
    assert any("saved this paragraph" in w.value for w in at.warning)
    assert any(visible(w.value).startswith(MALLORY) for w in at.warning)
    assert_inert(at, "conflict")


@responses.activate
def test_what_the_admin_page_says_back_is_text(demo_db):
    responses.get(GOOGLE, body=f'<div class="result-container">{html.escape(HOSTILE)}</div>')
    at = open_app("Desk Admin", page=PAGES["admin"])
    add = [w for w in at.text_input if w.form_id == "add_person"]
    add[0].input(f"Eve {HOSTILE}"[:120])
    add[1].input("eve@desk.example")
    next(b for b in at.button if b.label == "Add").click().run()
    assert any("works at the desk now" in s.value for s in at.success)
    assert assert_inert(at, "a person added")
    add = [w for w in at.text_input if w.form_id == "add_person"]
    add[0].input("Someone else")
    add[1].input(f"{HOSTILE}@desk.example")
    next(b for b in at.button if b.label == "Add").click().run()
    assert any("is not an e-mail address" in visible(e.value) for e in at.error)
    assert assert_inert(at, "an address refused")
    next(b for b in at.button if b.label == "Try the engine").click().run()
    assert [s.value[:2] for s in at.success] == ["ru", "uk"]  # the engine's reply, as text
    assert assert_inert(at, "the engine's reply")


def test_what_the_glossary_and_stories_pages_say_back_is_text(demo_db):
    at = open_app("Irina Sokolova", page=PAGES["glossary"])
    for label, value in (("English", "Term"), ("Russian", "Термин"), ("Note", "Note")):
        next(w for w in at.text_input if w.label == label).input(f"{value} {HOSTILE}"[:200])
    next(b for b in at.button if b.label == "Save").click().run()
    assert any(s.value.startswith("Saved") for s in at.success), [e.value for e in at.error]
    assert assert_inert(at, "a term saved")

    at = open_app("Irina Sokolova", page=PAGES["stories"])
    # A file's name has no slash (so no icon code); the rest of the hostile text fits in one.
    name = "![x](x.png) :fire: :red[x] <img src=x onerror=alert(1)>.docx"
    at.file_uploader[0].set_value((name, b"not a Word file", "application/zip"))
    at.main.button[-1].click().run()
    assert any(name in visible(e.value) for e in at.error), [e.value for e in at.error]
    assert_inert(at, "a file refused")


def test_the_dataframe_toolbar_offers_no_download():
    """Its CSV would carry cells such as =HYPERLINK(...) to a spreadsheet unguarded; the pages'
    own downloads guard them. Streamlit reads this file beside app.py wherever it is started."""
    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
