"""Repository contract for members and folders: the fake behaves like SQLite and MariaDB."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pullit_adapters.memory import ManualClock
from pullit_domain.errors import Conflict
from pullit_domain.model.folder import CommonFolder, FolderScope, FolderType
from pullit_domain.model.member import ExternalIdentity, Member, Role
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.members import SignUpMember

KST = timezone(timedelta(hours=9))


def new_member(**overrides: object) -> Member:
    unique = uuid.uuid4().hex
    fields: dict[str, object] = {
        "name": "학습자 Learner",
        "email": f"{unique}@example.com",
        "provider": "kakao",
        "provider_subject": unique,
        "created_at": datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=KST),
    }
    fields.update(overrides)
    return Member(**fields)  # type: ignore[arg-type]


async def test_added_member_gets_an_id_and_reads_back_equal(uow_factory: UnitOfWorkFactory) -> None:
    member = new_member()
    async with uow_factory() as uow:
        await uow.members.add(member)
        await uow.commit()
    assert member.id is not None

    async with uow_factory() as uow:
        loaded = await uow.members.get(member.id)
    assert loaded is not None
    assert (loaded.name, loaded.email, loaded.role) == ("학습자 Learner", member.email, Role.MEMBER)
    # Stored without a zone by the databases; read back as the same instant in UTC.
    assert loaded.created_at == datetime(2026, 3, 1, 0, 30, 15, 123456, tzinfo=UTC)
    assert loaded.created_at.tzinfo is not None
    assert loaded.created_at.utcoffset() == timedelta(0)


async def test_lookup_by_identity_and_by_email(uow_factory: UnitOfWorkFactory) -> None:
    member = new_member()
    async with uow_factory() as uow:
        await uow.members.add(member)
        await uow.commit()

    async with uow_factory() as uow:
        by_identity = await uow.members.get_by_identity("kakao", member.provider_subject)
        by_email = await uow.members.get_by_email(member.email)
        other_provider = await uow.members.get_by_identity("local", member.provider_subject)
        unknown = await uow.members.get_by_email("nobody@example.com")
    assert by_identity is not None and by_identity.id == member.id
    assert by_email is not None and by_email.id == member.id
    assert other_provider is None
    assert unknown is None


async def test_leaving_without_commit_writes_nothing(uow_factory: UnitOfWorkFactory) -> None:
    member = new_member()
    async with uow_factory() as uow:
        await uow.members.add(member)
    async with uow_factory() as uow:
        assert await uow.members.get_by_email(member.email) is None


async def test_an_exception_rolls_back_everything(uow_factory: UnitOfWorkFactory) -> None:
    member = new_member()
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.members.add(member)
            assert member.id is not None
            await uow.folders.add(CommonFolder.default_for(member.id, FolderType.QUESTION_SET))
            raise RuntimeError("boom")
    async with uow_factory() as uow:
        assert await uow.members.get_by_email(member.email) is None


async def test_duplicate_email_or_identity_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    first = new_member()
    async with uow_factory() as uow:
        await uow.members.add(first)
        await uow.commit()

    for duplicate in (new_member(email=first.email), new_member(provider_subject=first.provider_subject)):
        with pytest.raises(Conflict):
            async with uow_factory() as uow:
                await uow.members.add(duplicate)
                await uow.commit()


async def test_role_changes_persist(uow_factory: UnitOfWorkFactory) -> None:
    member = new_member()
    async with uow_factory() as uow:
        await uow.members.add(member)
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.members.get(member.id or 0)
        assert loaded is not None
        loaded.grant_admin()
        await uow.commit()
    async with uow_factory() as uow:
        again = await uow.members.get(member.id or 0)
    assert again is not None and again.role is Role.ADMIN


async def test_folders_are_scoped_to_their_owner_and_sorted(uow_factory: UnitOfWorkFactory) -> None:
    owner, stranger = new_member(), new_member()
    async with uow_factory() as uow:
        await uow.members.add(owner)
        await uow.members.add(stranger)
        assert owner.id is not None and stranger.id is not None
        custom_b = CommonFolder(owner.id, "B", FolderType.QUESTION_SET, FolderScope.CUSTOM, sort_order=2)
        custom_a = CommonFolder(owner.id, "A", FolderType.QUESTION_SET, FolderScope.CUSTOM, sort_order=1)
        await uow.folders.add(custom_b)
        await uow.folders.add(CommonFolder.default_for(owner.id, FolderType.QUESTION_SET))
        await uow.folders.add(custom_a)
        await uow.folders.add(CommonFolder.default_for(owner.id, FolderType.WRONG_ANSWER))
        await uow.commit()

    async with uow_factory() as uow:
        listed = await uow.folders.list(owner.id, FolderType.QUESTION_SET)
        assert [f.name for f in listed] == ["전체", "A", "B"]
        assert await uow.folders.get(owner.id, custom_a.id or 0) is not None
        assert await uow.folders.get(stranger.id, custom_a.id or 0) is None
        assert await uow.folders.list(stranger.id, FolderType.QUESTION_SET) == []


async def test_sign_up_use_case_on_each_backend(uow_factory: UnitOfWorkFactory) -> None:
    identity = ExternalIdentity(provider="kakao", subject=uuid.uuid4().hex, name="Bo", email=None)
    sign_up = SignUpMember(uow_factory, ManualClock())

    created = await sign_up(identity)
    again = await sign_up(identity)

    assert created.created and not again.created
    assert again.member.id == created.member.id
    async with uow_factory() as uow:
        folders = await uow.folders.list(created.member.id or 0, FolderType.WRONG_ANSWER)
    assert [f.scope for f in folders] == [FolderScope.ALL]
