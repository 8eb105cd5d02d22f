"""The words of paragraphs as the realigner compares them: one character a word.

Spelling each word as one character of a private alphabet lets rapidfuzz's compiled string
routines compare paragraphs word by word.
"""

import re
from collections.abc import Sequence

from rapidfuzz.distance import LCSseq

from workflow.segmentation import comparison_key

_WORD = re.compile(r"\w+")


class Texts:
    """One side's paragraphs, with comparison keys and word tokens computed only when needed.

    Most paragraphs of a live blog are identical between two versions and are matched on their
    raw text, so their keys are never computed: that is what keeps the realigner near the cost
    of hashing the texts.
    """

    def __init__(self, paragraphs: Sequence[str], vocabulary: dict[str, str]) -> None:
        self.raw = paragraphs
        self._keys: dict[int, str] = {}
        self._words: dict[int, str] = {}
        self._sets: dict[int, set[str]] = {}
        self._vocabulary = vocabulary  # shared by both sides: word -> one character

    def __len__(self) -> int:
        return len(self.raw)

    def key(self, i: int) -> str:
        if i not in self._keys:
            self._keys[i] = comparison_key(self.raw[i])
        return self._keys[i]

    def words(self, i: int) -> str:
        """The paragraph's words, one character each, so that rapidfuzz compares words."""
        if i not in self._words:
            vocabulary = self._vocabulary
            self._words[i] = "".join(
                vocabulary.get(word) or vocabulary.setdefault(word, _letter(len(vocabulary)))
                for word in _WORD.findall(self.key(i).lower())
            )
        return self._words[i]

    def word_set(self, i: int) -> set[str]:
        if i not in self._sets:
            self._sets[i] = set(self.words(i))
        return self._sets[i]


def _letter(n: int) -> str:
    """The n-th character of the words' private alphabet (past the surrogate range)."""
    code = 0x4E00 + n
    return chr(code + 0x800 if code >= 0xD800 else code)


def similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return 2 * LCSseq.similarity(a, b) / (len(a) + len(b))


def contained(part: str, whole: str) -> float:
    """Share of `part`'s words that appear, in order, in `whole`."""
    return LCSseq.similarity(part, whole) / len(part) if part else 0.0
