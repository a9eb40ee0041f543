"""Signing a member up (or in) from an external identity, and reading a member."""

from __future__ import annotations

from dataclasses import dataclass

from pullit_domain.errors import Code, Conflict, InvalidInput, NotFound
from pullit_domain.model.folder import CommonFolder, FolderType
from pullit_domain.model.member import ExternalIdentity, Member, synthetic_email
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.messages import Messages
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class SignUpResult:
    member: Member
    created: bool


class SignUpMember:
    """Find or create the member behind an external identity.

    Match by the provider's subject id, else by email (and link the identity), else
    create a MEMBER with the two default ``ALL`` folders in the same transaction.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, identity: ExternalIdentity, language: str | None = None) -> SignUpResult:
        """``language``: what the sign-in request asked for; remembered for a member who has none yet."""
        try:
            return await self._attempt(identity, language)
        except Conflict:
            # Two first logins of one person raced; the other one created the member.
            return await self._attempt(identity, language)

    async def _attempt(self, identity: ExternalIdentity, language: str | None) -> SignUpResult:
        async with self._uow() as uow:
            member = await uow.members.get_by_identity(identity.provider, identity.subject)
            if member is None and identity.email is not None:
                member = await uow.members.get_by_email(identity.email)
                if member is not None:
                    member.link(identity)
            if member is not None:
                if member.language is None and language is not None:
                    member.language = language
                await uow.commit()
                return SignUpResult(member, created=False)
            member = await self._create(uow, identity, language)
            await uow.commit()
            return SignUpResult(member, created=True)

    async def _create(self, uow: UnitOfWork, identity: ExternalIdentity, language: str | None) -> Member:
        member = Member(
            name=identity.name,
            email=identity.email or synthetic_email(identity),
            provider=identity.provider,
            provider_subject=identity.subject,
            created_at=self._clock.now(),
            language=language,
        )
        await uow.members.add(member)
        assert member.id is not None
        for folder_type in FolderType:
            await uow.folders.add(CommonFolder.default_for(member.id, folder_type))
        return member


class GetMember:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int) -> Member:
        async with self._uow() as uow:
            member = await uow.members.get(member_id)
        if member is None:
            raise NotFound("member not found", Code.MEMBER_NOT_FOUND)
        return member


@dataclass(frozen=True)
class MemberSettings:
    """``language`` is the member's remembered one, or the service default when none was chosen."""

    language: str


class MemberSettingsUseCase:
    def __init__(self, uow: UnitOfWorkFactory, messages: Messages) -> None:
        self._uow = uow
        self._messages = messages

    async def get(self, member_id: int) -> MemberSettings:
        async with self._uow() as uow:
            member = await _member(uow, member_id)
        return MemberSettings(member.language or self._messages.default_language)

    async def update(self, member_id: int, language: str) -> MemberSettings:
        chosen = language.strip().lower()
        if chosen not in self._messages.languages:
            raise InvalidInput("language must be one of {languages}", languages=", ".join(self._messages.languages))
        async with self._uow() as uow:
            member = await _member(uow, member_id)
            member.language = chosen
            await uow.commit()
        return MemberSettings(chosen)


async def _member(uow: UnitOfWork, member_id: int) -> Member:
    member = await uow.members.get(member_id)
    if member is None:
        raise NotFound("member not found", Code.MEMBER_NOT_FOUND)
    return member
