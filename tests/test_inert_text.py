"""Escaping people's text for Streamlit's Markdown (`workflow.ui.common`): whatever the text,
the escaped form parses to plain text that reads as the original, and no page hands Streamlit a
Markdown string that did not go through the escaping."""

import ast
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from workflow.ui.common import WORD_JOINER, Markdown, escape_cells, escape_markdown, md

ROOT = Path(__file__).resolve().parent.parent
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ACTIVE = {"link_open", "image", "html_inline", "html_block", "autolink"}
# What Streamlit's own plugins find in the text a Markdown parser leaves: icon codes (replaced
# in the raw source), emoji shortcodes and the logo, colour and other directives, and bare
# addresses that GitHub's Markdown turns into links.
STREAMLIT_IN_TEXT = re.compile(
    r":[\w+-][\w+-]*:|:[A-Za-z][\w-]*\[|://|www\.|@\w|(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"
)
BLOCKS = {
    "paragraph_open", "paragraph_close", "inline", "softbreak", "hardbreak", "text",
}  # fmt: skip
HOSTILE = [
    "![x](http://evil.example/x.png)",
    "[link](http://evil.example)",
    "<img src=x onerror=alert(1)>",
    ":material/home: :red[x] :fire: :streamlit: :+1:",
    '=HYPERLINK("http://evil.example")',
    "mail me: someone@evil.example or www.evil.example",
    "Title\n===\n\n- item\n1. item\n> quote\n    code\n```\nfence\n```",
    "$x^2$ and $$y$$, &amp; &#60;b&#62;, a -> b -- c",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[ref]: http://evil.example\n\n[ref]",
]


def _tokens(source: str):
    pending = list(PARSER.parse(source))
    while pending:
        token = pending.pop(0)
        yield token
        pending[:0] = token.children or []


def _shown(source: str) -> str:
    """The characters a reader sees, whitespace as HTML shows it (runs collapsed)."""
    parts = []
    for token in _tokens(source):
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak", "paragraph_close"):
            parts.append(" ")
    return _as_read("".join(parts))


def _as_read(text: str) -> str:
    # Control characters are not shown (CommonMark replaces NUL), nor is the word joiner.
    shown = "".join(c for c in text if c in "\t\n\r" or unicodedata.category(c) != "Cc")
    shown = shown.replace(WORD_JOINER, "")
    return " ".join(shown.split())


@given(st.text())
@example("".join(HOSTILE))
@example("\\:material/home\\:")  # a backslash before the colon does not stop Streamlit
def test_escaped_text_parses_to_plain_text_that_reads_as_typed(text):
    source = escape_markdown(text)
    kinds = {token.type for token in _tokens(source)}
    assert not kinds & ACTIVE, kinds
    assert kinds <= BLOCKS, kinds  # no heading, list, quote, code, table or emphasis either
    assert ":material/" not in source and ":streamlit:" not in source
    for token in _tokens(source):
        if token.type == "text":
            assert not STREAMLIT_IN_TEXT.search(token.content), token.content
    assert _shown(source) == _as_read(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_shown_as_text(text):
    source = escape_markdown(text)
    assert {t.type for t in _tokens(source)} <= BLOCKS
    assert _shown(source) == _as_read(text)


# A name as people have them: on one line, with no space at either end.
NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1).filter(
    lambda name: name == name.strip()
)


@given(NAMES, st.text())
def test_md_escapes_every_value_and_keeps_the_pages_own_markup(who, said):
    source = md(":orange[**{}**] · {}", who, said)
    kinds = [t.type for t in _tokens(source)]
    assert not set(kinds) & ACTIVE
    assert kinds.count("strong_open") == 1  # the page's bold, and only that
    assert _shown(source) == _as_read(f":orange[{who}] · {said}")


def test_markdown_already_escaped_is_not_escaped_twice():
    once = escape_markdown("a_b")
    assert escape_markdown(once) == once == "a\\_b"
    assert md("**{}** {:.1f}", once, 2.25) == "**a\\_b** 2\\.2"
    assert isinstance(md("{}", "x"), Markdown)


def test_table_cells_and_headers_are_escaped():
    (row,) = escape_cells([{"![h](x)": "![c](http://evil.example)", "n": 3}])
    assert row == {"\\!\\[h\\]\\(x\\)": escape_markdown("![c](http://evil.example)"), "n": "3"}


# Calls whose first argument Streamlit renders as Markdown.
RENDERS_MARKDOWN = {
    "markdown", "caption", "success", "error", "warning", "info", "toast", "title", "header",
    "subheader", "write", "table",
}  # fmt: skip
# The escaping helpers, and the desk's that return only what `md` composed.
ESCAPING = {"md", "escape_markdown", "escape_cells", "diff_markdown", "badge_line", "said_of"}
UI_MODULES = sorted(
    str(path.relative_to(ROOT)) for path in [ROOT / "app.py", *ROOT.glob("workflow/ui/*.py")]
)


def _composed_safely(node: ast.expr) -> bool:
    """A literal, a module constant, or what `md`/`escape_markdown`/`escape_cells` made."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Name):
        return node.id.isupper()  # the module's own Markdown, such as the chart legend
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in ESCAPING
    if isinstance(node, ast.IfExp):
        return _composed_safely(node.body) and _composed_safely(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _composed_safely(node.left) and _composed_safely(node.right)
    return False


@pytest.mark.parametrize(
    "module",
    UI_MODULES,
)
def test_every_markdown_a_page_shows_is_composed_with_the_escaping_helpers(module):
    """An f-string or a variable handed to st.markdown and its kind is how people's text got
    rendered before: a page composes with `md` (or escapes a whole message), nothing else."""
    tree = ast.parse((ROOT / module).read_text(), filename=module)
    unsafe = [
        f"{module}:{node.lineno}: .{node.func.attr}({ast.unparse(node.args[0])[:60]})"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in RENDERS_MARKDOWN
        and node.args
        and not _composed_safely(node.args[0])
    ]
    assert not unsafe, unsafe
