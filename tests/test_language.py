"""`wrong-language` on real news prose: no false error on correct Russian or Ukrainian, and the
other language caught. The corpora in tests/data/news_ru.txt and news_uk.txt are correct news
sentences written for these tests (politics, courts, economy, weather, sport, culture, direct
speech, headlines, short sentences, English names and numbers, quoted names and titles)."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.checks import CHECKS, Pair, Severity, run_checks
from workflow.checks.language import NAMES
from workflow.checks.lexicon import Side, normalise, side_by_dictionary, vote

DATA = Path(__file__).parent / "data"
CHECK = CHECKS["wrong-language"]
OTHER = {"ru": "uk", "uk": "ru"}


def corpus(lang: str) -> list[str]:
    lines = (DATA / f"news_{lang}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


def flag(text: str, lang: str) -> str | None:
    return CHECK.check(Pair("The English paragraph.", text, lang))


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_the_corpus_holds_hundreds_of_distinct_sentences(lang):
    sentences = corpus(lang)
    assert len(sentences) >= 400 and len(set(sentences)) == len(sentences)
    assert sum(len(s.split()) <= 5 for s in sentences) >= 80  # headlines and short sentences


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_no_correct_sentence_of_the_corpus_is_called_the_other_language(lang):
    assert [(s, m) for s in corpus(lang) if (m := flag(s, lang))] == []


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_the_whole_corpus_as_one_paragraph_raises_no_error(lang):
    assert flag(" ".join(corpus(lang)[:60]), lang) is None


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_the_other_languages_sentences_are_caught(lang):
    """Each sentence of the other language's corpus, checked as this language. A sentence of
    names only (Трюдо в Лугано) or of words both languages write (Рада приняла закон) cannot
    be told apart and may pass; sentences of three words or more nearly never."""
    sentences = corpus(OTHER[lang])
    missed = [s for s in sentences if flag(s, lang) is None]
    longer = [s for s in sentences if len(s.split()) >= 3]
    missed_longer = [s for s in missed if len(s.split()) >= 3]
    assert len(missed) <= 0.03 * len(sentences), missed
    assert len(missed_longer) <= 0.02 * len(longer), missed_longer


RUSSIAN_GOOD = [
    # Verbal adverbs in -в and -вши are Russian too, whatever Ukrainian writes the same.
    "Заявив о своей отставке, министр покинул зал заседаний.",
    "Сказав это, председатель закрыл заседание.",
    "Сервис обновил приложение, сказав, что ошибок больше нет.",
    "Заявивши о победе, кандидат поблагодарил избирателей.",
    # Ordinal endings are not the Ukrainian «й».
    "Гол на 89-й минуте принес победу хозяевам.",
    # Ukrainian names and titles, quoted, keep their spelling.
    "Табличка с надписью «Київ» висит на въезде в город.",
    "Сеть супермаркетов «Сільпо» открыла новый магазин.",
    "Спектакль «Конотопська відьма» идет в Театре Франко.",
    "Книга называется «Я бачу, вас цікавить пітьма».",
    "Фонд «Повернись живим» собрал 50 млн гривен.",
    "На афише было написано «Прем'єра» на украинском языке.",
    # ...and unquoted names count half: the rest of the sentence decides.
    "Компания Київстар восстановила связь.",
    # Foreign names and places only the Ukrainian dictionary holds.
    "Олаф Шольц — Джо Байдену",
    "Трюдо в Лугано.",
    "Канаверал, Флорида.",
    "Молдова получила статус кандидата в ЕС.",
    "Кирби сказал, что переброска не будет постоянной. Об этом сообщает CNN.",
    "Нет.",
]


@pytest.mark.parametrize("text", RUSSIAN_GOOD)
def test_correct_russian_raises_no_wrong_language_error(text):
    assert flag(text, "ru") is None


UKRAINIAN_GOOD = [
    "Заявивши про свою відставку, міністр залишив залу засідань.",
    "Газета «Коммерсантъ» опублікувала витік листування.",
    "Сайт «Эхо Москвы» заблоковано.",
    "Слова «Мы вместе» залишилися на білборді.",
    "От і все, що відомо на цей час.",
    "Samsung представив новий смартфон.",
    "Смартфони Xiaomi подешевшали на 10%.",
    # Every apostrophe a Ukrainian keyboard types.
    "Об'єкт відновлено за добу.",
    "Об’єкт відновлено за добу.",
    "Обʼєкт відновлено за добу.",
    # Latin look-alike letters typed for і and е.
    "Мiнiстр заявив, що рiшення ухвалено.",
    "Ще нічого не вирішено.",
    "Так.",
    # A letter alone before a stop or a bracket is an initial, an abbreviation or a list item.
    "К. Петренко заявив про відставку.",
    "Пункт д) скасовано.",
    "Вони обговорили бюджет, податки і т. д.",
    "Переклад д.",
]


@pytest.mark.parametrize("text", UKRAINIAN_GOOD)
def test_correct_ukrainian_raises_no_wrong_language_error(text):
    assert flag(text, "uk") is None


OTHER_LANGUAGE = [
    ("Кірбі сказав, що перекидання не буде постійним.", "ru"),
    ("Мiнiстр заявив, що рiшення ухвалено.", "ru"),  # Latin i standing for і
    ("Школи перейшли на дистанційне навчання.", "ru"),
    ("Он сказал, что готов к диалогу.", "uk"),
    ("Кирби сказал.", "uk"),
    ("Кирби и Остин.", "uk"),
    ("Матч перенесен.", "uk"),
    ("Дело передано в суд.", "uk"),
    ("Он пошел к врачу.", "uk"),  # the letter alone, in running text, is a word
    ("Президент з міністрами.", "ru"),
    # One stray word in letters only the other language has (a word that only the dictionary
    # assigns, «що» in a Russian sentence, is outvoted: dictionaries have gaps).
    ("Президент сказал, він готов к диалогу.", "ru"),
    ("Компанія заявила, що скоротить 3000 робочих місць, объявив об этом.", "uk"),
    ("Міністр ещё не ухвалив рішення.", "uk"),
    # A second sentence in the other language.
    ("Суд отложил заседание. Рішення ухвалять наступного тижня.", "ru"),
    ("Суд відклав засідання. Решение примут на следующей неделе.", "uk"),
    # Direct speech is the text's own words, not a title.
    ("«Ми не відступимо», — сказав президент.", "ru"),
    ("Президент ответил: «Мы не отступим ни на шаг».", "uk"),
    # Where no word decides, the detector reads the sentence.
    ("Президент встретился с министрами во вторник утром в Белом доме.", "uk"),
]


@pytest.mark.parametrize(("text", "lang"), OTHER_LANGUAGE)
def test_the_other_language_is_caught(text, lang):
    assert flag(text, lang)


@pytest.mark.parametrize(
    ("word", "side"),
    [
        ("заявив", Side.NEITHER),  # a Ukrainian past tense and a Russian verbal adverb
        ("сказав", Side.NEITHER),
        ("року", Side.NEITHER),  # a Ukrainian genitive and a Russian dative
        ("заявил", Side.RU),
        ("зазначив", Side.UK),
        ("що", Side.UK),
        ("ще", Side.UK),  # missing from the Ukrainian dictionary, supplied
        ("об'єкт", Side.UK),
    ],
)
def test_a_word_speaks_for_a_language_only_if_the_other_cannot_write_it(word, side):
    assert side_by_dictionary(normalise(word)) is side


def test_names_count_half_and_acronyms_not_at_all():
    assert vote("Київ", opens_sentence=False) == (Side.UK, 1)
    assert vote("Київ", opens_sentence=True) == (Side.UK, 2)
    assert vote("Байден", opens_sentence=False)[1] == 0
    assert vote("МРТ", opens_sentence=True)[1] == 0


def test_latin_look_alikes_and_apostrophes_read_as_cyrillic():
    assert normalise("Мiнiстр") == "міністр"
    assert normalise("Обʼєкт") == normalise("Об’єкт") == "об'єкт"
    assert normalise("iPhone") == "iphone"  # a Latin word stays Latin


CORPUS = corpus("ru") + corpus("uk")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["ru", "uk", "en", ""]))
def test_any_text_gives_a_message_or_nothing(text, lang):
    result = flag(text, lang)
    assert result is None or (isinstance(result, str) and result)


CYRILLIC_MIX = st.text(
    alphabet=st.sampled_from(
        list("абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюяАБВГҐЄЁІЇЫЭ") + list("aeiopxcyKMH")
        + list(" ’ʼ'`-—–«»„“”\":,.!?…()0123456789\u0301\u200b\u00a0")
    ),
    max_size=200,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(CYRILLIC_MIX, st.sampled_from(["ru", "uk"]))
def test_any_cyrillic_looking_text_gives_a_message_or_nothing(text, lang):
    result = flag(text, lang)
    assert result is None or (isinstance(result, str) and result)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CORPUS), st.data(), st.sampled_from(["ru", "uk"]))
def test_a_real_sentence_cut_at_any_word_gives_a_message_or_nothing(sentence, data, lang):
    words = sentence.split(" ")
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, len(words)))
    result = flag(" ".join(words[start:end]), lang)
    assert result is None or (isinstance(result, str) and result)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["ru", "uk"]), st.data())
def test_a_correct_sentence_being_typed_is_never_called_the_other_language(lang, data):
    """What a translator has typed so far, up to any word, even inside an open quote
    («Спектакль «Конотопська» in a Russian story)."""
    words = data.draw(st.sampled_from(corpus(lang))).split(" ")
    typed = " ".join(words[: data.draw(st.integers(1, len(words)))])
    assert flag(typed, lang) is None


def test_the_message_quotes_the_sentence_as_written_and_names_the_words():
    message = flag("Суд отложил заседание. Рішення ухвалять «Слуга народу» у вівторок.", "ru")
    assert message == (
        "This reads as Ukrainian, not Russian: «Рішення ухвалять «Слуга народу» у вівторок.» "
        "(Рішення, ухвалять, вівторок)."
    )


def test_the_message_quotes_the_whole_sentence_past_abbreviations_and_initials():
    """Sentences are cut as the omission check cuts them (`split_sentences`), not at every
    full stop: «г.» and an initial do not end a sentence."""
    message = flag("Об этом сообщил штаб. В 2022 г. В. Зеленський заявив, що війна триває.", "ru")
    assert message == (
        "This reads as Ukrainian, not Russian: «В 2022 г. В. Зеленський заявив, що війна "
        "триває.» (що, війна, триває)."
    )


QUOTE = CHECKS.get("quoted-language")
# Direct speech kept in the other language, in a paragraph that is otherwise the right one.
QUOTED_SPEECH = [
    ("Путін сказав: «Мы не отступим».", "uk", "Мы не отступим"),
    ("Зеленский заявил: «Ми не відступимо і не здамося».", "ru", "Ми не відступимо"),
    ("“Мы не отступим ни на шаг”, — сказав Путін журналістам.", "uk", "Мы не отступим"),
    ("Песков ответил: „Ми нічого про це не знаємо“. Больше он ничего не сказал.", "ru",
     "Ми нічого про це"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "lang", "quoted"), QUOTED_SPEECH)
def test_a_quotation_kept_in_the_other_language_is_a_warning_not_an_error(text, lang, quoted):
    findings = {f.code: f for f in run_checks(Pair("He said: “We will not retreat.”", text, lang))}
    assert "wrong-language" not in findings
    warning = findings["quoted-language"]
    assert warning.severity is Severity.WARNING
    assert f"«{quoted}" in warning.message and NAMES[OTHER[lang]] in warning.message


# The other language outside the quotation too, or nothing but the quotation: still an error.
OTHER_LANGUAGE_AROUND_A_QUOTE = [
    ("Путин сказал: «Мы не отступим».", "uk"),
    ("«Мы не отступим ни на шаг».", "uk"),
    ("Президент заявив: «Ми не відступимо».", "ru"),
]


@pytest.mark.parametrize(("text", "lang"), OTHER_LANGUAGE_AROUND_A_QUOTE)
def test_a_paragraph_in_the_other_language_around_its_quote_is_still_an_error(text, lang):
    codes = {f.code for f in run_checks(Pair("He said: “We will not retreat.”", text, lang))}
    assert "wrong-language" in codes and "quoted-language" not in codes


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_a_quotation_in_the_right_language_raises_no_quotation_warning(lang):
    assert [s for s in corpus(lang) if QUOTE.check(Pair("x", s, lang))] == []


@settings(max_examples=300, deadline=None)
@given(CYRILLIC_MIX, st.sampled_from(["ru", "uk", "en"]))
def test_the_quotation_check_gives_a_message_or_nothing_on_any_text(text, lang):
    result = QUOTE.check(Pair("x", text, lang))
    assert result is None or (isinstance(result, str) and result)
