"""An in-memory database with real transaction semantics.

Each unit of work edits private copies of the rows and publishes them on ``commit``;
leaving without a commit throws the copies away. Units of work are serialised by a
lock, so concurrent use cases behave as they would on SQLite.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any, Self

from pullit_adapters.committed_events import CommittedEvents
from pullit_adapters.memory.auth import InMemoryLoginCodeRepository, InMemoryRefreshTokenRepository
from pullit_adapters.memory.idempotency import InMemoryIdempotencyKeyRepository
from pullit_adapters.memory.marking import MARKING_TABLES, InMemoryWrongAnswerRepository
from pullit_adapters.memory.notifications import NOTIFICATION_TABLES, InMemoryNotificationRepository
from pullit_adapters.memory.question_sets import (
    QUESTION_SET_TABLES,
    InMemoryGenerationJobRepository,
    InMemoryQuestionRepository,
    InMemoryQuestionSetRepository,
)
from pullit_adapters.memory.reviews import (
    REVIEW_TABLES,
    InMemoryReviewCardRepository,
    InMemoryReviewLogRepository,
    InMemoryReviewSettingsRepository,
)
from pullit_adapters.memory.sources import SOURCE_TABLES, InMemorySourceRepository
from pullit_adapters.memory.stats import (
    STATS_TABLES,
    InMemoryDomainEventRepository,
    InMemoryLearningStatsRepository,
)
from pullit_adapters.memory.table import Table
from pullit_domain.errors import Conflict
from pullit_domain.events import Event
from pullit_domain.model.folder import CommonFolder, FolderType
from pullit_domain.model.member import Member
from pullit_domain.ports.events import EventDispatch


class InMemoryDatabase:
    """The committed state shared by every unit of work made from it."""

    def __init__(self, dispatch: EventDispatch | None = None) -> None:
        self.dispatch = dispatch
        self.tables: dict[str, Table[Any]] = {"members": Table(), "folders": Table()}
        self.tables.update({"refresh_tokens": Table(), "login_codes": Table(), "idempotency_keys": Table()})
        self.tables.update({name: Table() for name in SOURCE_TABLES})
        self.tables.update({name: Table() for name in NOTIFICATION_TABLES})
        self.tables.update({name: Table() for name in QUESTION_SET_TABLES})
        self.tables.update({name: Table() for name in (*MARKING_TABLES, *STATS_TABLES)})
        self.tables.update({name: Table() for name in REVIEW_TABLES})
        self.lock = asyncio.Lock()

    def unit_of_work(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self)


class InMemoryMemberRepository:
    def __init__(self, table: Table[Member]) -> None:
        self._table = table

    async def add(self, member: Member) -> None:
        for other in self._table.rows.values():
            same_identity = (other.provider, other.provider_subject) == (member.provider, member.provider_subject)
            if same_identity or other.email == member.email:
                raise Conflict("member already exists")
        self._table.insert(member)

    async def get(self, member_id: int) -> Member | None:
        return self._table.rows.get(member_id)

    async def get_by_identity(self, provider: str, subject: str) -> Member | None:
        return next(
            (m for m in self._table.rows.values() if (m.provider, m.provider_subject) == (provider, subject)),
            None,
        )

    async def get_by_email(self, email: str) -> Member | None:
        return next((m for m in self._table.rows.values() if m.email == email), None)

    async def lock(self, member_id: int) -> None:
        """Units of work are already serialised by the database's lock."""


class InMemoryFolderRepository:
    def __init__(self, table: Table[CommonFolder]) -> None:
        self._table = table

    async def add(self, folder: CommonFolder) -> None:
        self._table.insert(folder)

    async def get(self, member_id: int, folder_id: int) -> CommonFolder | None:
        folder = self._table.rows.get(folder_id)
        return folder if folder is not None and folder.member_id == member_id else None

    async def list(self, member_id: int, folder_type: FolderType) -> list[CommonFolder]:
        owned = [f for f in self._table.rows.values() if f.member_id == member_id and f.type == folder_type]
        return sorted(owned, key=lambda f: (f.scope != "ALL", f.sort_order, f.id or 0))

    async def delete(self, folder: CommonFolder) -> None:
        self._table.rows.pop(folder.id or 0, None)


class InMemoryUnitOfWork:
    def __init__(self, database: InMemoryDatabase) -> None:
        self._database = database
        self._working: dict[str, Table[Any]] = {}
        self._events = CommittedEvents(database.dispatch)

    async def __aenter__(self) -> Self:
        await self._database.lock.acquire()
        self._begin()
        return self

    def _begin(self) -> None:
        self._working = {name: table.copy() for name, table in self._database.tables.items()}
        self.members = InMemoryMemberRepository(self._working["members"])
        self.folders = InMemoryFolderRepository(self._working["folders"])
        self.notifications = InMemoryNotificationRepository(self._working)
        self.refresh_tokens = InMemoryRefreshTokenRepository(self._working["refresh_tokens"])
        self.login_codes = InMemoryLoginCodeRepository(self._working["login_codes"])
        self.sources = InMemorySourceRepository(self._working)
        self.question_sets = InMemoryQuestionSetRepository(self._working)
        self.questions = InMemoryQuestionRepository(self._working)
        self.jobs = InMemoryGenerationJobRepository(self._working)
        self.wrong_answers = InMemoryWrongAnswerRepository(self._working)
        self.domain_events = InMemoryDomainEventRepository(self._working)
        self.learning_stats = InMemoryLearningStatsRepository(self._working)
        self.idempotency_keys = InMemoryIdempotencyKeyRepository(self._working["idempotency_keys"])
        self.review_cards = InMemoryReviewCardRepository(self._working)
        self.review_log = InMemoryReviewLogRepository(self._working)
        self.review_settings = InMemoryReviewSettingsRepository(self._working)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._working = {}
        self._events.discard()
        self._database.lock.release()

    def record(self, event: Event) -> None:
        self._events.record(event)

    async def commit(self) -> None:
        self._database.tables = {name: table.copy() for name, table in self._working.items()}
        self._events.committed()

    async def rollback(self) -> None:
        self._events.discard()
        self._begin()
