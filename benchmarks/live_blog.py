"""Synthetic live blogs and their edits, for the realigner's benchmark."""

import random

_WORDS = [
    "the",
    "a",
    "troops",
    "officials",
    "said",
    "minister",
    "forces",
    "border",
    "talks",
    "deployment",
    "allies",
    "ministry",
    "report",
    "city",
    "region",
    "attack",
    "strike",
    "power",
    "water",
    "aid",
    "convoy",
    "meeting",
    "statement",
    "president",
    "government",
    "army",
    "drone",
    "missile",
    "overnight",
    "residents",
    "shelter",
    "hospital",
    "bridge",
    "railway",
    "negotiations",
    "council",
    "sanctions",
    "energy",
    "prices",
    "winter",
    "front",
    "line",
    "reinforcements",
    "spokesman",
    "confirmed",
    "denied",
    "claimed",
]
_NAMES = [
    "Kyiv",
    "Kharkiv",
    "Odesa",
    "Brussels",
    "Warsaw",
    "Kirby",
    "Austin",
    "Stoltenberg",
    "Zelensky",
    "Pentagon",
]


def paragraph(rng: random.Random, n: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(18, 60))]
    words[rng.randrange(len(words))] = rng.choice(_NAMES)
    words.insert(rng.randrange(len(words)), str(rng.randint(2, 9000)))
    return f"Update {n}: " + " ".join(words).capitalize() + "."


def blog(size: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [paragraph(rng, n) for n in range(size)]


def edit(
    paragraphs: list[str],
    *,
    edited: float = 0.01,
    inserted: float = 0.01,
    deleted: float = 0.01,
    moved: float = 0.005,
    splits: int = 2,
    merges: int = 2,
    seed: int = 11,
) -> list[str]:
    """A later version of the blog: some entries corrected, added, deleted, moved, split, merged."""
    rng = random.Random(seed)
    new = list(paragraphs)
    n = len(new)
    for i in rng.sample(range(n), max(1, int(n * edited))):
        words = new[i].split(" ")
        k = rng.randrange(1, len(words))
        words[k] = rng.choice(_WORDS)
        new[i] = " ".join(words)
    for _ in range(max(1, int(n * deleted))):
        del new[rng.randrange(len(new))]
    for _ in range(max(1, int(n * moved))):
        p = new.pop(rng.randrange(len(new)))
        new.insert(rng.randrange(len(new)), p)
    for _ in range(splits):
        i = rng.randrange(len(new))
        words = new[i].split(" ")
        half = len(words) // 2
        new[i : i + 1] = [" ".join(words[:half]) + ".", " ".join(words[half:])]
    for _ in range(merges):
        i = rng.randrange(len(new) - 1)
        new[i : i + 2] = [new[i] + " " + new[i + 1]]
    for _ in range(max(1, int(n * inserted))):
        new.insert(rng.randrange(len(new) + 1), paragraph(rng, 100_000 + rng.randrange(1000)))
    return new
