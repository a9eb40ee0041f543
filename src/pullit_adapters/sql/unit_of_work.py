from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from pullit_adapters.committed_events import CommittedEvents
from pullit_adapters.sql.batch import locks_released
from pullit_adapters.sql.repositories import SqlFolderRepository, SqlMemberRepository
from pullit_adapters.sql.repositories_auth import SqlLoginCodeRepository, SqlRefreshTokenRepository
from pullit_adapters.sql.repositories_idempotency import SqlIdempotencyKeyRepository
from pullit_adapters.sql.repositories_marking import SqlWrongAnswerRepository
from pullit_adapters.sql.repositories_notifications import SqlNotificationRepository
from pullit_adapters.sql.repositories_question_sets import (
    SqlGenerationJobRepository,
    SqlQuestionRepository,
    SqlQuestionSetRepository,
)
from pullit_adapters.sql.repositories_reviews import (
    SqlReviewCardRepository,
    SqlReviewLogRepository,
    SqlReviewSettingsRepository,
)
from pullit_adapters.sql.repositories_sources import SqlSourceRepository
from pullit_adapters.sql.repositories_stats import SqlDomainEventRepository, SqlLearningStatsRepository
from pullit_domain.errors import Conflict, Unavailable
from pullit_domain.events import Event
from pullit_domain.ports.events import EventDispatch


class SqlUnitOfWork:
    """One database transaction; rolled back unless ``commit`` was called."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], dispatch: EventDispatch | None = None) -> None:
        self._sessions = sessions
        self._events = CommittedEvents(dispatch)

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self.members = SqlMemberRepository(self.session)
        self.folders = SqlFolderRepository(self.session)
        self.notifications = SqlNotificationRepository(self.session)
        self.refresh_tokens = SqlRefreshTokenRepository(self.session)
        self.login_codes = SqlLoginCodeRepository(self.session)
        self.sources = SqlSourceRepository(self.session)
        self.question_sets = SqlQuestionSetRepository(self.session)
        self.questions = SqlQuestionRepository(self.session)
        self.jobs = SqlGenerationJobRepository(self.session)
        self.wrong_answers = SqlWrongAnswerRepository(self.session)
        self.domain_events = SqlDomainEventRepository(self.session)
        self.learning_stats = SqlLearningStatsRepository(self.session)
        self.idempotency_keys = SqlIdempotencyKeyRepository(self.session)
        self.review_cards = SqlReviewCardRepository(self.session)
        self.review_log = SqlReviewLogRepository(self.session)
        self.review_settings = SqlReviewSettingsRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._events.discard()
        try:
            # close() rolls back anything uncommitted without expiring loaded entities.
            await self.session.close()
        except DBAPIError:
            # The connection is already gone; the original error (if any) matters more.
            await self.session.invalidate()
        if isinstance(exc, IntegrityError | StaleDataError):
            raise Conflict("a concurrent change conflicts with this one") from exc
        # PoolTimeout: every connection of this process stayed busy for the whole pool timeout.
        if isinstance(exc, OperationalError | InterfaceError | PoolTimeout) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated
        ):
            raise Unavailable("the database is unreachable") from exc

    def record(self, event: Event) -> None:
        self._events.record(event)

    async def commit(self) -> None:
        locks_released(self.session)
        try:
            await self.session.commit()
        except (IntegrityError, StaleDataError) as error:
            raise Conflict("a concurrent change conflicts with this one") from error
        self._events.committed()

    async def rollback(self) -> None:
        self._events.discard()
        locks_released(self.session)
        await self.session.rollback()
