"""`token` commands: the integration tokens a CMS calls the HTTP API with."""

import argparse
from typing import TYPE_CHECKING

from workflow.cli.options import Arg, Commands, add_command

if TYPE_CHECKING:
    from sqlmodel import Session


def _token_create(session: "Session", args: argparse.Namespace) -> None:
    from workflow.integrations import create_token

    token = create_token(session, args.name, args.scope, person=None)
    print(f"Made the {args.scope} token {args.name.strip()}. It is shown once, on the next line:")
    print(token)


def _token_revoke(session: "Session", args: argparse.Namespace) -> None:
    from workflow.integrations import revoke_token

    revoke_token(session, args.name, person=None)
    print(f"Revoked the token {args.name.strip()}: calls with it are refused from now on.")


def _token_list(session: "Session", args: argparse.Namespace) -> None:
    from workflow.integrations import list_tokens

    for token in list_tokens(session):
        used = (
            f"last used {token.last_used_at:%Y-%m-%d %H:%M} UTC"
            if token.last_used_at
            else "never used"
        )
        state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M} UTC" if token.revoked_at else "live"
        print(f"{token.name:<30} {token.scope.value:<6} {state:<28} {used}")


def register(commands: Commands) -> None:
    token = commands.add_parser("token", help="integration tokens for the HTTP API")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    name = Arg("name", help="what the integration is called, e.g. CMS")
    add_command(
        token_commands, "create", _token_create,
        "make a token (shown once, on the last line)",
        name, Arg("--scope", required=True, choices=["read", "write"]),
    )  # fmt: skip
    add_command(token_commands, "revoke", _token_revoke, "refuse a token from now on", name)
    add_command(token_commands, "list", _token_list, "every token: scope, revoked, last use")
