"""Sessions: signing in from an external identity, refreshing, signing out.

A session is a short-lived access token plus a rotating refresh token. Nothing about it
lives in process memory: the refresh token's hash is in the database, so any instance
can refresh or end any session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pullit_domain.errors import Code, Unauthenticated
from pullit_domain.model.member import ExternalIdentity, Member
from pullit_domain.model.refresh_token import (
    RefreshToken,
    hash_refresh_secret,
    new_family_id,
    new_refresh_secret,
)
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.tokens import AccessTokens
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from pullit_domain.use_cases.members import SignUpMember

REFRESH_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class Session:
    member: Member
    access_token: str
    refresh_token: str
    refresh_expires_at: datetime


class _Sessions:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, access_tokens: AccessTokens, refresh_lifetime: timedelta
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._access_tokens = access_tokens
        self._refresh_lifetime = refresh_lifetime

    async def _add_refresh_token(self, uow: UnitOfWork, member: Member, family_id: str) -> Session:
        assert member.id is not None
        now = self._clock.now()
        secret = new_refresh_secret()
        token = RefreshToken(
            member_id=member.id,
            family_id=family_id,
            token_hash=hash_refresh_secret(secret),
            issued_at=now,
            expires_at=now + self._refresh_lifetime,
        )
        await uow.refresh_tokens.add(token)
        access = self._access_tokens.issue(member.id, member.role)
        return Session(member, access, secret, token.expires_at)


class SignIn(_Sessions):
    """Find or create the member behind an identity and open a new session (token family)."""

    def __init__(
        self,
        sign_up: SignUpMember,
        uow: UnitOfWorkFactory,
        clock: Clock,
        access_tokens: AccessTokens,
        refresh_lifetime: timedelta = REFRESH_LIFETIME,
    ) -> None:
        super().__init__(uow, clock, access_tokens, refresh_lifetime)
        self._sign_up = sign_up

    async def __call__(self, identity: ExternalIdentity, language: str | None = None) -> Session:
        member = (await self._sign_up(identity, language)).member
        async with self._uow() as uow:
            session = await self._add_refresh_token(uow, member, new_family_id())
            await uow.commit()
        return session


class RefreshSession(_Sessions):
    """Trade a refresh token for a new access token and a new refresh token of the same family.

    A token that was already traded (or whose family was revoked) revokes the whole family:
    whoever holds the newest token of it is signed out too (``AUTH006``).
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        access_tokens: AccessTokens,
        refresh_lifetime: timedelta = REFRESH_LIFETIME,
    ) -> None:
        super().__init__(uow, clock, access_tokens, refresh_lifetime)

    async def __call__(self, refresh_secret: str) -> Session:
        now = self._clock.now()
        async with self._uow() as uow:
            token = await uow.refresh_tokens.get_by_hash(hash_refresh_secret(refresh_secret))
            if token is None or token.id is None:
                raise Unauthenticated("the refresh token is not known", Code.TOKEN_INVALID)
            if token.spent or not await uow.refresh_tokens.mark_rotated(token.id, now):
                await uow.refresh_tokens.revoke_family(token.family_id, now)
                await uow.commit()
                raise Unauthenticated("the refresh token was already used; sign in again", Code.REFRESH_REUSED)
            if token.expired(now):
                raise Unauthenticated("the refresh token has expired; sign in again", Code.TOKEN_EXPIRED)
            member = await uow.members.get(token.member_id)
            if member is None:
                raise Unauthenticated("the member of this refresh token no longer exists", Code.TOKEN_INVALID)
            session = await self._add_refresh_token(uow, member, token.family_id)
            await uow.commit()
        return session


class SignOut:
    """Revoke the family of the presented refresh token, when it is the caller's."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, member_id: int, refresh_secret: str | None) -> None:
        if not refresh_secret:
            return
        async with self._uow() as uow:
            token = await uow.refresh_tokens.get_by_hash(hash_refresh_secret(refresh_secret))
            # Someone else's token is left alone: a Bearer token must not end another member's session.
            if token is None or token.member_id != member_id:
                return
            await uow.refresh_tokens.revoke_family(token.family_id, self._clock.now())
            await uow.commit()


class ConsumeLoginState:
    """Mark an OAuth ``state`` as used, so a replayed callback creates nothing.

    Returns ``False`` when the state was consumed before. Only its hash is stored.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, state: str, expires_at: datetime) -> bool:
        async with self._uow() as uow:
            first_use = await uow.login_codes.claim(
                f"state:{hash_refresh_secret(state)[:56]}", expires_at, self._clock.now()
            )
            await uow.commit()
        return first_use
