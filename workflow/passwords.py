"""What makes a password acceptable: long enough, and not among those attackers try first.

A password is refused when it has fewer than 10 characters; when it is one of the 30,000 most
common passwords of published breaches (the list that zxcvbn ships, case ignored); when zxcvbn
estimates that fewer than a million guesses find it (a keyboard walk, a repeated character, a
word and a year, the person's own name or address, the desk's name); and when it is the demo's
published password, for anyone who is not one of the demo's people. zxcvbn, Dropbox's estimator
in its maintained Python port, is used rather than a list of our own: its lists come from real
breaches, and others keep them up to date. Nothing here stores or logs a password.
"""

from functools import cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from workflow.errors import InputError
from workflow.typed_text import refuse_control_characters

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 hashes anything, but nobody types more; refuse a pasted file
MIN_GUESSES_LOG10 = 6  # a million guesses: hours for a throttled attacker, not seconds
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the start of a long password says enough
DESK_WORDS = ("lockstep", "newsroom", "desk", "translation", "translator")
DEMO_PASSWORD = "lockstep-demo"  # published in the README and on the demo's sign-in page


@cache
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(
    password: str, *, name: str = "", email: str = "", demo_person: bool = False
) -> None:
    """Refuse, with `InputError` saying why, a password that is short, common or guessable.

    `name` and `email` are the person's: a password built from them is easy to guess.
    `demo_person`: one of the demo's people, who may keep the demo's published password.
    """
    if len(password) < MIN_PASSWORD:
        raise InputError(f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"A password may have at most {MAX_PASSWORD} characters.")
    refuse_control_characters(password, "The password")
    if password == DEMO_PASSWORD and not demo_person:
        raise InputError(
            "That is the demo's published password: choose another (a few unrelated words "
            "make a good one)."
        )
    if password.lower() in _common():
        raise InputError(
            "That password is one of the most common ones, the first an attacker tries: "
            "choose another (a few unrelated words make a good one)."
        )
    if password == DEMO_PASSWORD:
        return  # a demo person's, which zxcvbn rightly calls weak: the demo is not private
    words = [w for w in (name, email, email.partition("@")[0], *DESK_WORDS) if w]
    estimate = zxcvbn(password[:ZXCVBN_MAX], user_inputs=words)
    if estimate["guesses_log10"] < MIN_GUESSES_LOG10:
        why = estimate["feedback"].get("warning") or "it follows a pattern attackers try"
        raise InputError(
            f"That password is too easy to guess ({why.rstrip('.').lower()}): choose another "
            "(a few unrelated words make a good one)."
        )
