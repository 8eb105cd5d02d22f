"""Languages as people write them (`ua` as the newsroom does) and as they read them (in words)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow import LANGUAGES
from workflow.cli import main
from workflow.errors import InputError, PermissionDenied
from workflow.languages import language_code, language_codes, language_name, language_names
from workflow.people import add_person
from workflow.states import Action, Role, authorize, edit_refusal
from workflow.states import VersionState as V


@pytest.mark.parametrize(
    ("written", "code"),
    [("uk", "uk"), ("ua", "uk"), ("UA", "uk"), (" Ua ", "uk"), ("uk-UA", "uk"), ("ukr", "uk"),
     ("Ukrainian", "uk"), ("ru", "ru"), ("RU", "ru"), ("ru_RU", "ru"), ("Russian", "ru")],
)  # fmt: skip
def test_the_newsrooms_ua_and_every_usual_spelling_read_as_the_desks_code(written, code):
    assert language_code(written) == code


@pytest.mark.parametrize("written", ["en", "", "  ", "de", "ukraine", "ру"])
def test_a_language_the_desk_does_not_translate_is_refused_saying_which_it_does(written):
    with pytest.raises(InputError, match=r"ru \(Russian\) and uk \(Ukrainian\); ua is Ukr"):
        language_code(written)


@given(st.text())
def test_any_text_is_read_as_a_target_language_or_refused_in_words(written):
    try:
        assert language_code(written) in LANGUAGES
    except InputError as refused:
        assert str(refused).startswith("Unknown language ")


def test_languages_are_said_in_words_in_the_desks_order():
    assert language_codes(["UA", "ru", "uk"]) == ["ru", "uk"]
    assert language_names(["uk", "ru"]) == "Russian, Ukrainian"
    assert language_names([]) == "no language"
    assert language_name("uk") == "Ukrainian"


def test_a_person_added_with_ua_works_in_ukrainian(session):
    olena = add_person(session, name="Olena", role=Role.TRANSLATOR, languages=["UA"])
    assert olena.language_codes == frozenset({"uk"})
    with pytest.raises(PermissionDenied, match="Olena does not work in Russian"):
        authorize(olena, Action.SAVE, "ru")


def test_the_command_line_takes_ua_wherever_it_takes_uk(db_url, capsys):
    assert main(["user", "add", "Olena", "--role", "translator", "--languages", "ua"]) == 0
    assert main(["report", "--lang", "ua", "--format", "json"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["report", "--lang", "de"])
    assert "Lockstep translates into" in capsys.readouterr().err


def test_what_stops_someone_editing_is_said_in_their_terms(session, people):
    taras, eva, max_ = people["translator_uk"], people["editor"], people["manager"]
    assert edit_refusal(taras, "ru", V.IN_TRANSLATION) == (
        "You do not translate Russian: you read this version, its text is not yours to change."
    )
    assert edit_refusal(taras, "uk", V.IN_TRANSLATION) is None
    assert edit_refusal(taras, "uk", V.IN_REVIEW).startswith("Submitted for review")
    assert edit_refusal(taras, "uk", V.PUBLISHED) == (
        "The Ukrainian version is published: only editors change it now."
    )
    assert edit_refusal(eva, "uk", V.PUBLISHED) is None
    assert "As a manager you read the Ukrainian version" in edit_refusal(max_, "uk", V.IN_REVIEW)
