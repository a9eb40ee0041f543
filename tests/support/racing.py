"""Releasing many requests at one instant against a live server, and a learner to race with."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from pullit_adapters.clock import SystemClock
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.model.source import new_upload_id, object_key
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.members import SignUpMember
from tests.support.app import TEST_SECRET
from tests.support.source_rows import ready_source_row

T = TypeVar("T")


async def all_at_once(count: int, attempt: Callable[[], Awaitable[T]]) -> list[T]:
    """Run ``count`` attempts that all wait at one barrier, so none starts before the others are ready."""
    barrier = asyncio.Barrier(count)

    async def released() -> T:
        await barrier.wait()
        return await attempt()

    return await asyncio.gather(*(released() for _ in range(count)))


@dataclass(frozen=True)
class Racer:
    member_id: int
    source_id: int
    headers: dict[str, str]


async def racer_with_ready_source(uow_factory: UnitOfWorkFactory) -> Racer:
    """A signed-up member (with folders) owning one READY source, written as the service would."""
    subject = uuid.uuid4().hex
    identity = ExternalIdentity("test", subject, "Racer", f"{subject}@example.test")
    member = (await SignUpMember(uow_factory, SystemClock())(identity)).member
    assert member.id is not None
    now = SystemClock().now()
    key = object_key(member.id, new_upload_id(), now)
    source_id = await ready_source_row(uow_factory, member.id, key, "notes.pdf", 1000, now)
    token = JwtAccessTokens(secret=TEST_SECRET, clock=SystemClock()).issue(member.id, member.role)
    return Racer(member.id, source_id, {"Authorization": f"Bearer {token}"})
