"""The unit of work: one transaction per use case, carrying every repository."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from pullit_domain.events import Event
from pullit_domain.ports.idempotency_repository import IdempotencyKeyRepository
from pullit_domain.ports.member_repository import FolderRepository, MemberRepository
from pullit_domain.ports.notification_repository import NotificationRepository
from pullit_domain.ports.question_set_repository import (
    GenerationJobRepository,
    QuestionRepository,
    QuestionSetRepository,
)
from pullit_domain.ports.review_repository import (
    ReviewCardRepository,
    ReviewLogRepository,
    ReviewSettingsRepository,
)
from pullit_domain.ports.session_repository import LoginCodeRepository, RefreshTokenRepository
from pullit_domain.ports.solving_repository import (
    DomainEventRepository,
    LearningStatsRepository,
    WrongAnswerRepository,
)
from pullit_domain.ports.source_repository import SourceRepository


class UnitOfWork(Protocol):
    """One transaction per use case.

    Contract: use it as ``async with uow:``; changes made through its repositories are
    visible to others only after ``commit()``. Leaving the block without committing (or
    by an exception) rolls everything back, so nothing is ever half-written. ``commit``
    raises ``pullit_domain.errors.Conflict`` when a uniqueness rule was broken by a
    concurrent writer, and ``Unavailable`` when the database cannot be reached.
    Entities returned by repositories stay usable after the block ends.
    """

    members: MemberRepository
    folders: FolderRepository
    notifications: NotificationRepository
    sources: SourceRepository
    question_sets: QuestionSetRepository
    questions: QuestionRepository
    jobs: GenerationJobRepository
    wrong_answers: WrongAnswerRepository
    domain_events: DomainEventRepository
    learning_stats: LearningStatsRepository
    refresh_tokens: RefreshTokenRepository
    login_codes: LoginCodeRepository
    idempotency_keys: IdempotencyKeyRepository
    review_cards: ReviewCardRepository
    review_log: ReviewLogRepository
    review_settings: ReviewSettingsRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def record(self, event: Event) -> None:
        """Remember that ``event`` happened; it is dispatched after ``commit`` succeeds, never on rollback."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
