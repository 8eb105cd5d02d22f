"""Words and characters as translators count them: the counting itself, then the figures the
report, the status, the desk's head and the charts give for the demo's seed story."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.conftest import translations
from workflow.cli import main
from workflow.counts import TextCount, count_story, count_text, count_texts
from workflow.demo import load_demo
from workflow.desk import read_version_desk, version_head
from workflow.progress import status_report, story_counts
from workflow.queries import current_paragraphs
from workflow.reports import report_rows, to_csv
from workflow.translations import save_translation
from workflow.trends import WordsPerDay, words_translated_per_day

MONTH_AGO = datetime.now(UTC) - timedelta(days=30)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("The Pentagon announced Wednesday", 4),
        ("3,000 US troops", 3),  # a number with a thousands comma is one word
        ("roughly 8,500 or 3.5 per cent", 6),
        ("8\u00a0500 человек", 2),  # a no-break space inside a Russian number
        ("de-escalating after well-known talks", 4),  # hyphenated: one word
        ("Івано-Франківськ", 1),
        ("Ukraine's border", 2),
        ("м'ясо та п’ять", 3),  # the Ukrainian apostrophe, straight or curly
        ("U.S. President Joe Biden", 4),
        ("Президент США Джо Байден", 4),
        ("«Ці сили не воюватимуть в Україні», — сказав він.", 8),  # the dash is no word
        ("a, b; c", 3),  # a comma joins digits only
        ("10:30 — 12:00", 4),  # a colon joins nothing
        ("и\u0306од", 1),  # a letter and its combining breve stay one word
    ],
)
def test_words_are_counted_as_translation_tools_count_them(text, words):
    assert count_text(text).words == words


def test_characters_are_counted_with_and_without_spaces():
    assert count_text("Про це повідомляє CNN.") == TextCount(4, 22, 19)
    assert count_text("и\u0306од") == TextCount(1, 3, 3)  # "йод", however it was typed
    assert count_text("8\u00a0500") == TextCount(1, 5, 4)  # a no-break space is a space


def test_the_caption_says_the_words_and_characters():
    assert count_text("Hello, world.").caption == "2 words · 13 characters"
    assert count_text("Hello").caption == "1 word · 5 characters"
    assert TextCount(8500, 52000, 44000).detailed == (
        "8,500 words · 52,000 characters (44,000 without spaces)"
    )


@given(st.text())
@example("8,500 \u0306")
@example("й\u0306 ")
def test_counting_any_text_never_raises_and_never_finds_more_words_than_characters(text):
    counted = count_text(text)
    assert 0 <= counted.words <= counted.characters_no_spaces <= counted.characters


@given(st.lists(st.text(), max_size=5))
@example(["8,", "500"])  # a comma at the end of a paragraph joins nothing to the next
@example(["и", "\u0306"])  # nor does a combining mark at the start of one
def test_counts_add_up_over_paragraphs_joined_with_a_space(paragraphs):
    joined = count_text(" ".join(paragraphs))
    spaces = max(len(paragraphs) - 1, 0)
    apart = TextCount(words=0, characters=spaces)
    for paragraph in paragraphs:
        apart += count_text(paragraph)
    assert joined == apart


@given(st.lists(st.text(), max_size=5))
def test_counting_paragraphs_together_gives_the_sum_of_their_counts(paragraphs):
    apart = TextCount()
    for paragraph in paragraphs:
        apart += count_text(paragraph)
    assert count_texts(paragraphs) == apart


@pytest.fixture
def demo(session):
    return load_demo(session)


def _english(session, story_id: int) -> list[str]:
    return [p.text for p in current_paragraphs(session, story_id)]


def test_the_seed_story_counts_as_its_words_separated_by_spaces(session, demo):
    english = _english(session, demo.id)
    (report,) = [s for s in status_report(session) if s["id"] == demo.id]
    # The seed story's English has no dash or lone sign, so its words are what split() finds.
    assert sum(len(p.split()) for p in english) == 416
    assert report["english"] == {
        "words": 416,
        "characters": sum(len(p) for p in english),
        "characters_no_spaces": sum(len("".join(p.split())) for p in english),
    }
    assert report["english"]["characters"] == 2458
    uk = [t.text for t in translations(session, demo.id, "uk")]
    assert report["languages"]["uk"]["text"]["words"] == sum(count_text(t).words for t in uk)


def test_the_report_and_its_csv_give_words_and_characters(session, demo):
    rows = {row.lang: row for row in report_rows(session) if row.story_id == demo.id}
    ru, uk = rows["ru"], rows["uk"]
    assert (ru.english_words, ru.english_characters, ru.english_characters_no_spaces) == (
        416, 2458, 2055,
    )  # fmt: skip
    assert (uk.english_words, uk.english_characters) == (416, 2458)  # the same English
    assert (ru.words, ru.characters, ru.characters_no_spaces) == (349, 2483, 2144)
    # Five Ukrainian paragraphs are empty: fewer words than the Russian, all translated.
    assert (uk.words, uk.characters, uk.characters_no_spaces) == (186, 1320, 1141)

    table = list(csv.DictReader(io.StringIO(to_csv(report_rows(session)))))
    (ru_line,) = [r for r in table if r["lang"] == "ru" and r["story_id"] == str(demo.id)]
    assert (ru_line["english_words"], ru_line["words"], ru_line["characters"]) == (
        "416", "349", "2483",
    )  # fmt: skip


def test_report_on_the_command_line_gives_words(demo_db, capsys):
    assert main(["report", "--format", "json"]) == 0
    by_lang = {r["lang"]: r for r in json.loads(capsys.readouterr().out)}
    assert by_lang["ru"]["english_words"] == 416 and by_lang["ru"]["words"] == 349
    assert main(["report", "--lang", "uk"]) == 0
    (line,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (line["words"], line["characters_no_spaces"]) == ("186", "1141")


def test_the_desk_head_counts_what_the_database_counts(session, demo):
    desk = read_version_desk(session, demo.id, "uk")
    read_alone = version_head(session, demo.id, "uk")  # as the head reruns on its own
    assert desk.head.counts == read_alone.counts == story_counts(session, [demo.id])[demo.id]
    assert desk.head.counts.english.words == 416 and desk.head.counts.of("uk").words == 186


def test_a_story_is_counted_paragraph_by_paragraph():
    counted = count_story([("Roads are closed.", {"ru": "Дороги закрыты.", "uk": ""})] * 2)
    assert counted.english == TextCount(6, 34, 30)
    assert counted.of("ru") == TextCount(4, 30, 28) and counted.of("uk") == TextCount()
    assert counted.of("de") == TextCount()


def test_words_translated_per_day_count_each_paragraph_when_it_is_translated(session, people):
    from workflow.formats import ParsedStory
    from workflow.models.base import clock_at
    from workflow.stories import import_story

    story = import_story(
        session,
        ParsedStory("Floods in the south", ["Water rose by 2 metres."]),
        person=people["editor"],
    )
    headline, body = translations(session, story.id, "ru")
    tanya, eva = people["translator"], people["editor"]
    day = datetime.now(UTC) - timedelta(days=3)
    with clock_at(day):
        saved = save_translation(
            session, translation_id=body.id, text="Вода поднялась на 2 метра.", person=tanya,
            base_lock_version=body.lock_version,
        )  # fmt: skip
        save_translation(
            session, translation_id=headline.id, text="Наводнения на юге", person=tanya,
            base_lock_version=headline.lock_version,
        )  # fmt: skip
    # The next day she polishes a paragraph she translated, and the editor corrects it: neither
    # translates anything, so neither counts (translators are paid and planned by this figure).
    with clock_at(day + timedelta(days=1)):
        polished = save_translation(
            session, translation_id=body.id, text="Вода поднялась на два метра за ночь.",
            person=tanya, base_lock_version=saved.lock_version,
        )  # fmt: skip
    with clock_at(day + timedelta(days=2)):
        save_translation(
            session, translation_id=body.id, text="Вода поднялась на два метра за сутки.",
            person=eva, base_lock_version=polished.lock_version,
        )  # fmt: skip
    assert words_translated_per_day(session, MONTH_AGO) == [WordsPerDay(day.date(), "Tanya", 5 + 3)]
    assert words_translated_per_day(session, datetime.now(UTC) + timedelta(days=1)) == []


def test_the_demo_s_translators_words_per_day(session, demo):
    words = {(w.person, w.words) for w in words_translated_per_day(session, MONTH_AGO)}
    names = {person for person, _ in words}
    assert {"Dmitri Volkov", "Olena Shevchuk"} <= names
    assert all(n > 0 for _, n in words)
