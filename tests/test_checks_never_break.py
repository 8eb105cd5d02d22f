"""No check can break work: a check that raises becomes a `check-failed` warning, never a failed
save, and no registered check raises on any text, however odd or however cut."""

import json
import logging
import re
from importlib import resources

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import translations
from workflow.checks import CHECKS, Check, Pair, run_checks
from workflow.checks.base import CHECK_FAILED
from workflow.flags import story_flags
from workflow.translations import save_translation

DEMO = json.loads(resources.files("workflow.demo").joinpath("translations.json").read_text())
ENGLISH = [
    p.strip()
    for p in resources.files("workflow.demo").joinpath("story.txt").read_text().split("\n\n")
    if p.strip()
]
REAL = [t["text"] for lang in ("ru", "uk") for t in DEMO["translations"][lang] if t["text"]]
REAL += ENGLISH
TOKEN_END = re.compile(r"\w+|[^\w\s]")


class Exploding(Check, name="Exploding"):
    """A check with a bug, for the tests: it raises on every text."""

    def check(self, pair: Pair) -> str | None:
        raise IndexError("list index out of range")


@pytest.fixture
def exploding(monkeypatch):
    check = Exploding()
    check.code = "exploding"  # set here, not on the class: a class with a code registers itself
    monkeypatch.setitem(CHECKS, "exploding", check)


def test_a_check_that_raises_becomes_a_check_failed_warning_naming_it(exploding, caplog):
    with caplog.at_level(logging.ERROR, logger="workflow.checks.base"):
        findings = run_checks(Pair("Five people died.", "Погибли пять человек.", "ru"))
    failed = [f for f in findings if f.code == CHECK_FAILED]
    assert len(failed) == 1
    assert failed[0].severity == "warning"
    assert "Exploding" in failed[0].message
    assert "IndexError" in caplog.text  # the traceback is logged for the developers
    assert "exploding" in caplog.text


def test_a_check_that_raises_does_not_stop_the_other_checks(exploding):
    findings = run_checks(Pair("Five people died on 3 May.", "", "ru"))
    assert {f.code for f in findings} >= {CHECK_FAILED, "empty"}


def test_a_save_goes_through_when_a_check_raises(session, story, people, exploding):
    translation = translations(session, story.id, "uk")[3]
    saved = save_translation(
        session,
        translation_id=translation.id,
        text="Їх було п'ять",
        person=people["translator_uk"],
        base_lock_version=translation.lock_version,
    )
    assert saved.text == "Їх було п'ять"
    flags = story_flags(session, story.id)[saved.id]
    failed = [f for f in flags if f.code == CHECK_FAILED and "Exploding" in f.message]
    assert len(failed) == 1 and not failed[0].blocking  # a warning: approval is not held up


@pytest.mark.parametrize("lang", ["ru", "uk"])
@pytest.mark.parametrize("ending", ["их было пять", "їх було п'ять", "the first", "half a"])
def test_a_paragraph_ending_in_a_number_word_is_checked_without_failure(lang, ending):
    findings = run_checks(Pair(f"There were {ending}", f"Всего {ending}", lang))
    assert CHECK_FAILED not in {f.code for f in findings}


def _every_check(pair: Pair) -> None:
    for code, check in CHECKS.items():
        message = check.check(pair)
        assert message is None or (isinstance(message, str) and message.strip()), code


texts = st.text(st.characters(codec="utf-8"), max_size=300)
words = st.lists(
    st.sampled_from([*ENGLISH[1].split(), *REAL[2].split(), "п'ять", "half", "a", "million"]),
    max_size=25,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.one_of(texts, words),
    target=st.one_of(texts, words),
    lang=st.sampled_from(["ru", "uk"]),
)
@example(source="There were five", target="их было пять", lang="ru")
@example(source="half a", target="половина", lang="uk")
@example(source="\u202e1\u200b", target="\x00", lang="uk")
def test_no_check_raises_on_any_text(source, target, lang):
    _every_check(Pair(source, target, lang))


def _cuts(text: str) -> list[str]:
    return [text[: m.end()] for m in TOKEN_END.finditer(text)]


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_no_check_raises_on_real_paragraphs_cut_at_every_token(lang):
    pairs = list(zip(ENGLISH, [t["text"] for t in DEMO["translations"][lang]], strict=False))
    for english, translated in pairs:
        for cut in _cuts(translated):
            _every_check(Pair(english, cut, lang))
        for cut in _cuts(english):
            _every_check(Pair(cut, translated, lang))
