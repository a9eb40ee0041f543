"""Signed-in members for HTTP tests, made through the real use case and token issuer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from litestar import Litestar

from pullit_adapters.clock import SystemClock
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.members import SignUpMember
from tests.support.database import own_database


@dataclass(frozen=True)
class SignedIn:
    member_id: int
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def sign_in(app: Litestar, name: str = "Learner", uow_factory: UnitOfWorkFactory | None = None) -> SignedIn:
    """A brand-new member (unique identity) and a valid access token for them.

    The member is written through ``uow_factory``, or through a pool of the test's own.
    """
    if uow_factory is None:
        async with own_database(app.state.settings.database_url) as own:
            return await sign_in(app, name, own)
    subject = uuid.uuid4().hex
    identity = ExternalIdentity(provider="test", subject=subject, name=name, email=f"{subject}@example.test")
    member = (await SignUpMember(uow_factory, SystemClock())(identity)).member
    assert member.id is not None
    return SignedIn(member.id, app.state.container.access_tokens().issue(member.id, member.role))


async def new_member(uow_factory: UnitOfWorkFactory) -> int:
    """A freshly signed-up member's id (with the folders sign-up makes), for repository tests."""
    identity = ExternalIdentity("test", uuid.uuid4().hex, "Learner", f"{uuid.uuid4().hex}@example.test")
    member = (await SignUpMember(uow_factory, SystemClock())(identity)).member
    assert member.id is not None
    return member.id
