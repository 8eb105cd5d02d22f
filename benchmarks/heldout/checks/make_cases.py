"""Builds the held-out check cases: pairs.json (English and translation) and truth.json for each.

Run once by whoever changes the set (`python benchmarks/heldout/checks/make_cases.py`); the cases it
writes are committed, so scoring never depends on this script.

The English is ../stories/*.txt (and texts/tricky.en.txt); texts/STORY.LANG.txt holds a correct
translation, paragraph for paragraph. `*_good` cases are those translations as written; `*_planted`
cases are copies of single paragraphs with one planted error each.
truth.json: {"lang": "ru"|"uk", "expect": [null or the kind planted, per pair]}.
"""

# ruff: noqa: E501  (the sentences of the set stay whole, one per line)

import json
import pathlib
import re

HERE = pathlib.Path(__file__).parent
OUT = HERE / "cases"
STORIES = HERE.parent / "stories"
TEXTS = HERE / "texts"


def paras(path: pathlib.Path) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if p.strip()]


def english(story: str) -> list[str]:
    path = STORIES / f"{story}.txt"
    return paras(path if path.exists() else TEXTS / f"{story}.en.txt")


def translation(story: str, lang: str) -> list[str]:
    en, tr = english(story), paras(TEXTS / f"{story}.{lang}.txt")
    assert len(en) == len(tr), (story, lang, len(en), len(tr))
    return tr


def write(
    name: str, lang: str, pairs: list[tuple[str, str]], expect: list[str | None], note: str
) -> None:
    d = OUT / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "pairs.json").write_text(
        json.dumps([{"source": s, "target": t} for s, t in pairs], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    (d / "truth.json").write_text(
        json.dumps({"lang": lang, "note": note, "expect": expect}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


def good(story: str, lang: str) -> None:
    en, tr = english(story), translation(story, lang)
    write(
        f"{lang}_{story}_good",
        lang,
        list(zip(en, tr, strict=True)),
        [None] * len(en),
        f"a correct {lang} translation of the {story} story",
    )


# (paragraph, kind, how): how is (old, new) to replace in the correct translation, or one of
# "english" (the English left as it is), "other" (the paragraph in the other target language),
# "empty", ("drop", sentence) (a sentence of the translation left out).
PLANTED = {
    ("politics", "ru"): [
        (1, "numbers", ("4,2 млрд", "4,5 млрд")),
        (2, "numbers", ("против — 41", "против — 14")),
        (7, "numbers", ("до 5000", "до 4000")),
        (13, "numbers", ("12 декабря", "21 декабря")),
        (1, "weekday-month", ("в четверг", "в пятницу")),
        (10, "weekday-month", ("в среду", "во вторник")),
        (5, "magnitude", ("600 млн евро", "600 евро")),
        (6, "magnitude", ("1,9 млрд евро", "1,9 трлн евро")),
        (7, "magnitude", ("350 млн евро", "350 тыс. евро")),
        (4, "untranslated", "english"),
        (12, "untranslated", "english"),
        (3, "empty", "empty"),
        (9, "omission", ("drop", "Убедить удалось не всех в правящей коалиции.")),
        (
            11,
            "omission",
            ("drop", "В его канцелярии заявили, что он «в целом поддерживает» план расходов."),
        ),
        (
            3,
            "omission",
            (
                "drop",
                "«Союзники сказали нам, что им нужны партнёры, которые несут свою часть ноши, и сегодня мы им ответили», — сказала она журналистам у зала заседаний.",
            ),
        ),
    ],
    ("economy", "ru"): [
        (7, "numbers", ("45%", "54%")),
        (9, "numbers", ("что на 7% меньше", "что меньше")),
        (1, "weekday-month", ("в понедельник", "в среду")),
        (6, "weekday-month", ("с июля по июнь", "с июля по май")),
        (12, "weekday-month", ("до конца ноября", "до конца октября")),
        (1, "magnitude", ("6,1 млн тонн", "6,1 тыс. тонн")),
        (3, "magnitude", ("1,3 млрд долларов", "1,3 млн долларов")),
        (13, "magnitude", ("3,6 млрд долларов", "3,6 доллара")),
        (
            5,
            "untranslated",
            (
                "Но один удачный удар по порту может за неделю всё изменить",
                "But one successful strike on a port could reverse that in a week",
            ),
        ),
        (4, "wrong-language", "other"),
        (8, "wrong-language", "other"),
        (11, "wrong-language", "other"),
        (10, "empty", "empty"),
        (
            9,
            "omission",
            (
                "drop",
                "По оценке Украинской зерновой ассоциации, озимая пшеница посеяна на 4,5 млн гектаров, что на 7% меньше, чем год назад.",
            ),
        ),
    ],
    ("economy", "uk"): [
        (2, "numbers", ("3,4 млн тонн", "3,2 млн тонн")),
        (10, "numbers", (" в 21,5% ВВП", " в ВВП")),
        (1, "weekday-month", ("У жовтні", "У вересні")),
        (6, "weekday-month", ("з липня по червень", "з червня по травень")),
        (3, "magnitude", ("1,3 млрд доларів", "1,3 млн доларів")),
        (8, "magnitude", ("300 тис. тонн", "300 тонн")),
        (9, "magnitude", ("4,5 млн гектарів", "4,5 тис. гектарів")),
        (13, "magnitude", ("3,6 млрд доларів", "3,6 трлн доларів")),
        (12, "untranslated", "english"),
        (4, "wrong-language", "other"),
        (7, "wrong-language", "other"),
        (11, "wrong-language", "other"),
        (5, "empty", "empty"),
        (
            9,
            "omission",
            (
                "drop",
                "Аграрні об'єднання попередили, що нестача добрив і пального може зменшити врожай наступного року.",
            ),
        ),
    ],
    ("weather", "uk"): [
        (2, "numbers", ("260 людей", "206 людей")),
        (3, "numbers", ("67-річний", "76-річний")),
        (6, "numbers", ("понад 1200", "понад 1000")),
        (12, "numbers", ("номером 101", "номером 102")),
        (1, "weekday-month", ("в суботу", "в неділю")),
        (7, "weekday-month", ("у понеділок", "у вівторок")),
        (9, "weekday-month", ("до вівторка", "до середи")),
        (8, "magnitude", ("50 млн гривень", "50 тис. гривень")),
        (5, "untranslated", "english"),
        (
            10,
            "untranslated",
            ("«Голі схили не можуть утримати воду»", "«Bare slopes cannot hold the water»"),
        ),
        (4, "empty", "empty"),
        (3, "omission", ("drop", "Зник безвісти рибалка.")),
        (7, "omission", ("drop", "Укрзалізниця очікує відновити рух поїздів у понеділок.")),
        (
            10,
            "omission",
            ("drop", "Екологи вважають, що повені посилює незаконна вирубка лісів у Карпатах."),
        ),
        (
            6,
            "omission",
            ("drop", "Сусідні Румунія та Угорщина запропонували насоси й мішки з піском."),
        ),
    ],
}

# the paragraphs of the Russian version written in Ukrainian and the reverse come from here
OTHER = {"ru": "uk", "uk": "ru"}


def planted(story: str, lang: str) -> None:
    en, tr = english(story), translation(story, lang)
    pairs, expect = [], []
    for j, kind, how in PLANTED[(story, lang)]:
        text = tr[j]
        if how == "english":
            bad = en[j]
        elif how == "empty":
            bad = ""
        elif how == "other":
            bad = translation(story, OTHER[lang])[j]
        elif how[0] == "drop":
            assert how[1] in text, (story, lang, j, how)
            bad = re.sub(r"\s{2,}", " ", text.replace(how[1], "")).strip()
        else:
            assert how[0] in text, (story, lang, j, how)
            bad = text.replace(how[0], how[1], 1)
        assert bad != text
        pairs.append((en[j], bad))
        expect.append(kind)
    write(
        f"{lang}_{story}_planted",
        lang,
        pairs,
        expect,
        f"one planted error in each of these {lang} paragraphs of the {story} story",
    )


def main() -> None:
    for story, lang in [
        ("politics", "ru"),
        ("economy", "ru"),
        ("tricky", "ru"),
        ("economy", "uk"),
        ("weather", "uk"),
        ("tricky", "uk"),
    ]:
        good(story, lang)
    for story, lang in PLANTED:
        planted(story, lang)


if __name__ == "__main__":
    main()
