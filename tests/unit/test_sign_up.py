"""The sign-up use case against the in-memory fakes."""

from __future__ import annotations

import pytest

from pullit_adapters.memory import InMemoryDatabase, InMemoryUnitOfWork, ManualClock
from pullit_domain.errors import NotFound
from pullit_domain.model.folder import CommonFolder, FolderScope, FolderType
from pullit_domain.model.member import ExternalIdentity, Role
from pullit_domain.use_cases.members import GetMember, SignUpMember

KAKAO_ALICE = ExternalIdentity(provider="kakao", subject="1001", name="Alice", email="alice@example.com")


@pytest.fixture
def database() -> InMemoryDatabase:
    return InMemoryDatabase()


@pytest.fixture
def sign_up(database: InMemoryDatabase) -> SignUpMember:
    return SignUpMember(database.unit_of_work, ManualClock())


async def test_first_sign_in_creates_a_member_with_two_all_folders(
    sign_up: SignUpMember, database: InMemoryDatabase
) -> None:
    result = await sign_up(KAKAO_ALICE)

    assert result.created
    member = result.member
    assert (member.name, member.email, member.role) == ("Alice", "alice@example.com", Role.MEMBER)
    async with database.unit_of_work() as uow:
        folders = {t: await uow.folders.list(member.id or 0, t) for t in FolderType}
    assert [(f.scope, f.type) for f in folders[FolderType.QUESTION_SET]] == [(FolderScope.ALL, FolderType.QUESTION_SET)]
    assert [(f.scope, f.type) for f in folders[FolderType.WRONG_ANSWER]] == [(FolderScope.ALL, FolderType.WRONG_ANSWER)]


async def test_signing_in_again_finds_the_same_member(sign_up: SignUpMember) -> None:
    first = await sign_up(KAKAO_ALICE)
    again = await sign_up(KAKAO_ALICE)

    assert not again.created
    assert again.member.id == first.member.id


async def test_a_new_identity_with_a_known_email_is_linked_not_duplicated(sign_up: SignUpMember) -> None:
    first = await sign_up(ExternalIdentity(provider="local", subject="a", name="Alice", email="alice@example.com"))
    linked = await sign_up(KAKAO_ALICE)

    assert not linked.created
    assert linked.member.id == first.member.id
    assert (linked.member.provider, linked.member.provider_subject) == ("kakao", "1001")
    assert (await sign_up(KAKAO_ALICE)).member.id == first.member.id


async def test_an_identity_without_email_gets_a_unique_synthetic_address(sign_up: SignUpMember) -> None:
    one = await sign_up(ExternalIdentity(provider="kakao", subject="7", name="No Mail"))
    two = await sign_up(ExternalIdentity(provider="kakao", subject="8", name="No Mail"))

    assert one.member.email != two.member.email
    assert one.member.email.endswith(".invalid")


async def test_a_failure_midway_leaves_nothing_behind(database: InMemoryDatabase) -> None:
    class FullDisk(InMemoryUnitOfWork):
        """The member row is written, then the folders cannot be."""

        def _begin(self) -> None:
            super()._begin()

            async def refuse(folder: CommonFolder) -> None:
                raise RuntimeError("disk full")

            self.folders.add = refuse  # type: ignore[method-assign]

    sign_up = SignUpMember(lambda: FullDisk(database), ManualClock())
    with pytest.raises(RuntimeError, match="disk full"):
        await sign_up(KAKAO_ALICE)

    async with database.unit_of_work() as check:
        assert await check.members.get_by_email("alice@example.com") is None


async def test_get_member_of_unknown_id_is_not_found(database: InMemoryDatabase) -> None:
    with pytest.raises(NotFound) as raised:
        await GetMember(database.unit_of_work)(404)
    assert raised.value.code == "MEMBER_001"
