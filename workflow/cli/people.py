"""`user` commands: the people who work at the desk, their roles and passwords."""

import argparse
import sys
from typing import TYPE_CHECKING

from workflow.cli.options import Arg, Commands, add_command, comma_separated
from workflow.errors import LockstepError
from workflow.states import Role

if TYPE_CHECKING:
    from sqlmodel import Session


def _read_password(args: argparse.Namespace, *, required: bool) -> str | None:
    """A password from standard input (`--password-stdin`) or typed twice at a prompt; never
    from the command line, where it would be seen in the process list and shell history."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        import getpass

        hint = "" if required else " (empty: signs in by single sign-on only)"
        password = getpass.getpass(f"Password for {args.name}{hint}: ")
        if password and getpass.getpass("Again: ") != password:
            raise LockstepError("The two passwords differ; nothing was changed.")
    elif required:
        raise LockstepError("Give the password on standard input with --password-stdin.")
    else:
        return None
    if not password and required:
        raise LockstepError("The password is empty; nothing was changed.")
    return password or None


def _user_add(session: "Session", args: argparse.Namespace) -> None:
    from workflow.people import add_person

    password = _read_password(args, required=False)
    person = add_person(
        session, name=args.name, role=args.role, languages=args.languages or (),
        email=args.email, password=password,
    )  # fmt: skip
    how = "a password" if password else "single sign-on only"
    print(f"Added {person.name} ({person.role.value}, {person.email or 'no e-mail'}, {how}).")
    print(person.id)


def _user_set_password(session: "Session", args: argparse.Namespace) -> None:
    from workflow.accounts import set_password

    password = _read_password(args, required=True)
    assert password is not None
    person = set_password(session, name=args.name, password=password)
    print(f"{person.name} has a new password.")


def _user_set_role(session: "Session", args: argparse.Namespace) -> None:
    from workflow.people import set_role

    person = set_role(session, name=args.name, role=args.role, languages=args.languages)
    in_words = person.languages_text or "no languages"
    print(f"{person.name} is now {person.role.with_article} ({in_words}).")


def _user_list(session: "Session", args: argparse.Namespace) -> None:
    from workflow.people import list_people

    for person in list_people(session):
        print(
            f"{person.id:>4}  {person.name:<30} {person.role.value:<11} "
            f"{person.languages_text or '-':<6} {person.email or '-'}"
        )


def register(commands: Commands) -> None:
    user = commands.add_parser("user", help="people who work at the desk")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    name = Arg("name")
    password_stdin = Arg(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    role = Arg("--role", required=True, choices=[r.value for r in Role])
    add_command(
        user_commands, "add", _user_add, "add a person; prints the id last",
        name, password_stdin, role,
        Arg("--languages", type=comma_separated, help="comma separated: ru,uk (ua for uk)"),
        Arg("--email", help="how they sign in (and their single sign-on identity)"),
    )  # fmt: skip
    add_command(
        user_commands, "set-password", _user_set_password,
        "set a person's password (asked for, or read from standard input)",
        name, password_stdin,
    )  # fmt: skip
    add_command(
        user_commands, "set-role", _user_set_role, "change a person's role",
        name, role,
        Arg("--languages", type=comma_separated, help="comma separated; unchanged if not given"),
    )  # fmt: skip
    add_command(user_commands, "list", _user_list, "everyone, with role, languages and e-mail")
