"""Sessions on the in-memory fakes: sign-in opens a family, refresh rotates, reuse revokes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pullit_adapters.memory import InMemoryDatabase, ManualClock
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.errors import NotFound, Unauthenticated
from pullit_domain.model.member import ExternalIdentity, Role
from pullit_domain.model.refresh_token import hash_refresh_secret
from pullit_domain.use_cases.admin import SetAdminRole
from pullit_domain.use_cases.auth import ConsumeLoginState, RefreshSession, SignIn, SignOut
from pullit_domain.use_cases.members import SignUpMember

ALICE = ExternalIdentity(provider="kakao", subject="1", name="Alice", email="alice@example.com")
BOB = ExternalIdentity(provider="kakao", subject="2", name="Bob", email="bob@example.com")
SECRET = "unit-test-secret-that-is-long-enough-0123456789"


class World:
    def __init__(self) -> None:
        self.db = InMemoryDatabase()
        self.clock = ManualClock()
        self.tokens = JwtAccessTokens(SECRET, self.clock)
        sign_up = SignUpMember(self.db.unit_of_work, self.clock)
        self.sign_in = SignIn(sign_up, self.db.unit_of_work, self.clock, self.tokens)
        self.refresh = RefreshSession(self.db.unit_of_work, self.clock, self.tokens)
        self.sign_out = SignOut(self.db.unit_of_work, self.clock)


@pytest.fixture
def world() -> World:
    return World()


async def _code_of(call: object) -> str:
    with pytest.raises(Unauthenticated) as raised:
        await call  # type: ignore[misc]
    return str(raised.value.code)


async def test_sign_in_gives_a_working_access_token_and_stores_only_the_refresh_hash(world: World) -> None:
    session = await world.sign_in(ALICE)

    assert world.tokens.verify(session.access_token).member_id == session.member.id
    assert session.refresh_expires_at == world.clock.now() + timedelta(days=7)
    stored = list(world.db.tables["refresh_tokens"].rows.values())
    assert [t.token_hash for t in stored] == [hash_refresh_secret(session.refresh_token)]
    assert all(session.refresh_token not in repr(vars(t)) for t in stored)


async def test_refresh_rotates_within_the_family(world: World) -> None:
    first = await world.sign_in(ALICE)
    second = await world.refresh(first.refresh_token)
    third = await world.refresh(second.refresh_token)

    assert len({first.refresh_token, second.refresh_token, third.refresh_token}) == 3
    families = {t.family_id for t in world.db.tables["refresh_tokens"].rows.values()}
    assert len(families) == 1
    assert world.tokens.verify(third.access_token).member_id == first.member.id


async def test_reusing_a_rotated_token_revokes_the_family_including_the_newest(world: World) -> None:
    first = await world.sign_in(ALICE)
    second = await world.refresh(first.refresh_token)
    other_browser = await world.sign_in(ALICE)

    assert await _code_of(world.refresh(first.refresh_token)) == "AUTH006"
    assert await _code_of(world.refresh(second.refresh_token)) == "AUTH006"
    # Another sign-in of the same person is another family and survives.
    assert (await world.refresh(other_browser.refresh_token)).member.id == first.member.id


async def test_an_unknown_or_expired_refresh_token_is_refused(world: World) -> None:
    session = await world.sign_in(ALICE)

    assert await _code_of(world.refresh("not-a-token")) == "TOKEN_002"
    world.clock.advance(timedelta(days=7, seconds=1))
    assert await _code_of(world.refresh(session.refresh_token)) == "TOKEN_001"


async def test_sign_out_revokes_the_callers_family_only(world: World) -> None:
    alice = await world.sign_in(ALICE)
    bob = await world.sign_in(BOB)
    assert alice.member.id is not None

    await world.sign_out(alice.member.id, bob.refresh_token)
    await world.sign_out(alice.member.id, alice.refresh_token)

    assert await _code_of(world.refresh(alice.refresh_token)) == "AUTH006"
    assert (await world.refresh(bob.refresh_token)).member.id == bob.member.id


async def test_a_login_state_is_consumed_once(world: World) -> None:
    consume = ConsumeLoginState(world.db.unit_of_work, world.clock)
    expires = world.clock.now() + timedelta(minutes=10)

    assert await consume("state-1", expires) is True
    assert await consume("state-1", expires) is False
    assert await consume("state-2", expires) is True


async def test_granting_and_revoking_admin_changes_the_stored_role(world: World) -> None:
    session = await world.sign_in(ALICE)
    set_role = SetAdminRole(world.db.unit_of_work)
    assert session.member.id is not None

    assert (await set_role(session.member.id, admin=True)).role is Role.ADMIN
    async with world.db.unit_of_work() as uow:
        stored = await uow.members.get(session.member.id)
    assert stored is not None and stored.role is Role.ADMIN
    assert (await set_role(session.member.id, admin=False)).role is Role.MEMBER
    with pytest.raises(NotFound):
        await set_role(9999, admin=True)
