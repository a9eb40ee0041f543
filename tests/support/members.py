"""Signed-in members for HTTP tests, made through the real use case and token issuer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from litestar import Litestar

from pullit_domain.model.member import ExternalIdentity


@dataclass(frozen=True)
class SignedIn:
    member_id: int
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def sign_in(app: Litestar, name: str = "Learner") -> SignedIn:
    """A brand-new member (unique identity) and a valid access token for them."""
    container = app.state.container
    subject = uuid.uuid4().hex
    identity = ExternalIdentity(provider="test", subject=subject, name=name, email=f"{subject}@example.test")
    result = await container.sign_up_member()(identity)
    token = container.access_tokens().issue(result.member.id, result.member.role)
    return SignedIn(member_id=result.member.id, access_token=token)
