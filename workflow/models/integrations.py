"""Outside systems the desk talks to: integration tokens (a CMS calling the HTTP API) and
webhooks (URLs the desk calls when something that matters changes)."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from workflow.models.base import Table, unique_where, utcnow
from workflow.vocabulary import EnumValue


class TokenScope(StrEnum):
    """What an integration token may do: read stories and versions, or also change them."""

    READ = "read"
    WRITE = "write"


class Integration(Table, table=True):
    """One integration token: a name people know it by, its scope, and a hash of the token
    (the token itself is shown once, when it is made, and never stored)."""

    # A name is unique among live tokens only: revoking a token frees its name for the next,
    # and the revoked one stays, under its name, for the audit log's sake.
    __table_args__ = (unique_where("uq_integration_live_name", "name", "revoked_at IS NULL"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    scope: TokenScope = Field(sa_type=EnumValue(TokenScope, length=10))  # type: ignore[call-overload]
    token_hash: str = Field(max_length=64, unique=True, description="SHA-256 of the token, hex")
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class Webhook(Table, table=True):
    """A URL the desk calls with the events it asked for, each body signed with its secret."""

    # One active webhook an address: a second would send every event there twice.
    __table_args__ = (unique_where("uq_webhook_active_url", "url", "active"),)

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=200, description="The HMAC-SHA256 key the receiver checks")
    events: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
