"""`glossary`: a paragraph whose English has a glossary term uses the desk's translation of it.

Russian and Ukrainian inflect, so each word of the required translation is looked for by its
stem (the word less its last two letters, at least four letters): "Пентагон" is found in
"Пентагону" and "Пентагоном".
"""

import re

from workflow.checks.base import Check, Pair, Severity

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _stem(word: str) -> str:
    word = word.lower()
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def uses(target: str, translation: str) -> bool:
    words = [w.lower() for w in WORD.findall(target)]
    return all(any(w.startswith(_stem(t)) for w in words) for t in WORD.findall(translation))


def mentions(source: str, term: str) -> bool:
    return re.search(rf"(?i)(?<!\w){re.escape(term)}(?!\w)", source) is not None


class GlossaryCheck(Check, code="glossary", name="Glossary", severity=Severity.WARNING):
    """Terms of the desk's glossary are translated as the glossary says."""

    def check(self, pair: Pair) -> str | None:
        if not pair.target.strip():
            return None
        wrong = [
            f"{term.english} → {term.translations[pair.lang]}"
            for term in pair.glossary
            if term.translations.get(pair.lang)
            and mentions(pair.source, term.english)
            and not uses(pair.target, term.translations[pair.lang])
        ]
        if wrong:
            return f"The glossary asks for: {'; '.join(wrong)}."
        return None
