from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pullit_adapters.sql.batch import first_lock
from pullit_adapters.sql.repositories_stats import lock_member_reading_stats
from pullit_adapters.sql.tables import members
from pullit_domain.model.folder import CommonFolder, FolderScope, FolderType
from pullit_domain.model.member import Member


class SqlMemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, member: Member) -> None:
        self._session.add(member)
        await self._session.flush()

    async def get(self, member_id: int) -> Member | None:
        return await self._session.get(Member, member_id)

    async def get_by_identity(self, provider: str, subject: str) -> Member | None:
        query = select(Member).filter_by(provider=provider, provider_subject=subject)
        return (await self._session.scalars(query)).one_or_none()

    async def get_by_email(self, email: str) -> Member | None:
        return (await self._session.scalars(select(Member).filter_by(email=email))).one_or_none()

    async def lock(self, member_id: int) -> None:
        if not first_lock(self._session, member_id):
            return
        if self._session.get_bind().dialect.name == "sqlite":
            # SQLite ignores FOR UPDATE; a write as the transaction's first statement takes the
            # database's single write lock (waiting for it as BEGIN IMMEDIATE would), so every
            # read after it is current and no other writer interleaves until commit.
            await self._session.execute(update(members).where(members.c.id == member_id).values(id=members.c.id))
        else:
            await lock_member_reading_stats(self._session, member_id)


class SqlFolderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, folder: CommonFolder) -> None:
        self._session.add(folder)
        await self._session.flush()

    async def get(self, member_id: int, folder_id: int) -> CommonFolder | None:
        query = select(CommonFolder).filter_by(id=folder_id, member_id=member_id)
        return (await self._session.scalars(query)).one_or_none()

    async def list(self, member_id: int, folder_type: FolderType) -> list[CommonFolder]:
        query = select(CommonFolder).filter_by(member_id=member_id, type=folder_type)
        folders = (await self._session.scalars(query)).all()
        return sorted(folders, key=lambda f: (f.scope != FolderScope.ALL, f.sort_order, f.id or 0))

    async def delete(self, folder: CommonFolder) -> None:
        await self._session.delete(folder)
        await self._session.flush()
