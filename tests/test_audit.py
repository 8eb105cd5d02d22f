"""The audit log has nothing missing: every write to people, accounts, settings, the glossary
and the memory leaves exactly one line, and the command line says who it was."""

import json
import os
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, func, select

from tests.test_cli import run
from workflow import writes
from workflow.accounts import (
    SignInFailed,
    SignInThrottled,
    end_browser_session,
    set_password,
    sign_in,
)
from workflow.audit import audit_log
from workflow.database import open_database
from workflow.events import DELIVER
from workflow.glossary import delete_term, save_term
from workflow.history import command_line_actor
from workflow.integrations import create_token, revoke_token
from workflow.machinery import save_engine_choice
from workflow.memory import import_tmx
from workflow.models import (
    Change,
    ChangeScope,
    Channel,
    Comment,
    Job,
    JobState,
    NotificationKind,
    Timing,
    Webhook,
    utcnow,
)
from workflow.notify.choices import choose, set_chat_channel
from workflow.people import add_person, set_role
from workflow.settings import allow_self_review
from workflow.states import Role
from workflow.webhooks import deactivate_webhook, delete_webhook, register_webhook, resend_delivery

PASSWORD = "quiet river under the bridge"
TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence"
 adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/>
<body><tu><tuv xml:lang="en"><seg>The ministry said so.</seg></tuv>
<tuv xml:lang="ru"><seg>Так сказали в министерстве.</seg></tuv></tu></body></tmx>""".encode()


def _changes(session) -> int:
    return session.exec(select(func.count()).select_from(Change)).one()


def _with_password(session, people):
    return set_password(session, name="Tanya", password=PASSWORD, by=people["admin"])


def _signed_in(session, people):
    _with_password(session, people)
    return sign_in(session, "Tanya", PASSWORD)


def _term(session, people):
    return save_term(
        session, person=people["editor"], english="ministry", translations={"ru": "министерство"}
    )


# Each write: (set-up run before counting, the write itself).
def _hook(session):
    return register_webhook(
        session, url="https://cms.example/hooks", events=["story.imported"], person=None
    )


def _hook_id(session) -> int:
    return session.exec(select(Webhook.id)).one()


def _delivered(session, people) -> None:
    """A delivery that went out, as a worker leaves it."""
    payload = {"webhook_id": _hook(session).id, "event": "story.imported", "body": "{}"}
    session.add(Job(kind=DELIVER, payload=payload, key="webhook:1:story:1", state=JobState.DONE))
    session.commit()


def _delivery_id(session) -> int:
    return session.exec(select(Job.id).where(Job.kind == DELIVER)).one()


WRITES: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]] = {
    "add a person": (
        lambda s, p: None,
        lambda s, p: add_person(s, name="Mykola", role=Role.EDITOR, by=p["admin"]),
    ),
    "change a role": (
        lambda s, p: None,
        lambda s, p: set_role(s, name="Tanya", role=Role.EDITOR, by=p["admin"]),
    ),
    "change languages": (
        lambda s, p: None,
        lambda s, p: set_role(
            s, name="Tanya", role=Role.TRANSLATOR, languages=["ru", "uk"], by=p["admin"]
        ),
    ),
    "set a password": (lambda s, p: None, _with_password),
    "sign in": (_with_password, lambda s, p: sign_in(s, "Tanya", PASSWORD)),
    "fail to sign in": (_with_password, lambda s, p: _refused(s, "Tanya", "not her password")),
    "sign in as nobody": (lambda s, p: None, lambda s, p: _refused(s, "who@else.example", "x")),
    "sign out": (_signed_in, lambda s, p: end_browser_session(s, _last_token(s, p))),
    "allow self-review": (
        lambda s, p: None,
        lambda s, p: allow_self_review(s, allowed=True, person=p["admin"]),
    ),
    "choose an engine": (
        lambda s, p: None,
        lambda s, p: save_engine_choice(s, engine="mymemory", url="", person=p["admin"]),
    ),
    "make an integration token": (
        lambda s, p: None,
        lambda s, p: create_token(s, "CMS", "write", person=p["admin"]),
    ),
    "revoke an integration token": (
        lambda s, p: create_token(s, "CMS", "write", person=p["admin"]),
        lambda s, p: revoke_token(s, "CMS", person=p["admin"]),
    ),
    "add a glossary term": (lambda s, p: None, _term),
    "change a glossary term": (
        _term,
        lambda s, p: save_term(
            s,
            person=p["editor"],
            english="ministry",
            translations={"ru": "министерство", "uk": "міністерство"},
            term_id=_term_id(s),
        ),
    ),
    "remove a glossary term": (
        _term,
        lambda s, p: delete_term(s, person=p["editor"], term_id=_term_id(s)),
    ),
    "import a TMX": (
        lambda s, p: None,
        lambda s, p: import_tmx(s, TMX, origin="desk.tmx", person=p["editor"]),
    ),
    "register a webhook": (lambda s, p: None, lambda s, p: _hook(s)),
    "choose notifications": (
        lambda s, p: None,
        lambda s, p: choose(
            s,
            person=p["translator"],
            person_id=p["translator"].id,
            chosen={(NotificationKind.ASSIGNED, Channel.EMAIL): Timing.HOURLY},
        ),
    ),
    "set the chat channel": (
        lambda s, p: None,
        lambda s, p: set_chat_channel(s, url="https://chat.example/hooks/desk", person=p["admin"]),
    ),
    "deactivate a webhook": (
        lambda s, p: _hook(s),
        lambda s, p: deactivate_webhook(s, _hook_id(s), person=p["admin"]),
    ),
    "remove a webhook": (
        lambda s, p: _hook(s),
        lambda s, p: delete_webhook(s, _hook_id(s), person=p["admin"]),
    ),
    "resend a delivery": (
        _delivered,
        lambda s, p: resend_delivery(s, _delivery_id(s), person=p["admin"]),
    ),
}


_tokens: dict[int, str] = {}


def _last_token(session, people) -> str:
    return _tokens[id(session)]


def _term_id(session) -> int:
    from workflow.glossary import list_terms

    return list_terms(session)[0].id


def _refused(session, login: str, password: str) -> None:
    with pytest.raises(SignInFailed):
        sign_in(session, login, password)


@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_leaves_exactly_one_line_in_the_audit_log(session, people, write, monkeypatch):
    set_up, act = WRITES[write]
    made = set_up(session, people)
    if write == "sign out":
        _tokens[id(session)] = made.token
    before = _changes(session)
    through = []  # what went through the one write path
    one_path = writes._apply_record
    monkeypatch.setattr(
        writes, "_apply_record", lambda *a, **k: through.append(a[1]) or one_path(*a, **k)
    )

    act(session, people)

    assert _changes(session) - before == 1, write
    assert len(through) == 1, write
    (line,) = audit_log(session, limit=1)
    assert line.scope in (ChangeScope.PERSON, ChangeScope.DESK)
    assert PASSWORD not in json.dumps(line.as_json(), ensure_ascii=False)


def test_a_call_that_changes_nothing_records_nothing(session, people):
    before = _changes(session)
    set_role(session, name="Tanya", role=Role.TRANSLATOR, languages=["ru"], by=people["admin"])
    assert _changes(session) == before


def test_a_role_change_says_what_changed_and_about_whom(session, people):
    set_role(session, name="Tanya", role=Role.EDITOR, languages=["ru", "uk"], by=people["admin"])
    (line,) = audit_log(session, limit=1)
    assert (line.action, line.who, line.concerns) == ("change role", "Ada", "Tanya")
    assert line.detail == "translator -> editor; languages ru -> ru,uk"


def test_a_failed_sign_in_records_the_address_tried_never_the_password(session, people):
    _with_password(session, people)
    _refused(session, "Stranger@Elsewhere.example", "my secret guess 12")
    (line,) = audit_log(session, limit=1)
    assert (line.action, line.scope) == ("failed sign-in", ChangeScope.DESK)
    assert line.detail == "e-mail tried: Stranger@Elsewhere.example"
    assert "my secret guess" not in json.dumps(line.as_json())


def test_twenty_five_failed_sign_ins_then_the_right_password_waits(session, people, quick_hashing):
    _with_password(session, people)
    start = utcnow()
    for n in range(25):
        last = start + n * timedelta(minutes=16)  # past the longest wait: every guess is checked
        with pytest.raises(SignInFailed) as failed:
            sign_in(session, "Tanya", "not her password", now=last)
    assert "wait 15 minutes before the next try" in str(failed.value)

    with pytest.raises(SignInThrottled) as throttled:
        sign_in(session, "Tanya", PASSWORD, now=last)
    assert str(throttled.value) == (
        "Too many failed sign-ins for this account: wait 15 minutes, then try again."
    )
    # Asking again during the same wait is refused too, but recorded once.
    with pytest.raises(SignInThrottled):
        sign_in(session, "Tanya", PASSWORD, now=last + timedelta(minutes=14))
    actions = [line.action for line in audit_log(session, desk_wide=True, limit=None)]
    assert actions[:26] == ["sign-in throttled"] + ["failed sign-in"] * 25

    # Once the wait is over the right password works, and the count starts afresh.
    now = last + timedelta(minutes=15)
    assert sign_in(session, "Tanya", PASSWORD, now=now).person.name == "Tanya"
    with pytest.raises(SignInFailed) as again:
        sign_in(session, "Tanya", "not her password", now=now)
    assert "wait" not in str(again.value)


def test_the_first_failures_cost_nothing_then_waits_double(session, people, quick_hashing):
    _with_password(session, people)
    now = utcnow()
    messages = []
    for _ in range(8):
        with pytest.raises(SignInFailed) as failed:
            sign_in(session, "Tanya", "not her password", now=now)
        messages.append(str(failed.value))
        now += timedelta(minutes=16)
    assert ["wait" in m for m in messages] == [False] * 5 + [True] * 3
    assert [m.split("wait ")[1].split(" before")[0] for m in messages[5:]] == [
        "2 seconds",
        "4 seconds",
        "8 seconds",
    ]


def test_a_client_guessing_across_accounts_is_slowed_down(session, people, quick_hashing):
    now = utcnow()
    for n in range(21):
        with pytest.raises(SignInFailed):
            sign_in(session, f"person{n}@desk.example", "a guess", client="203.0.113.9", now=now)
    with pytest.raises(SignInThrottled, match="from this computer: wait 2 seconds"):
        sign_in(session, "someone@desk.example", "a guess", client="203.0.113.9", now=now)
    # Another computer is not held up.
    with pytest.raises(SignInFailed) as other:
        sign_in(session, "someone@desk.example", "a guess", client="198.51.100.4", now=now)
    assert not isinstance(other.value, SignInThrottled)


def test_a_wait_holds_in_every_app_process(db_url):
    first, second = open_database(db_url), open_database(db_url)
    with Session(first) as session:
        add_person(session, name="Tanya", role=Role.TRANSLATOR, email="t@desk.example")
        set_password(session, name="Tanya", password=PASSWORD)
        now = utcnow()
        for _ in range(6):
            with pytest.raises(SignInFailed):
                sign_in(session, "t@desk.example", "wrong guess", now=now)
    with Session(second) as session, pytest.raises(SignInThrottled):
        sign_in(session, "t@desk.example", PASSWORD, now=now)
    first.dispose()
    second.dispose()


def test_cli_audit_shows_a_role_change_and_a_throttle(db_url, capsys, monkeypatch, quick_hashing):
    """The issue's test: a role change made with `user set-role` and 25 failed sign-ins
    followed by a throttle, in `python -m workflow audit --json`."""
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert run(capsys, "user", "add", "Olena Shevchuk", "--role", "translator",
               "--email", "olena@desk.example", "--password-stdin")[0] == 0  # fmt: skip
    code, _, _ = run(capsys, "user", "set-role", "Olena Shevchuk", "--role", "admin")
    assert code == 0
    engine = open_database(db_url)
    with Session(engine) as session:
        start = utcnow()
        for n in range(25):
            last = start + n * timedelta(minutes=16)
            with pytest.raises(SignInFailed):
                sign_in(session, "olena@desk.example", "not her password", now=last)
        with pytest.raises(SignInThrottled):
            sign_in(session, "olena@desk.example", PASSWORD, now=last)
    engine.dispose()

    code, out, _ = run(capsys, "audit", "--json", "--person", "olena@desk.example")
    assert code == 0
    lines = json.loads(out)
    actor = command_line_actor()
    assert [(x["action"], x["who"], x["subject"]) for x in lines[:2]] == [
        ("add person", actor, "Olena Shevchuk"),
        ("change role", actor, "Olena Shevchuk"),
    ]
    assert lines[1]["detail"] == "translator -> admin"
    assert [x["action"] for x in lines[2:]] == ["failed sign-in"] * 25 + ["sign-in throttled"]
    assert lines[-1]["detail"].startswith("e-mail tried: olena@desk.example; 25 failed sign-ins")

    code, out, _ = run(capsys, "audit", "--since", "2000-01-01")
    assert code == 0 and f"change role{' ' * 12}{actor}: Olena Shevchuk translator -> admin" in out


def test_cli_changes_to_a_story_say_they_came_from_the_command_line(db_url, capsys, tmp_path):
    from tests.conftest import SEED_BYTES

    story = tmp_path / "story.txt"
    story.write_bytes(SEED_BYTES)
    assert run(capsys, "import", str(story))[0] == 0
    _, out, _ = run(capsys, "audit", "--json")
    (line,) = json.loads(out)
    assert (line["action"], line["who"], line["scope"]) == (
        "import story",
        command_line_actor(),
        "story",
    )


def test_cli_audit_refuses_an_unknown_person_and_a_bad_date(db_url, capsys):
    code, _, err = run(capsys, "audit", "--person", "nobody@desk.example")
    assert code == 1 and "Nobody at this desk signs in as nobody@desk.example" in err
    code, _, err = run(capsys, "audit", "--since", "last week")
    assert code == 1 and "is not a date" in err


def test_the_command_line_says_it_trusts_whoever_runs_it(capsys):
    from workflow.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    assert "taken on trust" in capsys.readouterr().out


def _ru(session, story, n: int = 1):
    from tests.conftest import translations

    return translations(session, story.id, "ru")[n]


def _saved(session, people, story, n: int = 1, text: str | None = None):
    from tests.conftest import stand_in_for
    from workflow.translations import save_translation

    t = _ru(session, story, n)
    return save_translation(
        session, translation_id=t.id, text=text or stand_in_for(session, t),
        person=people["translator"], base_lock_version=t.lock_version,
    )  # fmt: skip


def _paragraph(verb: Callable[..., Any], role: str, **extra: Any) -> Callable[..., Any]:
    """A write `verb` to the set-up's paragraph, by the person in `role`."""
    return lambda s, p, st: verb(s, translation_id=_ru(s, st).id, person=p[role], **extra)


def _drafted(session, people, story):
    from workflow.translations import store_draft

    return store_draft(
        session, translation_id=_ru(session, story).id, text="Черновик.", origin="machine:fake",
        person=people["translator"],
    )  # fmt: skip


def _all_saved(session, people, story):
    from tests.conftest import translations

    for n in range(len(translations(session, story.id, "ru"))):
        _saved(session, people, story, n)


def _submitted(session, people, story):
    from workflow.versions import submit_version

    _all_saved(session, people, story)
    submit_version(session, story_id=story.id, lang="ru", person=people["translator"])


def _approved(session, people, story):
    from workflow.versions import approve_version

    _submitted(session, people, story)
    approve_version(session, story_id=story.id, lang="ru", person=people["editor"])


def _english_changed(session, people, story):
    from workflow.sources import current_paragraphs, update_source

    _saved(session, people, story)
    english = [p.text for p in current_paragraphs(session, story.id)]
    # A change in words, not in figures: a translator may then confirm the paragraph still valid.
    english[1] = english[1].replace("announced Wednesday", "said on Wednesday")
    update_source(session, story_id=story.id, paragraphs=english, person=people["editor"])


def _story_writes() -> dict[str, tuple[Callable[..., Any], Callable[..., Any], int]]:
    """Each write to a story: (set-up, the write, how many audit lines it leaves: one per
    paragraph it changes, and one when a version moves)."""
    from workflow import translations as tr
    from workflow import versions as v
    from workflow.history import revisions

    return {
        "save a paragraph": (lambda s, p, st: None, lambda s, p, st: _saved(s, p, st), 1),
        "revert a paragraph": (
            lambda s, p, st: (_saved(s, p, st), _saved(s, p, st, text="Другой текст.")),
            lambda s, p, st: tr.revert_translation(
                s,
                revision_id=revisions(s, _ru(s, st).id)[-1].id,
                person=p["translator"],
                base_lock_version=_ru(s, st).lock_version,
            ),
            1,
        ),
        "draft a paragraph": (
            lambda s, p, st: None,
            _drafted,
            1,
        ),
        "mark a draft translated": (
            _drafted,
            _paragraph(tr.mark_translated, "translator"),
            1,
        ),
        "approve a paragraph": (
            _saved,
            _paragraph(tr.approve_translation, "editor"),
            1,
        ),
        "send a paragraph back": (
            _saved,
            _paragraph(tr.send_back, "editor", comment="Даты?"),
            1,
        ),
        "confirm a paragraph": (
            _english_changed,
            _paragraph(tr.confirm_translation, "translator"),
            1,
        ),
        "submit a version": (
            _all_saved,
            lambda s, p, st: v.submit_version(s, story_id=st.id, lang="ru", person=p["translator"]),
            1,
        ),
        "approve a version": (
            _submitted,
            lambda s, p, st: v.approve_version(s, story_id=st.id, lang="ru", person=p["editor"]),
            14,  # the 13 paragraphs of the seed story, and the version
        ),
        "request changes": (
            _submitted,
            lambda s, p, st: v.request_changes(
                s, story_id=st.id, lang="ru", person=p["editor"], comment="Заголовок?"
            ),
            1,
        ),
        "publish a version": (
            _approved,
            lambda s, p, st: v.publish_version(s, story_id=st.id, lang="ru", person=p["editor"]),
            1,
        ),
    }


def _more_story_writes() -> dict[str, tuple[Callable[..., Any], Callable[..., Any], int]]:
    """The story writes the first walk missed: the English, stories, embargo, who holds a
    version, comments, flags, files and suggestions."""
    from tests.conftest import SEED_BYTES, translations
    from workflow import assignments, cms, comments, drafts, exchange, flags, sources, stories
    from workflow.formats import read_story_file

    def english(s, st, change: str) -> list[str]:
        paragraphs = [p.text for p in sources.current_paragraphs(s, st.id)]
        paragraphs[1] = paragraphs[1].replace("3,000", change)
        return paragraphs

    def comment(s, p, st):
        return comments.add_comment(
            s, story_id=st.id, lang="ru", person=p["editor"], text="Проверьте даты."
        )

    def flag_id(s, st) -> int:
        from workflow.models import Flag

        return s.exec(select(Flag.id).where(Flag.translation_id == _ru(s, st).id)).first()

    return {
        "change the English": (
            lambda s, p, st: None,
            lambda s, p, st: sources.update_source(
                s, story_id=st.id, paragraphs=english(s, st, "3,500"), person=p["editor"]
            ),
            1,
        ),
        "import a story": (
            lambda s, p, st: None,
            lambda s, p, st: stories.import_story(
                s, read_story_file(SEED_BYTES), person=p["editor"]
            ),
            1,
        ),
        "embargo a story": (
            lambda s, p, st: None,
            lambda s, p, st: drafts.set_embargo(
                s, story_id=st.id, embargoed=True, person=p["editor"]
            ),
            1,
        ),
        "assign a translator": (
            lambda s, p, st: None,
            lambda s, p, st: assignments.assign(
                s,
                story_id=st.id,
                lang="ru",
                person=p["editor"],
                translator_id=p["translator"].id,
                reviewer_id=None,
                due_at=None,
            ),
            1,
        ),
        "take a version": (
            lambda s, p, st: None,
            lambda s, p, st: assignments.take(s, story_id=st.id, lang="ru", person=p["translator"]),
            1,
        ),
        "answer a comment": (
            lambda s, p, st: (comment(s, p, st), s.commit()),
            lambda s, p, st: comments.answer(
                s,
                comment_id=s.exec(select(Comment.id)).one(),
                person=p["translator"],
                text="Исправила.",
            ),
            1,
        ),
        "override a flag": (
            lambda s, p, st: _saved(s, p, st, text="Текст без цифр."),
            lambda s, p, st: flags.override_flag(
                s, flag_id=flag_id(s, st), person=p["editor"], reason="Цифры в подписи."
            ),
            1,
        ),
        "import a translation file": (
            lambda s, p, st: None,
            lambda s, p, st: exchange.import_paragraphs(
                s,
                story_id=st.id,
                lang="ru",
                person=p["translator"],
                paragraphs=[stand_in_for_any(s, t) for t in translations(s, st.id, "ru")],
            ),
            13,  # one per paragraph saved
        ),
        "import an XLIFF": (
            lambda s, p, st: None,
            lambda s, p, st: exchange.import_xliff(
                s, _translated_xliff(s, st), person=p["translator"]
            ),
            13,
        ),
        "take a story from the CMS": (
            lambda s, p, st: None,
            lambda s, p, st: cms.receive_story(
                s,
                {"external_id": "cms-1", "headline": "Headline", "paragraphs": ["Body."]},
                actor="integration cms",
            ),
            1,
        ),
        "correct the English from the CMS": (
            lambda s, p, st: None,
            lambda s, p, st: cms.correct_english(
                s, st.id, english(s, st, "3,500"), based_on=1, actor="integration cms"
            ),
            1,
        ),
        "record the CMS's publication": (
            _approved,
            lambda s, p, st: cms.record_publication(
                s, st.id, "ru", url=SITE, published_at="2026-12-06T15:00Z", actor="integration cms"
            ),
            1,
        ),
    }


SITE = "https://news.example/ru/1"  # where the CMS says it published the Russian


def stand_in_for_any(session, translation) -> str:
    from tests.conftest import stand_in_for

    return stand_in_for(session, translation)


def _translated_xliff(session, story) -> bytes:
    """The story's Russian exported as XLIFF, every unit translated in a CAT tool."""
    from dataclasses import replace

    from tests.conftest import translations
    from workflow.exchange import export_xliff
    from workflow.formats import XliffFormat

    document = XliffFormat.read(export_xliff(session, story.id, "ru"))
    texts = [stand_in_for_any(session, t) for t in translations(session, story.id, "ru")]
    units = tuple(replace(u, target=t) for u, t in zip(document.units, texts, strict=True))
    return XliffFormat.write(replace(document, units=units))


STORY_WRITES = _story_writes() | _more_story_writes()


@pytest.mark.parametrize("write", list(STORY_WRITES))
def test_every_story_write_leaves_one_line_per_thing_it_changed(session, people, story, write):
    """One line per paragraph changed, plus one when the version moves, and nothing else."""
    set_up, act, expected = STORY_WRITES[write]
    set_up(session, people, story)
    before = _changes(session)

    act(session, people, story)

    lines = audit_log(session, limit=_changes(session) - before)
    assert len(lines) == expected, write
    assert {line.scope for line in lines} == {ChangeScope.STORY}


def test_the_command_line_names_the_os_account_not_what_user_claims(monkeypatch):
    import pwd

    account = pwd.getpwuid(os.getuid()).pw_name
    monkeypatch.setenv("USER", "olena")
    monkeypatch.setenv("LOGNAME", "olena")
    monkeypatch.setenv("LNAME", "olena")
    monkeypatch.setenv("USERNAME", "olena")
    assert command_line_actor() == f"command line, as {account}"


# Every public write function of the domain, and the walk entry that calls it (WRITES or
# STORY_WRITES); the guard below finds them by name and by what they do, so a new one must be
# walked here or exempted with its reason.
WALKED = {
    "people.add_person": "add a person",
    "people.set_role": "change a role",
    "accounts.set_password": "set a password",
    "accounts.sign_in": "sign in",
    "accounts.end_browser_session": "sign out",
    "settings.allow_self_review": "allow self-review",
    "machinery.save_engine_choice": "choose an engine",
    "integrations.create_token": "make an integration token",
    "integrations.revoke_token": "revoke an integration token",
    "glossary.save_term": "add a glossary term",
    "glossary.delete_term": "remove a glossary term",
    "memory.import_tmx": "import a TMX",
    "translations.save_translation": "save a paragraph",
    "translations.revert_translation": "revert a paragraph",
    "translations.store_draft": "draft a paragraph",
    "translations.mark_translated": "mark a draft translated",
    "translations.approve_translation": "approve a paragraph",
    "translations.send_back": "send a paragraph back",
    "translations.confirm_translation": "confirm a paragraph",
    "versions.submit_version": "submit a version",
    "versions.approve_version": "approve a version",
    "versions.request_changes": "request changes",
    "versions.publish_version": "publish a version",
    "sources.update_source": "change the English",
    "stories.import_story": "import a story",
    "drafts.set_embargo": "embargo a story",
    "assignments.assign": "assign a translator",
    "assignments.take": "take a version",
    "comments.answer": "answer a comment",
    "flags.override_flag": "override a flag",
    "exchange.import_paragraphs": "import a translation file",
    "exchange.import_xliff": "import an XLIFF",
    "cms.correct_english": "correct the English from the CMS",
    "cms.record_publication": "record the CMS's publication",
    "webhooks.register_webhook": "register a webhook",
    "webhooks.deactivate_webhook": "deactivate a webhook",
    "webhooks.delete_webhook": "remove a webhook",
    "webhooks.resend_delivery": "resend a delivery",
    "notify.choices.choose": "choose notifications",
    "notify.choices.set_chat_channel": "set the chat channel",
}
NOT_WALKED = {
    "writes.apply": "the write path itself: every walked paragraph write goes through it",
    "unsaved.keep_unsaved": "a person's own unsaved text: private, never history (unsaved.py)",
    "unsaved.forget_unsaved": "part of a save (walked): the saver's unsaved text ends with it",
    "unsaved.discard_unsaved": "a person throws away their own unsaved text: nothing shared",
    "writes.move_version": "the write path for versions, under every walked version move",
    "writes.transaction": "the write path's all-or-nothing block",
    "import_policy.take_write_lock": "starts an import batch's transaction, writes nothing",
    "history.record_change": "writes the audit line itself",
    "history.record_changes": "writes the audit lines themselves",
    "history.record_revision": "history of a text, written by the walked saves",
    "flags.refresh_flags": "a side effect of a save, committed by it",
    "flags.recheck_all": "the upgrade's one-time step, audited as the upgrade (test_upgrade)",
    "sources.record_source_version": "part of importing a story or changing its English",
    "carry.carry": "part of changing the English, walked there",
    "comments.add_comment": "starts a thread inside send-back or request changes, walked there",
    "drafts.draft_version": "drafts paragraph by paragraph through store_draft, walked",
    "drafts.add_suggestion": "an offer beside a paragraph, made by a draft run or an import",
    "drafts.dismiss_suggestion": "an offer set aside: not audited today (reported)",
    "accounts.authenticate": "checks a password; sign_in (walked) records it",
    "accounts.single_sign_on": "a sign-in by the proxy, recorded like sign_in",
    "accounts.ensure_first_admin": "the first start's administrator, before anyone signs in",
    "accounts.start_browser_session": "part of sign_in (walked)",
    "throttle.count_failure": "part of a failed sign-in (walked)",
    "throttle.waiting": "part of a throttled sign-in (walked)",
    "throttle.forget": "part of a good sign-in (walked): the account's count starts afresh",
    "trends.track_stale": "part of every translation write (walked): a stale period's ends",
    "history.touch_stories": "part of every write (walked): the story's time and lock",
    "jobs.enqueue": "the work queue's own row: what the job then changes is audited as it does",
    "integrations.authenticate": "checks a token; records its last use, as a sign-in's time",
    "jobs.claim": "the work queue's bookkeeping (who holds a job, until when; its end too)",
    "jobs.add_job": "a job in the transaction of the audited change that asked for it",
    "jobs.add_jobs": "jobs in the transaction of the audited change that asked for them",
    "presence.beat": "where an open desk is now: presence, never history (presence.py)",
    "presence.focus": "where an open desk is now: presence, never history (presence.py)",
    "presence.saved_at_desk": "what an open desk holds unsaved: presence; its save is audited",
    "presence.forget": "a desk that closed: presence, never history (presence.py)",
    "presence.purge_closed": "desks long closed: presence's own housekeeping",
    "presence.edit_anyway": "a notice between two open desks; the save it leads to is audited",
    "notify.sent_back.tell_sent_back_too": "news of a send-back, in the send-back's audited write",
    "notify.send.send_once": "marks news sent: delivery bookkeeping, as a webhook delivery's",
    "notify.digest.send_digest": "sends news written by audited changes; bookkeeping only",
    "notify.digest.queue_digests": "the work queue's rows for news already written",
    "notify.due.sweep": "news of due times: telling people changes nothing at the desk",
    "notify.due.ensure_sweep": "the work queue's own row for the sweep",
    "notify.due.forget_old_sweeps": "the work queue's own rows: finished sweeps, a day old",
}
WRITE_VERBS = re.compile(
    r"^(add|allow|answer|approve|assign|carry|confirm|count|delete|dismiss|draft|end|ensure|"
    r"import|mark|move|override|publish|record|recheck|remove|request|revert|save|send|set|"
    r"sign|single|start|store|submit|take|update)(_|$)"
)
WRITES_IN_BODY = re.compile(
    r"\.commit\(|\bapply\(|record_change|move_version\(|\btransaction\(|session\.(add|delete)\("
    r"|\b(update|delete|insert)\((?!session)"  # SQL written directly, whatever the name says
)


def _domain_write_functions() -> set[str]:
    """Public functions of workflow's domain modules that take a session and, by their name
    (a write verb) or their body (a commit, the write path, an audit line), write."""
    import importlib
    import inspect
    import pkgutil

    import workflow

    found = set()
    for module_info in pkgutil.walk_packages(workflow.__path__, "workflow."):
        short = module_info.name.removeprefix("workflow.")
        if short.split(".")[0] in ("__main__", "cli", "ui", "migrations", "demo"):
            continue
        module = importlib.import_module(module_info.name)
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            if function.__module__ != module.__name__:
                continue
            if "session" not in inspect.signature(function).parameters:
                continue
            if WRITE_VERBS.match(name) or WRITES_IN_BODY.search(inspect.getsource(function)):
                found.add(f"{short}.{name}")
    return found


def test_every_domain_write_function_is_walked_or_says_why_not():
    found = _domain_write_functions()
    unaccounted = found - WALKED.keys() - NOT_WALKED.keys()
    assert not unaccounted, f"walk these in the audit test (WALKED) or say why not: {unaccounted}"
    assert not (WALKED.keys() | NOT_WALKED.keys()) - found, "names that are no longer writes"
    entries = set(WRITES) | set(STORY_WRITES)
    assert set(WALKED.values()) <= entries, set(WALKED.values()) - entries
