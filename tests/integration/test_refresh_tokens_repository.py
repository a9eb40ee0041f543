"""The refresh-token and login-code repositories: one contract, on the fake, SQLite and MariaDB."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from pullit_domain.model.member import Member
from pullit_domain.model.refresh_token import RefreshToken, hash_refresh_secret, new_family_id, new_refresh_secret
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory

NOW = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


async def _member(uow_factory: UnitOfWorkFactory) -> int:
    subject = uuid.uuid4().hex
    member = Member("Tok", f"{subject}@example.test", "test", subject, NOW)
    async with uow_factory() as uow:
        await uow.members.add(member)
        await uow.commit()
    assert member.id is not None
    return member.id


def _token(member_id: int, family: str) -> tuple[str, RefreshToken]:
    secret = new_refresh_secret()
    return secret, RefreshToken(member_id, family, hash_refresh_secret(secret), NOW, NOW + timedelta(days=7))


async def test_a_token_is_found_by_its_hash_only_and_keeps_its_instants(uow_factory: UnitOfWorkFactory) -> None:
    member_id = await _member(uow_factory)
    secret, token = _token(member_id, new_family_id())
    async with uow_factory() as uow:
        await uow.refresh_tokens.add(token)
        await uow.commit()

    async with uow_factory() as uow:
        found = await uow.refresh_tokens.get_by_hash(hash_refresh_secret(secret))
        by_plain_secret = await uow.refresh_tokens.get_by_hash(secret)

    assert by_plain_secret is None
    assert found is not None
    assert (found.id, found.member_id, found.family_id) == (token.id, member_id, token.family_id)
    assert (found.issued_at, found.expires_at) == (NOW, NOW + timedelta(days=7))
    assert found.rotated_at is None and found.revoked_at is None


async def test_rotation_succeeds_once_then_never_again(uow_factory: UnitOfWorkFactory) -> None:
    member_id = await _member(uow_factory)
    _, token = _token(member_id, new_family_id())
    async with uow_factory() as uow:
        await uow.refresh_tokens.add(token)
        await uow.commit()
    assert token.id is not None

    async with uow_factory() as uow:
        first = await uow.refresh_tokens.mark_rotated(token.id, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        second = await uow.refresh_tokens.mark_rotated(token.id, NOW)
        stored = await uow.refresh_tokens.get_by_hash(token.token_hash)

    assert (first, second) == (True, False)
    assert stored is not None and stored.rotated_at == NOW


async def test_revoking_a_family_revokes_all_its_tokens_and_no_other(uow_factory: UnitOfWorkFactory) -> None:
    member_id = await _member(uow_factory)
    family, other_family = new_family_id(), new_family_id()
    tokens = [_token(member_id, family)[1], _token(member_id, family)[1], _token(member_id, other_family)[1]]
    async with uow_factory() as uow:
        for token in tokens:
            await uow.refresh_tokens.add(token)
        await uow.commit()

    async with uow_factory() as uow:
        revoked = await uow.refresh_tokens.revoke_family(family, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        states = [await uow.refresh_tokens.get_by_hash(t.token_hash) for t in tokens]
        rotated_after_revoke = await uow.refresh_tokens.mark_rotated(tokens[0].id or 0, NOW)

    assert revoked == 2
    assert [s.revoked_at if s else "missing" for s in states] == [NOW, NOW, None]
    assert rotated_after_revoke is False


async def test_nothing_is_kept_without_a_commit(uow_factory: UnitOfWorkFactory) -> None:
    member_id = await _member(uow_factory)
    _, token = _token(member_id, new_family_id())
    async with uow_factory() as uow:
        await uow.refresh_tokens.add(token)

    async with uow_factory() as uow:
        assert await uow.refresh_tokens.get_by_hash(token.token_hash) is None


async def test_a_login_code_can_be_claimed_once(uow_factory: UnitOfWorkFactory) -> None:
    code = f"local:{uuid.uuid4().hex}"
    async with uow_factory() as uow:
        first = await uow.login_codes.claim(code, NOW + timedelta(minutes=2), NOW)
        await uow.commit()
    async with uow_factory() as uow:
        again = await uow.login_codes.claim(code, NOW + timedelta(minutes=2), NOW)
        other = await uow.login_codes.claim(f"local:{uuid.uuid4().hex}", NOW + timedelta(minutes=2), NOW)
        await uow.commit()

    assert (first, again, other) == (True, False, True)


async def test_expired_claims_are_purged(uow_factory: UnitOfWorkFactory) -> None:
    code = f"local:{uuid.uuid4().hex}"
    async with uow_factory() as uow:
        assert await uow.login_codes.claim(code, NOW + timedelta(minutes=2), NOW)
        await uow.commit()
    # Once expired the code itself is refused by its signature's expiry, so the row may go.
    later = NOW + timedelta(minutes=3)
    async with uow_factory() as uow:
        assert await uow.login_codes.claim(code, later + timedelta(minutes=2), later)
        await uow.commit()
