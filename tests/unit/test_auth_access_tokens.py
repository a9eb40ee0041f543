"""Access tokens: only our own HS256 tokens, for our audience and issuer, unexpired, pass."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from pullit_adapters.memory import ManualClock
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.errors import Unauthenticated
from pullit_domain.model.member import Role

# Long enough for HS512 too, so the only reason to refuse is the algorithm.
SECRET = "unit-test-secret-that-is-long-enough-for-hs512-too-0123456789abcdef"


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _code(tokens: JwtAccessTokens, token: str) -> str:
    with pytest.raises(Unauthenticated) as raised:
        tokens.verify(token)
    return str(raised.value.code)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def tokens(clock: ManualClock) -> JwtAccessTokens:
    return JwtAccessTokens(SECRET, clock)


def _claims(tokens: JwtAccessTokens) -> dict[str, object]:
    return dict(jwt.decode(tokens.issue(7, Role.MEMBER), options={"verify_signature": False}))


def test_a_fresh_token_verifies(tokens: JwtAccessTokens) -> None:
    claims = tokens.verify(tokens.issue(7, Role.ADMIN))

    assert (claims.member_id, claims.role) == (7, Role.ADMIN)


def test_it_expires_after_thirty_minutes(tokens: JwtAccessTokens, clock: ManualClock) -> None:
    token = tokens.issue(7, Role.MEMBER)
    clock.advance(timedelta(minutes=29, seconds=59))
    assert tokens.verify(token).member_id == 7
    clock.advance(timedelta(seconds=1))
    assert _code(tokens, token) == "TOKEN_001"


def test_a_tampered_payload_or_signature_is_invalid(tokens: JwtAccessTokens) -> None:
    header, payload, signature = tokens.issue(7, Role.MEMBER).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "ADMIN"

    assert _code(tokens, f"{header}.{_b64(claims)}.{signature}") == "TOKEN_002"
    assert _code(tokens, f"{header}.{payload}.{signature[:-2]}AA") == "TOKEN_002"


def test_a_token_for_another_audience_or_issuer_is_invalid(tokens: JwtAccessTokens) -> None:
    claims = _claims(tokens)
    other_audience = jwt.encode({**claims, "aud": "another-app"}, SECRET, algorithm="HS256")
    other_issuer = jwt.encode({**claims, "iss": "someone-else"}, SECRET, algorithm="HS256")

    assert _code(tokens, other_audience) == "TOKEN_002"
    assert _code(tokens, other_issuer) == "TOKEN_002"


def test_alg_none_is_refused(tokens: JwtAccessTokens) -> None:
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(tokens))}."

    assert _code(tokens, unsigned) == "TOKEN_002"


def test_algorithm_confusion_is_refused(tokens: JwtAccessTokens) -> None:
    claims = _claims(tokens)
    # Same secret, different HMAC: the algorithm is pinned, not taken from the header.
    hs512 = jwt.encode(claims, SECRET, algorithm="HS512")
    # An RS256 token whose "public key" is our secret: the classic confusion attack.
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rs256 = jwt.encode(claims, private_key, algorithm="RS256")
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    forged = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(claims)}"
    pem_keyed = JwtAccessTokens(public_pem.decode(), ManualClock())

    assert _code(tokens, hs512) == "TOKEN_002"
    assert _code(tokens, rs256) == "TOKEN_002"
    assert _code(pem_keyed, rs256) == "TOKEN_002"
    assert _code(tokens, forged + ".") == "TOKEN_002"


def test_a_valid_token_of_another_type_is_not_an_access_token(tokens: JwtAccessTokens) -> None:
    refresh_like = jwt.encode({**_claims(tokens), "tokenType": "refresh"}, SECRET, algorithm="HS256")

    assert _code(tokens, refresh_like) == "AUTH007"
