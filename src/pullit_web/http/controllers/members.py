from __future__ import annotations

import msgspec
from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from pullit_domain.use_cases.members import GetMember, MemberSettings, MemberSettingsUseCase
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.openapi import SIGNED_IN_SECURITY, problems


class MemberBody(msgspec.Struct):
    id: int
    name: str
    email: str


class MemberSettingsBody(msgspec.Struct):
    """``language``: of notifications and failure reasons (``ko``, ``en``)."""

    language: str

    @classmethod
    def of(cls, settings: MemberSettings) -> MemberSettingsBody:
        return cls(language=settings.language)


class MembersController(Controller):
    path = "/api/members"
    tags = ["members"]
    security = SIGNED_IN_SECURITY

    @get("/me", summary="The signed-in member", responses=problems(404))
    async def me(self, request: SignedInRequest, get_member: NamedDependency[GetMember]) -> MemberBody:
        member = await get_member(request.user.member_id)
        assert member.id is not None
        return MemberBody(id=member.id, name=member.name, email=member.email)

    @get("/me/settings", summary="The signed-in member's settings", responses=problems(404))
    async def settings(
        self, request: SignedInRequest, member_settings: NamedDependency[MemberSettingsUseCase]
    ) -> MemberSettingsBody:
        return MemberSettingsBody.of(await member_settings.get(request.user.member_id))

    @put("/me/settings", summary="Change the signed-in member's settings", responses=problems(400, 404))
    async def change_settings(
        self,
        request: SignedInRequest,
        member_settings: NamedDependency[MemberSettingsUseCase],
        data: JSONBody[MemberSettingsBody],
    ) -> MemberSettingsBody:
        return MemberSettingsBody.of(await member_settings.update(request.user.member_id, data.language))
