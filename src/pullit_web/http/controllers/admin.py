from __future__ import annotations

import msgspec
from litestar import Controller, post
from litestar.di import NamedDependency

from pullit_domain.model.member import Member
from pullit_domain.use_cases.admin import SetAdminRole
from pullit_web.http.auth import require_admin
from pullit_web.http.ids import PathId
from pullit_web.http.openapi import SIGNED_IN_SECURITY, problems


class MemberRoleBody(msgspec.Struct):
    id: int
    name: str
    email: str
    role: str

    @classmethod
    def of(cls, member: Member) -> MemberRoleBody:
        assert member.id is not None
        return cls(id=member.id, name=member.name, email=member.email, role=member.role.value)


class AdminController(Controller):
    """Operator routes; the guard reads the caller's role from the database on every request."""

    path = "/api/admin/members"
    tags = ["admin"]
    security = SIGNED_IN_SECURITY
    guards = [require_admin]

    @post(
        "/{member_id:int}/grant-admin",
        status_code=200,
        summary="Give a member the ADMIN role",
        responses=problems(403, 404),
    )
    async def grant(self, member_id: PathId, set_admin_role: NamedDependency[SetAdminRole]) -> MemberRoleBody:
        return MemberRoleBody.of(await set_admin_role(member_id, admin=True))

    @post(
        "/{member_id:int}/revoke-admin",
        status_code=200,
        summary="Take the ADMIN role away",
        responses=problems(403, 404),
    )
    async def revoke(self, member_id: PathId, set_admin_role: NamedDependency[SetAdminRole]) -> MemberRoleBody:
        return MemberRoleBody.of(await set_admin_role(member_id, admin=False))
