"""Builds the held-out realignment cases from ../stories: old.txt, new.txt and truth.json for each.

Run once by whoever changes the set (`python benchmarks/heldout/realign/make_cases.py`); the cases it
writes are committed, so scoring never depends on this script.

Truth, per paragraph j of NEW:
  expect[j]     'unchanged' (must be unchanged), 'minor' (a style-only edit: recognised when minor),
                'minor-or-unchanged' (quote style or spacing alone: recognised when minor or unchanged),
                'changed' (a meaning change: must be changed or new), 'new' (must be new or changed),
                'struct' (part of a split or a merge: must not be unchanged)
  kind[j]       what was done to the paragraph (for the per-kind figures)
  from_alts[j]  acceptable `from` lists (OLD indices); [] means a new paragraph
heirs: {old index: [acceptable NEW indices that inherit its row]}; [null] when the row is removed.
"""

# ruff: noqa: E501  (the sentences of the set stay whole, one per line)

import json
import pathlib
import random
import re

HERE = pathlib.Path(__file__).parent
OUT = HERE / "cases"
STORIES = HERE.parent / "stories"


def paras(name: str) -> list[str]:
    text = (STORIES / f"{name}.txt").read_text(encoding="utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def straight(text: str) -> str:
    return text.replace("“", '"').replace("”", '"').replace("’", "'")


class Case:
    """A working copy of a story: OLD is fixed first, then NEW is edited paragraph by paragraph."""

    def __init__(self, base: list[str]):
        self.old = list(base)
        self.work = [
            {"text": t, "from": [[i]], "expect": "unchanged", "kind": "same"}
            for i, t in enumerate(base)
        ]

    def edit(self, j: int, a: str, b: str, expect: str, kind: str) -> "Case":
        """OLD paragraph j reads `a` where NEW reads `b` (the story file may hold either)."""
        w = self.work[j]
        if a in self.old[j]:
            pass
        else:
            assert b in self.old[j], (j, b)
            self.old[j] = self.old[j].replace(b, a, 1)
            w["text"] = self.old[j]
        assert w["text"].count(a) >= 1, (j, a)
        w["text"] = w["text"].replace(a, b, 1)
        w["expect"], w["kind"] = expect, kind
        return self

    def set_old(self, j: int, text: str) -> "Case":
        self.old[j] = text
        self.work[j]["text"] = text
        return self

    def set_new(self, j: int, text: str, expect: str, kind: str) -> "Case":
        self.work[j].update(text=text, expect=expect, kind=kind)
        return self

    def write(self, name: str, note: str, either_heir: tuple[int, int] | None = None) -> None:
        new = [w["text"] for w in self.work]
        # identical old paragraphs next to each other cannot be told apart: any copy of the run will do
        run_of = list(range(len(self.old)))
        for i in range(1, len(self.old)):
            if self.old[i] == self.old[i - 1]:
                run_of[i] = run_of[i - 1]
        for w in self.work:
            if len(w["from"]) == 1 and len(w["from"][0]) == 1:
                i = w["from"][0][0]
                w["from"] = [[k] for k in range(len(self.old)) if run_of[k] == run_of[i]]
        heirs: dict[int, list[int | None]] = {}
        for i in range(len(self.old)):
            exact = [
                j
                for j, w in enumerate(self.work)
                if w["expect"] == "unchanged" and [i] in w["from"]
            ]
            anyj = [j for j, w in enumerate(self.work) if any(i in f for f in w["from"])]
            heirs[i] = exact or anyj or [None]
        if either_heir:  # two identical old copies, one deleted: either may hand its row on
            both = sorted({j for i in either_heir for j in heirs[i] if j is not None})
            for i in either_heir:
                heirs[i] = [*both, None]
        truth = {
            "note": note,
            "expect": [w["expect"] for w in self.work],
            "kind": [w["kind"] for w in self.work],
            "from_alts": [w["from"] for w in self.work],
            "heirs": heirs,
        }
        d = OUT / name
        d.mkdir(parents=True, exist_ok=True)
        (d / "old.txt").write_text("\n\n".join(self.old) + "\n", encoding="utf-8")
        (d / "new.txt").write_text("\n\n".join(new) + "\n", encoding="utf-8")
        (d / "truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
        )


def style_cases() -> None:
    M, Q = "minor", "minor-or-unchanged"
    pol = Case(paras("politics"))
    pol.edit(1, "aproved", "approved", M, "typo")
    pol.edit(2, "3.5 per cent", "3.5 percent", M, "per-cent")
    pol.set_new(3, straight(pol.old[3]), Q, "quote-style")
    pol.edit(4, "road repairs and teacher", "road repairs, and teacher", M, "oxford-comma")
    pol.edit(5, "organise", "organize", M, "spelling-variant")
    pol.edit(6, "will go to to air", "will go to air", M, "doubled-word")
    pol.edit(8, "The U.S. ambassador", "The US ambassador", M, "dotted-abbreviation")
    pol.edit(9, "labour shortage", "labor shortage", M, "spelling-variant")
    pol.edit(11, "broadly in favour", "broadly in favor", M, "spelling-variant")
    pol.edit(12, "the increase , while", "the increase, while", Q, "spacing")
    pol.write(
        "politics_style",
        "style-only edits: typo, per cent, quotes, Oxford comma, -ise/-ize, doubled word, U.S., spacing",
    )

    crt = Case(paras("courts"))
    crt.edit(1, "sentnced", "sentenced", M, "typo")
    crt.edit(3, "2 metres", "2 meters", M, "spelling-variant")
    crt.edit(4, "the defence would", "the defense would", M, "spelling-variant")
    crt.set_old(5, straight(crt.old[5])).set_new(5, paras("courts")[5], Q, "quote-style")
    crt.edit(6, "cooperate", "co-operate", M, "spelling-variant")
    crt.edit(
        7, "two flats in Kyiv and a yacht", "two flats in Kyiv, and a yacht", M, "oxford-comma"
    )
    crt.edit(8, "about 40 per cent", "about 40%", M, "per-cent")
    crt.edit(9, "by the the illness", "by the illness", M, "doubled-word")
    crt.edit(10, "the damage.  “Eight", "the damage. “Eight", Q, "spacing")
    crt.edit(11, "repeatdly", "repeatedly", M, "typo")
    crt.write("courts_style", "style-only edits in a court report")

    eco = Case(paras("economy"))
    eco.edit(1, "ministy", "ministry", M, "typo")
    eco.edit(3, "up 18% from", "up 18 per cent from", M, "per-cent")
    eco.edit(4, "insurence costs", "insurance costs", M, "typo")
    eco.edit(6, "the 2024-25 marketing", "the 2024–25 marketing", M, "dash")
    eco.edit(7, "China, Spain and Egypt", "China, Spain, and Egypt", M, "oxford-comma")
    eco.edit(9, "fertiliser", "fertilizer", M, "spelling-variant")
    eco.edit(10, "21.5% of GDP", "21.5 percent of GDP", M, "per-cent")
    eco.edit(11, "their own own bans", "their own bans", M, "doubled-word")
    eco.set_new(12, straight(eco.old[12]), Q, "quote-style")
    eco.edit(13, "earnings , which", "earnings, which", Q, "spacing")
    eco.write("economy_style", "style-only edits in an economy story (per cent both ways, en dash)")

    wea = Case(paras("weather"))
    wea.edit(1, "househlods", "households", M, "typo")
    wea.edit(2, "3.2 metres", "3.2 meters", M, "spelling-variant")
    wea.edit(4, "Wednesday – more", "Wednesday - more", M, "dash")
    wea.set_new(5, straight(wea.old[5]), Q, "quote-style")
    wea.edit(6, "Neighbouring", "Neighboring", M, "spelling-variant")
    wea.edit(7, "after a a landslide", "after a landslide", M, "doubled-word")
    wea.edit(9, "to ease  on Sunday", "to ease on Sunday", Q, "spacing")
    wea.edit(10, "Enviromental", "Environmental", M, "typo")
    wea.write(
        "weather_style", "style-only edits in a disaster report (en dash to hyphen, a double space)"
    )

    spo = Case(paras("sport"))
    spo.edit(1, "to draw 2-2 with", "to draw 2–2 with", M, "dash")
    spo.edit(2, "afer 12 minutes", "after 12 minutes", M, "typo")
    spo.edit(3, "equalised", "equalized", M, "spelling-variant")
    spo.edit(5, "in the box .", "in the box.", Q, "spacing")
    spo.edit(6, "travelling fans", "traveling fans", M, "spelling-variant")
    spo.set_new(7, straight(spo.old[7]), Q, "quote-style")
    spo.edit(8, "was was less happy", "was less happy", M, "doubled-word")
    spo.edit(9, "Sporting and one", "Sporting, and one", M, "oxford-comma")
    spo.write("sport_style", "style-only edits in a match report (score hyphen to en dash)")


def meaning_cases() -> None:
    C = "changed"
    pol = Case(paras("politics"))
    pol.edit(1, "early on Thursday", "early on Friday", C, "weekday")
    pol.edit(2, "84 votes to 41", "84 votes to 14", C, "number")
    pol.edit(3, "Our allies told us they", "Our allies told US they", C, "case-acronym")
    pol.edit(
        4,
        "called the budget “a promise written on borrowed money”",
        "called the budget a promise written on borrowed money",
        C,
        "quotes-removed",
    )
    pol.edit(5, "said borrowing would rise", "said borrowing would not rise", C, "negation")
    pol.edit(6, "deployed by 2027", "deployed by 2028", C, "year")
    pol.edit(7, "wants to expand from", "wants to expend from", C, "real-word")
    pol.edit(8, "The U.S. ambassador", "The UK ambassador", C, "name")
    pol.edit(9, "coalition was convinced", "coalition was convicted", C, "real-word")
    pol.edit(10, "began at 10:00 on", "began at 11:00 on", C, "time")
    pol.edit(11, "Vytautas Lapinskas", "Vytautas Lapinskis", C, "name")
    pol.edit(12, "found that 71 per cent", "found that 17 per cent", C, "number")
    pol.edit(13, "on December 12", "on November 12", C, "month")
    pol.write(
        "politics_meaning",
        "meaning changes: weekday, numbers, us->US, quotes removed, negation, real words, names, month",
    )

    crt = Case(paras("courts"))
    crt.edit(1, "on Tuesday sentenced", "on Thursday sentenced", C, "weekday")
    crt.edit(2, "Dovhal, 58,", "Dovhal, 56,", C, "number")
    crt.edit(3, "registered in Cyprus", "registered in Malta", C, "place")
    crt.edit(4, "and did not speak", "and did speak", C, "negation")
    crt.edit(5, "who testified for us", "who testified for them", C, "pronoun")
    crt.edit(6, "three and four years", "three and five years", C, "number-word")
    crt.edit(7, "two flats in Kyiv", "two flats in Lviv", C, "place")
    crt.edit(
        8,
        "called the sentence “a signal to every official who thinks a tender is a private matter”",
        "called the sentence a signal to every official who thinks a tender is a private matter",
        C,
        "quotes-removed",
    )
    crt.edit(9, "The trial was", "The trail was", C, "real-word")
    crt.edit(10, "group Clean Harbours", "group Clear Harbours", C, "name")
    crt.edit(11, "drones since 2022", "drones since 2023", C, "year")
    crt.edit(12, "early next year", "early this year", C, "date-word")
    crt.write("courts_meaning", "meaning changes in a court report")

    eco = Case(paras("economy"))
    eco.edit(1, "6.1 million tonnes", "6.1 billion tonnes", C, "magnitude")
    eco.edit(2, "at 3.4 million", "at 4.3 million", C, "number")
    eco.edit(3, "about $1.3 billion", "about €1.3 billion", C, "currency")
    eco.edit(4, "had fallen by", "had risen by", C, "real-word")
    eco.edit(5, "one successful strike", "one unsuccessful strike", C, "negation")
    eco.edit(6, "from July to June", "from June to July", C, "month")
    eco.edit(7, "taking 45% of", "taking 54% of", C, "number")
    eco.edit(8, "tonnes a month as", "tonnes a week as", C, "real-word")
    eco.edit(9, "7% less than", "7% more than", C, "real-word")
    eco.edit(10, "41 to the dollar", "41 to the euro", C, "currency")
    eco.edit(11, "Hungary and Slovakia", "Hungary and Slovenia", C, "place")
    eco.edit(
        12,
        "were “close to an agreement” and",
        "were close to an agreement and",
        C,
        "quotes-removed",
    )
    eco.edit(13, "totalled $3.6 billion", "totalled ₴3.6 billion", C, "currency")
    eco.write(
        "economy_meaning",
        "meaning changes in an economy story: magnitude, currency symbols, months, real words",
    )

    wea = Case(paras("weather"))
    wea.edit(1, "said on Saturday", "said on Sunday", C, "weekday")
    wea.edit(2, "including 40 children", "including 14 children", C, "number")
    wea.edit(3, "Two people died", "Three people died", C, "number-word")
    wea.edit(4, "180 millimetres", "180 centimetres", C, "unit")
    wea.edit(5, "the documents and the dog", "the documents and the cat", C, "word")
    wea.edit(6, "Romania and Hungary", "Romania and Slovakia", C, "place")
    wea.edit(7, "said it expected trains", "said it did not expect trains", C, "negation")
    wea.edit(8, "50 million hryvnias", "50 million euros", C, "currency")
    wea.edit(9, "the rain to ease on", "the rain to cease on", C, "real-word")
    wea.edit(10, "“Bare slopes", "“Bear slopes", C, "real-word")
    wea.edit(11, "years in 2020", "years in 2010", C, "year")
    wea.edit(12, "service on 101", "service on 112", C, "number")
    wea.write("weather_meaning", "meaning changes in a disaster report")

    spo = Case(paras("sport"))
    spo.edit(1, "on Wednesday night", "on Tuesday night", C, "weekday")
    spo.edit(2, "after 12 minutes", "after 21 minutes", C, "number")
    spo.edit(3, "inside the far post", "inside the near post", C, "real-word")
    spo.edit(4, "71st minute", "77th minute", C, "number")
    spo.edit(5, "two-minute video review", "three-minute video review", C, "number-word")
    spo.edit(6, "1,500 travelling", "15,000 travelling", C, "number")
    spo.edit(7, "This team has character", "This team has no character", C, "negation")
    spo.edit(8, "for 80 minutes", "for 85 minutes", C, "number")
    spo.edit(9, "fourth in their group", "third in their group", C, "number-word")
    spo.edit(10, "on November 26", "on November 29", C, "date")
    spo.edit(11, "exceed €400,000", "exceed £400,000", C, "currency")
    spo.edit(12, "travel to Glasgow", "travel to Edinburgh", C, "place")
    spo.write("sport_meaning", "meaning changes in a match report")


def structure_cases() -> None:
    # an edited copy inserted above the unchanged paragraph it updates (twice in one story)
    base = paras("politics")
    c = Case(base)
    upd1 = (
        base[1]
        .replace("early on Thursday", "early on Friday")
        .replace("4.2 billion", "4.3 billion")
    )
    upd8 = base[8].replace("on Thursday afternoon", "on Thursday evening")
    c.work.insert(
        9, {"text": upd8, "from": [[], [8]], "expect": "changed", "kind": "edited-copy-below"}
    )
    c.work.insert(
        1, {"text": upd1, "from": [[], [1]], "expect": "changed", "kind": "edited-copy-above"}
    )
    c.write(
        "edited_copy_above",
        "[H, P1, ...] -> [H, P1', P1, ...]: the unchanged P1 keeps its row; P8 gets an edited copy below it",
    )

    # repeated boilerplate: the first copy removed ([H, AD, P1, AD, P2] -> [H, P1, AD, P2])
    ad = "Our reporting from the ports is free to read. Support independent journalism in Ukraine."
    eco = paras("economy")
    old = [*eco[:1], ad, *eco[1:5], ad, *eco[5:10], ad, *eco[10:]]
    c = Case(old)
    del c.work[1]
    c.write(
        "boilerplate_first_removed",
        "three copies of a support appeal; the first removed, the others map copy to copy",
    )

    # repeated boilerplate: the middle copy removed, and a paragraph next to it edited
    ad2 = "Read more: all our reporting on corruption trials is collected on one page."
    crt = paras("courts")
    old = [*crt[:3], ad2, *crt[3:7], ad2, *crt[7:10], ad2, *crt[10:]]
    c = Case(old)
    c.edit(9, "two flats in Kyiv", "three flats in Kyiv", "changed", "number-word")
    del c.work[8]
    c.write(
        "boilerplate_middle_removed", "three copies of a read-more line; the middle one removed"
    )

    # moved, split, merged
    wea = paras("weather")
    c = Case(wea)
    w3 = c.work[3]
    t = w3["text"]
    k = t.index("A fisherman")
    c.work[3:4] = [
        {"text": t[:k].strip(), "from": [[3]], "expect": "struct", "kind": "split"},
        {"text": t[k:].strip(), "from": [[3]], "expect": "struct", "kind": "split"},
    ]
    # merge 11 and 12 (now 12 and 13)
    a, b = c.work[12], c.work[13]
    c.work[12:14] = [
        {
            "text": a["text"] + " " + b["text"],
            "from": [[11, 12]],
            "expect": "struct",
            "kind": "merge",
        }
    ]
    # move the quote of the environmental group (old 10) up, under the deaths
    moved = c.work.pop(11)
    c.work.insert(5, moved)
    c.write(
        "moved_split_merged", "a quote moved up, a paragraph split in two, two paragraphs merged"
    )

    # added and deleted
    spo = paras("sport")
    c = Case(spo)
    del c.work[8]  # Sporting's coach
    del c.work[4]  # stoppage time foul
    c.work.insert(
        4,
        {
            "text": "Shakhtar’s goalkeeper Dmytro Ryzhuk kept his side in the game with a double save from Holm and Carvalho ten minutes from time.",
            "from": [[]],
            "expect": "new",
            "kind": "added",
        },
    )
    c.work.append(
        {
            "text": "Celtic’s manager said after their defeat that his team still had a good chance of reaching the play-off round.",
            "from": [[]],
            "expect": "new",
            "kind": "added",
        }
    )
    c.write("added_deleted", "two paragraphs deleted, two added (one of them at the end)")

    # everything at once
    eco = paras("economy")
    c = Case(eco)
    c.edit(2, "420,000 tonnes", "520,000 tonnes", "changed", "number")
    c.edit(9, "fertiliser", "fertilizer", "minor", "spelling-variant")
    moved = c.work.pop(5)
    c.work.insert(2, moved)
    del c.work[8]  # China, Spain and Egypt
    c.work.insert(
        10,
        {
            "text": "The Black Sea route has carried more than 60 million tonnes of cargo since it opened in August of last year.",
            "from": [[]],
            "expect": "new",
            "kind": "added",
        },
    )
    c.write(
        "mixed",
        "a number changed, a spelling variant, a quote moved up, a paragraph deleted, one added",
    )


DISTRICTS = [
    "Bucha",
    "Brovary",
    "Boryspil",
    "Irpin",
    "Fastiv",
    "Obukhiv",
    "Vyshhorod",
    "Bila Tserkva",
    "Vasylkiv",
    "Yahotyn",
    "Pereiaslav",
    "Skvyra",
    "Makariv",
    "Borodianka",
    "Ukrainka",
    "Slavutych",
]
CITIES = [
    "Kharkiv",
    "Dnipro",
    "Zaporizhzhia",
    "Sumy",
    "Odesa",
    "Mykolaiv",
    "Kherson",
    "Chernihiv",
    "Poltava",
    "Kryvyi Rih",
]


def blog_entry(rng: random.Random, minute: int) -> str:
    hh, mm = divmod(minute, 60)
    t = f"{hh % 24:02d}:{mm:02d}"
    r = rng.random()
    if r < 0.18:
        return "Air-raid alert declared in Kyiv region. Please go to the nearest shelter."
    if r < 0.34:
        return "Air-raid alert lifted in Kyiv region."
    if r < 0.62:
        n = rng.randrange(200, 4000, 10)
        return f"{t} Power restored to {n:,} households in {rng.choice(DISTRICTS)} district after repairs to a damaged line, the regional grid operator said."
    if r < 0.80:
        n = rng.randint(2, 60)
        return f"{t} {rng.choice(CITIES)}: {n} people evacuated from a damaged apartment block, the emergency service said."
    if r < 0.92:
        return f"{t} Firefighters have put out a blaze at a warehouse in {rng.choice(CITIES)}; no one was hurt, the emergency service said."
    return f"{t} Scheduled outages will apply in {rng.choice(DISTRICTS)} district from {rng.randint(6, 20)}:00 until midnight."


def live_blog(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    # newest first, as live blogs are published
    entries = [blog_entry(rng, 8 * 60 + 3 * i) for i in range(n)]
    return ["Live: power cuts and air-raid alerts across Kyiv region", *entries[::-1]]


def blog_case(name: str, n: int, seed: int, note: str) -> None:
    old = live_blog(n, seed)
    c = Case(old)
    rng = random.Random(seed + 1)
    timed = [i for i, t in enumerate(old) if i > 0 and t[:2].isdigit()]
    repeated = [i for i, t in enumerate(old) if i > 2 and old.count(t) > 1 and old[i - 1] == t]
    timed = [
        i for i in timed if "the emergency service said" in old[i] or "grid operator" in old[i]
    ]
    picks = rng.sample(timed[5:-5], 8)
    a, b, s1, s2, s3, d1, d2, far = picks
    # meaning changes: a time, a count
    ta = old[a]
    c.set_new(a, ta[:3] + ("1" if ta[3] != "1" else "2") + ta[4:], "changed", "time")
    count = re.search(r" (\d[\d,]*) (households|people)", old[b])
    assert count
    more = int(count.group(1).replace(",", "")) + 100
    c.set_new(
        b, old[b].replace(count.group(0), f" {more:,} {count.group(2)}", 1), "changed", "number"
    )
    # style edits: a typo fixed, spaces tidied
    typo = (
        old[s1]
        .replace("emergency service said", "emergency servcie said")
        .replace("grid operator said", "gird operator said")
    )
    assert typo != old[s1]
    c.set_old(s1, typo).set_new(s1, old[s1], "minor", "typo")
    spaced = (
        old[s2]
        .replace(" district", "  district")
        .replace(" people", "  people")
        .replace(" blaze", "  blaze")
    )
    assert spaced != old[s2]
    c.set_old(s2, spaced).set_new(s2, old[s2], "minor-or-unchanged", "spacing")
    c.set_new(s3, old[s3][:-1] + " .", "minor-or-unchanged", "spacing")
    # an exact duplicate entry whose neighbour (its twin) is deleted: the survivor is unchanged
    twin = repeated[len(repeated) // 2]
    # the survivor and its deleted twin read the same: either old copy may be called its origin
    c.work[twin - 1]["from"] = [[twin - 1], [twin]]
    c.work[twin - 1]["kind"] = "twin-deleted"
    dels = sorted([d1, d2, twin], reverse=True)
    for d in dels:
        del c.work[d]
    # a brand-new entry at the top, like an old one far below but not the same
    top = (
        old[far][:5].replace(old[far][:2], "23")
        + " Power restored to 1,005 households in Slavutych district after repairs to a damaged substation, the regional grid operator said."
    )
    c.work.insert(1, {"text": top, "from": [[]], "expect": "new", "kind": "added-top"})
    # a new copy of a repeated entry, not next to an old copy of the same text
    repeat = next(
        x
        for x in (
            "Air-raid alert lifted in Kyiv region.",
            "Air-raid alert declared in Kyiv region. Please go to the nearest shelter.",
        )
        if x != old[1]
    )
    c.work.insert(2, {"text": repeat, "from": [[]], "expect": "new", "kind": "added-top-repeat"})
    # an added entry in the middle
    mid = len(c.work) // 2
    c.work.insert(
        mid,
        {
            "text": "Editor’s note: an earlier entry misstated the number of evacuated residents in Sumy; it has been removed.",
            "from": [[]],
            "expect": "new",
            "kind": "added",
        },
    )
    c.write(name, note, either_heir=(twin - 1, twin))


def main() -> None:
    style_cases()
    meaning_cases()
    structure_cases()
    blog_case(
        "liveblog_240",
        240,
        14,
        "a live blog of 240 near-identical entries, newest first: entries edited, deleted (one a duplicate's twin), added at the top and in the middle",
    )
    blog_case(
        "liveblog_1500",
        1500,
        15,
        "the same on 1,500 entries: new entries at the top resemble entries far below",
    )


if __name__ == "__main__":
    main()
