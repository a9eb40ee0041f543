"""The learner: a member of Pullit, known through an external identity provider."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    MEMBER = "MEMBER"
    ADMIN = "ADMIN"


@dataclass(frozen=True)
class ExternalIdentity:
    """Who an identity provider says the person is.

    ``email`` is ``None`` when the provider gave none (Kakao accounts may hide it).
    """

    provider: str
    subject: str
    name: str
    email: str | None = None


@dataclass(eq=False)
class Member:
    name: str
    email: str
    provider: str
    provider_subject: str
    created_at: datetime
    role: Role = Role.MEMBER
    # The language of text sent without a request (notifications, failure reasons); None = the default.
    language: str | None = None
    id: int | None = field(default=None)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def link(self, identity: ExternalIdentity) -> None:
        """Attach an identity that matched this member by email."""
        self.provider = identity.provider
        self.provider_subject = identity.subject

    def grant_admin(self) -> None:
        self.role = Role.ADMIN

    def revoke_admin(self) -> None:
        self.role = Role.MEMBER


def synthetic_email(identity: ExternalIdentity) -> str:
    """A unique address for an identity without one; ``.invalid`` can never receive mail."""
    return f"{identity.provider}-{identity.subject}@users.pullit.invalid"
