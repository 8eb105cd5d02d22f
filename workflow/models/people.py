"""People at the desk and their access: who they are, the languages they work in, the
browsers that stay signed in, and the failed sign-ins that make the next one wait.
"""

from datetime import datetime

from sqlmodel import Field, Relationship

from workflow.models.base import Table, utcnow
from workflow.states import Role
from workflow.vocabulary import EnumValue


class PersonBase(Table):
    name: str = Field(max_length=200, unique=True, index=True)
    role: Role = Field(sa_type=EnumValue(Role))  # type: ignore[call-overload]


class PersonLanguage(Table, table=True):
    """A language a person works in (a target language code: `ru`, `uk`)."""

    # None only until the row is stored with its person.
    person_id: int | None = Field(default=None, foreign_key="person.id", primary_key=True)
    lang: str = Field(max_length=8, primary_key=True)


class Person(PersonBase, table=True):
    """Someone who works at the desk."""

    id: int | None = Field(default=None, primary_key=True)
    email: str | None = Field(
        default=None, max_length=320, unique=True, description="Lower case; how people sign in"
    )
    password_hash: str | None = Field(
        default=None, max_length=200, description="argon2; None: signs in only by single sign-on"
    )

    # Loaded with the person (one query for any number of people), so a person read in one
    # session still knows their languages after it closes.
    language_rows: list[PersonLanguage] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )

    @property
    def language_codes(self) -> frozenset[str]:
        return frozenset(row.lang for row in self.language_rows)

    @property
    def languages(self) -> list[str]:
        """The codes of the languages the person works in, in order."""
        return sorted(self.language_codes)

    @property
    def languages_text(self) -> str:
        """ "ru,uk" (empty for none): the languages as lists of people show them."""
        return ",".join(self.languages)


class BrowserSession(Table, table=True):
    """A browser that stays signed in: the hash of the token its cookie holds, until it expires.

    Only the hash is stored, so a copy of the database signs nobody in.
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)


class SignInThrottle(Table, table=True):
    """Failed sign-ins counted for one account or one client, and until when the next one
    must wait: kept in the database, so every app process refuses alike."""

    key: str = Field(
        primary_key=True, max_length=400, description="account:LOGIN or client:ADDRESS"
    )
    failures: int = 0
    last_failed_at: datetime = Field(default_factory=utcnow)
    wait_until: datetime | None = None
    refusal_recorded: bool = Field(
        default=False, description="The audit log already holds a refusal during this wait"
    )
