"""The target languages as people write them and read them.

The desk stores ISO 639-1 codes (`ru`, `uk`); the newsroom's own files and site write Ukrainian
as `UA`, older tools as `ukr` or `uk-UA`. `language_code` reads any of them as the desk's code,
wherever a language comes in (story and exchange files, the command line, a page's address);
`language_name` and `language_names` say them in words ("Ukrainian", never "UK") wherever a
person reads one.
"""

from collections.abc import Iterable

from workflow import LANGUAGES
from workflow.errors import InputError

# How else a target language is written, lower-cased: the newsroom's `ua`, three-letter codes.
ALIASES = {"ua": "uk", "ukr": "uk", "rus": "ru"} | {
    name.lower(): code for code, name in LANGUAGES.items()
}


def language_code(written: str) -> str:
    """The desk's code for a target language as written (`UA`, `ua`, `uk-UA`, `Ukrainian`:
    `uk`); refused with `InputError`, saying which are known, for any other text."""
    base = written.strip().replace("_", "-").split("-")[0].lower()
    code = ALIASES.get(base, base)
    if code not in LANGUAGES:
        known = " and ".join(f"{c} ({name})" for c, name in LANGUAGES.items())
        shown = written.strip()[:20] or "(none given)"
        raise InputError(
            f"Unknown language {shown}: Lockstep translates into {known}; ua is Ukrainian too."
        )
    return code


def language_codes(written: Iterable[str]) -> list[str]:
    """`language_code` of each, once each, in the desk's order of languages."""
    codes = {language_code(w) for w in written}
    return [code for code in LANGUAGES if code in codes]


def language_name(code: str) -> str:
    """ "Ukrainian" for `uk`; a code the desk does not know, as it is."""
    return LANGUAGES.get(code, code)


def language_names(codes: Iterable[str]) -> str:
    """ "Russian, Ukrainian": languages in words, in the desk's order; "no language" for none."""
    given = set(codes)
    named = [name for code, name in LANGUAGES.items() if code in given]
    named += sorted(c for c in given if c not in LANGUAGES)
    return ", ".join(named) or "no language"
