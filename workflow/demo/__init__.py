"""The demo desk: the seed story with hand-written Russian and Ukrainian work in mixed states,
beside a generated week of desk history (`week`).

Loaded on an empty database when the app starts (unless `LOCKSTEP_DEMO=0`), through the same
domain functions people use, so its history reads like real work. The seed story is first
imported with one figure as first reported, translated, then corrected in English, as news is:
the corrected paragraph shows up stale in both languages. It is loaded first and last touched,
so it has the lowest id and heads every list of stories.
"""

import json
import os
from dataclasses import replace
from datetime import timedelta
from functools import cache
from importlib import resources

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from workflow.accounts import hash_password
from workflow.assignments import assign
from workflow.demo.week import Cast, load_week
from workflow.errors import InputError
from workflow.formats import read_story_file
from workflow.languages import language_names
from workflow.models import Person, Story, Translation, utcnow
from workflow.notify.news import telling_nobody
from workflow.passwords import DEMO_PASSWORD
from workflow.people import add_person
from workflow.sources import update_source
from workflow.states import Role, TranslationState
from workflow.stories import import_story
from workflow.translations import approve_translation, save_translation, send_back, store_draft
from workflow.versions import submit_version

__all__ = ["DEMO_PASSWORD", "demo_accounts", "demo_enabled", "is_demo_person", "load_demo"]


@cache
def demo_password_hash() -> str:
    """One hash for every demo person: hashing is slow on purpose, and the demo loads often."""
    return hash_password(DEMO_PASSWORD, demo_person=True)


@cache
def _plan() -> dict:
    """The demo's people and their work (`translations.json`)."""
    text = resources.files(__package__).joinpath("translations.json").read_text(encoding="utf-8")
    return json.loads(text)


def is_demo_person(email: str | None, role: Role) -> bool:
    """Whether someone is one of the demo's people, who share its published password (the
    README's; the administrator never has it)."""
    return role is not Role.ADMIN and email in {p["email"] for p in _plan()["people"]}


def demo_enabled() -> bool:
    """Whether an empty database gets the demo: by default only the embedded SQLite file of
    the quick start, never a newsroom's own database (`DATABASE_URL`) unless asked for with
    `LOCKSTEP_DEMO=1`, since the demo's people share a published password."""
    default = "0" if os.environ.get("DATABASE_URL") else "1"
    choice = os.environ.get("LOCKSTEP_DEMO", default).strip().lower()
    return choice not in ("0", "false", "no", "off")


def load_demo(session: Session, *, week: bool = True) -> Story | None:
    """Load the demo on an empty database; returns the seed story, or None if there was data
    already. `week` False leaves out the generated week (for tests about the seed story).

    A week that already happened is news to nobody: its people are told nothing of it."""
    with telling_nobody():
        return _load_demo(session, week=week)


def _load_demo(session: Session, *, week: bool) -> Story | None:
    if (
        session.exec(select(func.count()).select_from(Story)).one()
        or session.exec(select(func.count()).select_from(Person)).one()
    ):
        return None
    files = resources.files(__package__)
    plan = _plan()
    try:
        people = {
            p["name"]: add_person(
                session,
                name=p["name"],
                email=p["email"],
                role=p["role"],
                languages=p["languages"],
                # The administrator's password is set on first start (`ensure_first_admin`).
                password_hash=None if p["role"] == Role.ADMIN else demo_password_hash(),
            )
            for p in plan["people"]
        }
    except (IntegrityError, InputError):
        # Another process is loading the demo at this very moment; let it.
        session.rollback()
        return None
    editor = people[plan["editor"]]
    final = read_story_file(files.joinpath("story.txt").read_bytes())
    correction = plan["first_english"]
    first = list(final.paragraphs)
    at = correction["paragraph"] - 1  # paragraph numbers count the headline as 0
    first[at] = first[at].replace(correction["now"], correction["was"])
    story = import_story(session, replace(final, paragraphs=first), person=editor)
    assert story.id is not None
    for lang, entries in plan["translations"].items():
        translator = people[plan["translator"][lang]]
        translations = session.exec(
            select(col(Translation.id))
            .where(Translation.story_id == story.id, Translation.lang == lang)
            .order_by(col(Translation.paragraph_id))
        ).all()
        for translation_id, entry in zip(translations, entries, strict=True):
            assert translation_id is not None
            _play(session, translation_id, entry, translator, editor)
        due = utcnow().replace(minute=0, second=0, microsecond=0)
        assign(
            session, story_id=story.id, lang=lang, person=editor, translator_id=translator.id,
            reviewer_id=editor.id, due_at=due + timedelta(hours=plan["due_in_hours"][lang]),
        )  # fmt: skip
        if lang in plan["submitted"]:
            submit_version(session, story_id=story.id, lang=lang, person=translator)
    if week:
        translators = {lang: people[name] for lang, name in plan["translator"].items()}
        # The week happens before the seed story's last touch, which keeps it first in lists.
        load_week(session, Cast(editor=editor, translators=translators), now=utcnow())
    update_source(session, story_id=story.id, paragraphs=final.all_paragraphs, person=editor)
    return story


def _play(
    session: Session, translation_id: int, entry: dict, translator: Person, editor: Person
) -> None:
    state = entry["state"]
    if state == TranslationState.EMPTY.slug:
        return
    if state == TranslationState.MACHINE_DRAFT.slug:
        store_draft(
            session,
            translation_id=translation_id,
            text=entry["text"],
            origin="machine:google",
            person=translator,
        )
        return
    save_translation(
        session,
        translation_id=translation_id,
        text=entry["text"],
        person=translator,
        base_lock_version=0,
    )
    if state == TranslationState.APPROVED.slug:
        approve_translation(session, translation_id=translation_id, person=editor)
    elif state == TranslationState.NEEDS_EDITING.slug:
        send_back(session, translation_id=translation_id, person=editor, comment=entry["comment"])


def demo_accounts(session: Session) -> list[tuple[str, str]]:
    """The demo's people who sign in with the demo password: (e-mail, what they do)."""
    emails = [p["email"] for p in _plan()["people"] if p["role"] != Role.ADMIN]
    present = session.exec(
        select(Person).where(col(Person.email).in_(emails), col(Person.password_hash).is_not(None))
    ).all()
    by_email = {p.email: p for p in present}
    return [
        (
            email,
            f"{by_email[email].name}, {by_email[email].role.value}"
            + (
                f" ({language_names(by_email[email].language_codes)})"
                if by_email[email].languages
                else ""
            ),
        )
        for email in emails
        if email in by_email
    ]
