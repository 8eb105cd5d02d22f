"""The story the desk shows is in the page's address: `?story=12&view=uk`.

The address, not the session, says which story is open: a reload, a shared link, a link from
My work or Progress, and every click on the desk (whose reruns carry the address) stay on it.
Without a story in the address (the sidebar's Desk link) the desk opens the story this session
had open last, else the newest, and puts it in the address. A story the address names that
does not exist is said in words; no other story is opened in its place.
"""

from contextlib import suppress
from functools import partial

import streamlit as st

from workflow.errors import InputError
from workflow.languages import language_code
from workflow.models import Story
from workflow.presence import Here, on_stories, others
from workflow.stories import find_stories, list_stories, story_number
from workflow.ui.common import Markdown, db, escape_markdown, md, remember

STORY = "story"  # the address's parameter: the story's number
VIEW = "view"  # the address's parameter: read, en, or a language code
DESK = "workflow/ui/desk.py"
PICKED = "story_id"  # the picker's key
SEARCH = "story_search"
SHORT = 48  # characters of a headline a message quotes
ss = st.session_state


def desk_address(story_id: int, view: str | None = None) -> dict[str, str]:
    """The address parameters that open a story (in a view) on the desk."""
    return {STORY: str(story_id), **({VIEW: view} if view else {})}


def open_story(story_id: int, view: str | None = None, *, attention: bool | None = None) -> None:
    """Go to the desk on this story (in this view); `attention` shows only what needs work."""
    if attention is not None:
        ss["attention_only"] = ss["kept:attention_only"] = attention
    st.switch_page(DESK, query_params=desk_address(story_id, view))


def short(headline: str) -> str:
    return headline if len(headline) <= SHORT else headline[: SHORT - 1].rstrip() + "…"


def story_label(story: Story) -> str:
    """How the picker names a story: number, headline, section and date (unique by number)."""
    parts = (f"#{story.id}", story.headline, story.section, story.date_line)
    return " · ".join(part for part in parts if part)


def story_named(story_id: int) -> Markdown:
    """The story as a message names it: `#2 “Headline”` (the headline shortened, escaped)."""
    with db() as session:
        story = session.get(Story, story_id)
    return md("#{} “{}”", story_id, short(story.headline) if story else "(deleted)")


def said_of(message: str, story_id: int, where: str = "") -> Markdown:
    """An action's message naming the story it acted on (and where in it):
    `Saved. (paragraph 3 of #2 “Headline”)`."""
    return md("{} ({}{})", message, f"{where} of " if where else "", story_named(story_id))


def _follow_picker() -> None:
    if (chosen := ss.get(PICKED)) is not None:
        st.query_params[STORY] = str(chosen)


def _open_found(story_id: int) -> None:
    st.query_params[STORY] = str(story_id)
    ss[SEARCH] = ""


def pick_story() -> int | None:
    """The story the address names, with the picker to choose another; None when there is
    none to show (no stories yet, or the address names one that does not exist)."""
    with db() as session:
        stories = {s.id: s for s in list_stories(session) if s.id is not None}
        here = on_stories(session, stories)  # who else is on which story, in the picker too
    me = ss.get("person_id")
    labels = {
        story_id: story_label(story) + _who_else_is_here(here.get(story_id, []), me)
        for story_id, story in stories.items()
    }
    if not labels:
        st.info("No stories yet: import one on the Stories page.")
        return None
    wanted = st.query_params.get(STORY)
    chosen: int | None
    if wanted is None:
        kept = ss.get(f"kept:{PICKED}")
        chosen = kept if kept in labels else next(iter(labels))
        st.query_params[STORY] = str(chosen)
    elif (chosen := story_number(wanted)) not in labels:
        st.error(
            md("There is no story #{} at this desk: choose one below.", wanted.strip("# ")[:40]),
            icon=":material/search_off:",
        )
        chosen = None
    ss[PICKED] = chosen  # the address decides; a choice in the picker changes the address
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox(
        "Story",
        list(labels),
        format_func=labels.__getitem__,
        key=PICKED,
        on_change=_follow_picker,
        placeholder="Choose a story",
        help="Type a number, or words of the headline, section or date, to narrow the list.",
    )
    with right.popover("Search the text", icon=":material/search:", width="stretch"):
        found_stories()
    remember(PICKED)
    return chosen


def _who_else_is_here(heres: list[Here], person_id: int | None) -> str:
    """ " · Olena Shevchuk, Irina Sokolova here" for the other people on a story (plain text:
    the picker's labels are never read as Markdown)."""
    names = sorted({h.name for h in others(heres, person_id or 0)})
    return f" · {', '.join(names)} here" if names else ""


def found_stories() -> None:
    """A search box over the stories' numbers, headlines and English text, and what it found,
    each a button that opens the story."""
    wanted = st.text_input("Words of the story, or its number", key=SEARCH)
    if not wanted.strip():
        return
    with db() as session:
        found = [(s.id, story_label(s)) for s in find_stories(session, wanted) if s.id]
    if not found:
        st.caption(md("No story holds “{}”.", wanted))
    for story_id, label in found:
        st.button(  # a button's label is Markdown: the headline is shown inert
            escape_markdown(label), key=f"found-{story_id}",
            on_click=partial(_open_found, story_id), width="stretch",
        )  # fmt: skip


def view_in_address(options: list[str]) -> str | None:
    """The desk view the address names, if it is one of `options`; a language as the newsroom
    writes it (`ua`, `UA`, `uk-UA`) is read with `language_code`, as everywhere else."""
    wanted = st.query_params.get(VIEW)
    if wanted is None:
        return None
    view = wanted.strip().lower()
    with suppress(InputError):
        view = language_code(view)
    return view if view in options else None


def keep_view_in_address(view: str) -> None:
    if st.query_params.get(VIEW) != view:
        st.query_params[VIEW] = view
