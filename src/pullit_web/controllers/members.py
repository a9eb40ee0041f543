from __future__ import annotations

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency

from pullit_domain.use_cases.members import GetMember
from pullit_web.auth import Principal
from pullit_web.openapi import SIGNED_IN_SECURITY, problems


class MemberBody(msgspec.Struct):
    id: int
    name: str
    email: str


class MembersController(Controller):
    path = "/api/members"
    tags = ["members"]
    security = SIGNED_IN_SECURITY

    @get("/me", summary="The signed-in member", responses=problems(404))
    async def me(self, principal: NamedDependency[Principal], get_member: NamedDependency[GetMember]) -> MemberBody:
        member = await get_member(principal.member_id)
        assert member.id is not None
        return MemberBody(id=member.id, name=member.name, email=member.email)
