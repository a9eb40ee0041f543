"""Members and notifications written straight into a service's database, as another process would."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from pullit_adapters.clock import SystemClock
from pullit_adapters.sql.engine import create_engine, session_factory
from pullit_adapters.sql.mapping import start_mappers
from pullit_adapters.sql.unit_of_work import SqlUnitOfWork
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.model.member import Member
from pullit_domain.model.notification import MemberEvent, QuestionSetCompletion
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.notifications import RecordNotification
from tests.support.app import TEST_SECRET


@dataclass(frozen=True)
class Learner:
    member_id: int
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


class Database:
    """A unit-of-work factory on a live service's database, owned by the test process."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    async def new_learner(self) -> Learner:
        unique = uuid.uuid4().hex
        member = Member(
            name="Learner",
            email=f"{unique}@example.test",
            provider="test",
            provider_subject=unique,
            created_at=datetime.now(UTC),
        )
        async with self.uow() as uow:
            await uow.members.add(member)
            await uow.commit()
        assert member.id is not None
        token = JwtAccessTokens(secret=TEST_SECRET, clock=SystemClock()).issue(member.id, member.role)
        return Learner(member.id, token)

    async def complete_question_set(self, member_id: int, question_set_id: int, success: bool = True) -> MemberEvent:
        """Record (and commit) a completion event; a running service's relay must find it by polling."""
        completion = (
            QuestionSetCompletion.complete(question_set_id)
            if success
            else QuestionSetCompletion.failed(question_set_id, "The generator gave up.")
        )
        async with self.uow() as uow:
            event = await RecordNotification(SystemClock())(uow, member_id, completion)
            await uow.commit()
        return event


@asynccontextmanager
async def database(url: str) -> AsyncIterator[Database]:
    start_mappers()
    engine = create_engine(url, pool_size=2)
    sessions = session_factory(engine)
    try:
        yield Database(lambda: SqlUnitOfWork(sessions))
    finally:
        await engine.dispose()
