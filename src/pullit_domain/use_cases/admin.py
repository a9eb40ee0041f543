"""Operators granting and revoking the ADMIN role."""

from __future__ import annotations

from pullit_domain.errors import Code, NotFound
from pullit_domain.model.member import Member
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory


class SetAdminRole:
    """Grant (``admin=True``) or revoke the ADMIN role. It takes effect on the member's next
    request, because admin routes read the role from the database, not from the token."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int, admin: bool) -> Member:
        async with self._uow() as uow:
            member = await uow.members.get(member_id)
            if member is None:
                raise NotFound("member not found", Code.MEMBER_NOT_FOUND)
            if admin:
                member.grant_admin()
            else:
                member.revoke_admin()
            await uow.commit()
        return member
