"""Driving the app as a person would, through Streamlit's AppTest."""

import re
from pathlib import Path
from typing import TypeVar

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Button, Node, TextArea

from tests.conftest import stand_in  # noqa: F401  (the browser tests use it from here)
from workflow.database import open_database
from workflow.models import Person

T = TypeVar("T")
APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60


DEMO_EDITOR = "Irina Sokolova"
DESK = "workflow/ui/desk.py"


def open_app(
    person_name: str | None = DEMO_EDITOR, view: str | None = None, page: str | None = DESK
) -> AppTest:
    """The app on `DATABASE_URL` (set by the `db_url` fixture), signed in as the named person
    (None: nobody signed in) and on the given page (None: the home page).

    Signing in through the form is tested in test_app_signin; here the session starts signed
    in, as after that form.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if person_name is not None:
        at.session_state["person_id"] = person_id(person_name)
    at.run()
    if page is not None and person_name is not None:
        at.switch_page(page).run()
    if view is not None:
        at.radio(key="desk_view").set_value(view).run()
    assert not at.exception, at.exception
    return at


def desk_at(address: dict[str, str], person: str = DEMO_EDITOR) -> AppTest:
    """The desk opened from an address such as `?story=1&view=uk` (a reload, a shared link)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["person_id"] = person_id(person)
    at.run()
    at.switch_page("workflow/ui/desk.py")
    at.query_params.update(address)
    at.run()
    assert not at.exception, at.exception
    return at


def read_db(query):
    """Run `query(session)` on the app's database (`DATABASE_URL`) and return its result."""
    engine = open_database()
    with Session(engine) as session:
        found = query(session)
    engine.dispose()
    return found


def person_id(name: str) -> int:
    engine = open_database()
    with Session(engine) as session:
        found = session.exec(select(Person.id).where(Person.name == name)).one()
    engine.dispose()
    return found


def paragraph_button(at: AppTest, label: str, translation_id: int | str) -> Button:
    """The button labelled `label` beside the box of a translation, as a person finds it: the
    desk's paragraph buttons have no keys (see workflow/ui/paragraph.py `_buttons`)."""
    box = f"text-{translation_id}"
    found = _beside(at._tree, box, label)
    assert found is not None, f"no {label!r} button beside {box}"
    return found


def paragraph_buttons(at: AppTest, label: str) -> dict[str, Button]:
    """Every button labelled `label` on the desk, by the translation id of the box beside it."""
    ids = [str(box.key).removeprefix("text-") for box in at.text_area if is_paragraph_box(box)]
    return {tid: b for tid in ids if (b := _beside(at._tree, f"text-{tid}", label)) is not None}


def is_paragraph_box(box: TextArea) -> bool:
    return (box.key or "").startswith("text-")


def _beside(node: Node, box_key: str, label: str) -> Button | None:
    """In the innermost block under `node` holding the box keyed `box_key`, the button labelled
    `label` (None if that block has no such button)."""
    if not isinstance(node, Block) or not _holds_box(node, box_key):
        return None
    for child in node.children.values():
        if (inner := _beside(child, box_key, label)) is not None:
            return inner
        if isinstance(child, Block) and _holds_box(child, box_key):
            return None  # the box's own block has no such button: nor has this one
    return next((b for b in _descendants(node, Button) if b.label == label), None)


def _holds_box(node: Node, box_key: str) -> bool:
    return any(box.key == box_key for box in _descendants(node, TextArea))


def _descendants(node: Node, kind: type[T]) -> list[T]:
    if isinstance(node, kind):
        return [node]
    if isinstance(node, Block):
        return [found for child in node.children.values() for found in _descendants(child, kind)]
    return []


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


# One badge in Markdown: `:blue-badge[Translated]`, its text escaped as the page escapes it.
BADGE = re.compile(r":[a-z]+-badge\[(?:\\.|[^\]\\])*\]")


def badges(at: AppTest) -> list[str]:
    """Every badge the page shows, one string each, whether drawn alone (`st.badge`) or in a
    line of several (a paragraph's state and flags)."""
    return [found for m in at.markdown for found in BADGE.findall(m.value)]


def button_labels(at: AppTest) -> list[str]:
    """The page's buttons (not the sidebar's, where "Sign out" always is)."""
    return [b.label for b in at.main.button]


def comments(at: AppTest) -> list[str]:
    """The comment threads shown: each comment or answer as "who · when  \ntext"."""
    marks = (":orange[**", ":material/subdirectory_arrow_right:")
    return [m.value for m in at.markdown if m.value.startswith(marks)]


def open_app_with_single_sign_on(user: dict) -> AppTest:
    """The app with single sign-on configured, as Streamlit reports the browser's `user`."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
    at.user = user
    return at.run()


def paragraph_boxes(at: AppTest) -> list:
    """The text boxes of paragraphs (not the boxes for answering comments)."""
    return [box for box in at.text_area if box.key and box.key.startswith("text-")]


def english_of(translation_id: int | str) -> str:
    """The English paragraph a translation translates."""
    from workflow.models import SourceParagraph, Translation

    engine = open_database()
    with Session(engine) as session:
        translation = session.get(Translation, int(translation_id))
        english = session.get(SourceParagraph, translation.paragraph_id).text
    engine.dispose()
    return english


def visible(markdown: str) -> str:
    """What a person reads of Markdown the page wrote: backslash escapes resolved and the
    invisible word joiners (that break Streamlit's icon and link patterns) left out."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")
