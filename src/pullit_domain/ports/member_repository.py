"""Members and their common folders."""

from __future__ import annotations

from typing import Protocol

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
