from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from pullit_domain.events import Event
from pullit_domain.model.folder import CommonFolder, FolderType
from pullit_domain.model.idempotency import IdempotencyRecord
from pullit_domain.model.member import Member
from pullit_domain.model.notification import MemberEvent, Notification, OutboxEntry
from pullit_domain.model.refresh_token import RefreshToken
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
from pullit_domain.ports.solving_repository import (
    DomainEventRepository,
    LearningStatsRepository,
    WrongAnswerRepository,
)
from pullit_domain.ports.source_repository import SourceRepository


class MemberRepository(Protocol):
    """Members, looked up by id, by external identity or by email.

    ``add`` assigns ``member.id`` before it returns.
    """

    async def add(self, member: Member) -> None: ...

    async def get(self, member_id: int) -> Member | None: ...

    async def get_by_identity(self, provider: str, subject: str) -> Member | None: ...

    async def get_by_email(self, email: str) -> Member | None: ...

    async def lock(self, member_id: int) -> None:
        """Hold the member's row until the transaction ends: their other writers wait here.

        Call it first in the transaction, so what is read after it is current.
        """


class FolderRepository(Protocol):
    """A member's common folders. Lookups are always scoped to the owner."""

    async def add(self, folder: CommonFolder) -> None: ...

    async def get(self, member_id: int, folder_id: int) -> CommonFolder | None: ...

    async def list(self, member_id: int, folder_type: FolderType) -> list[CommonFolder]: ...

    async def delete(self, folder: CommonFolder) -> None: ...


class RefreshTokenRepository(Protocol):
    """Hashed refresh tokens grouped in families.

    ``mark_rotated`` is a compare-and-set: it succeeds (``True``) only for a token that is
    neither rotated nor revoked, so two concurrent refreshes with one token cannot both win.
    """

    async def add(self, token: RefreshToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None: ...

    async def mark_rotated(self, token_id: int, at: datetime) -> bool: ...

    async def revoke_family(self, family_id: str, at: datetime) -> int: ...


class LoginCodeRepository(Protocol):
    """One-time login values (local authorization codes, OAuth states) already consumed.

    ``claim`` records ``code_id`` and returns ``True`` the first time, ``False`` ever after
    (until ``expires_at``, after which the value is refused by its own expiry anyway).
    """

    async def claim(self, code_id: str, expires_at: datetime, now: datetime) -> bool: ...


class NotificationRepository(Protocol):
    """The durable notification log (a transactional outbox).

    ``record`` numbers the event with the member's next id inside the current transaction;
    two transactions recording for one member are serialised, so ids are unique, gap-free
    while committed, and commit in id order. ``after`` replays a member's events with an id
    above ``last_id`` in id order; ``latest_id`` is 0 for a member with no events.
    ``unpublished`` gives the oldest committed entries the relay has not handed to the
    notifier yet; ``mark_published`` records that it has.
    """

    async def record(self, member_id: int, notification: Notification, created_at: datetime) -> MemberEvent: ...

    async def after(self, member_id: int, last_id: int, limit: int = 1000) -> list[MemberEvent]: ...

    async def latest_id(self, member_id: int) -> int: ...

    async def unpublished(self, limit: int) -> list[OutboxEntry]: ...

    async def mark_published(self, row_ids: Sequence[int], published_at: datetime) -> None: ...


class IdempotencyKeyRepository(Protocol):
    """Remembered idempotency keys; (member, scope, key) is unique, so ``add`` of a key that
    another transaction added first makes ``commit`` raise ``Conflict``."""

    async def get(self, member_id: int, scope: str, key: str) -> IdempotencyRecord | None: ...

    async def add(self, record: IdempotencyRecord) -> None: ...

    async def delete(self, record: IdempotencyRecord) -> None: ...


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
