from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from pullit_domain.model.folder import CommonFolder, FolderType
from pullit_domain.model.member import Member


class MemberRepository(Protocol):
    """Members, looked up by id, by external identity or by email.

    ``add`` assigns ``member.id`` before it returns.
    """

    async def add(self, member: Member) -> None: ...

    async def get(self, member_id: int) -> Member | None: ...

    async def get_by_identity(self, provider: str, subject: str) -> Member | None: ...

    async def get_by_email(self, email: str) -> Member | None: ...


class FolderRepository(Protocol):
    """A member's common folders. Lookups are always scoped to the owner."""

    async def add(self, folder: CommonFolder) -> None: ...

    async def get(self, member_id: int, folder_id: int) -> CommonFolder | None: ...

    async def list(self, member_id: int, folder_type: FolderType) -> list[CommonFolder]: ...

    async def delete(self, folder: CommonFolder) -> None: ...


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

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
