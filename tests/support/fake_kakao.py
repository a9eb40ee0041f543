"""A fake Kakao Login server: real HTTP on 127.0.0.1, Kakao's REST shapes and checks.

It is strict where Kakao is strict: registered client id and secret, the exact
redirect URI, single-use authorization codes, the PKCE verifier against the challenge.
The authorize page signs in ``user`` at once (the person "agreed"), as a browser that
already has a Kakao session would see it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class KakaoUser:
    id: int
    nickname: str
    email: str | None = None
    email_verified: bool = True


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str | None
    user: KakaoUser


@dataclass
class FakeKakao:
    client_id: str = "fake-rest-api-key"
    client_secret: str = "fake-client-secret"
    redirect_uris: set[str] = field(default_factory=set)
    user: KakaoUser = field(default_factory=lambda: KakaoUser(4_100_000_001, "카카오친구", "friend@kakao.example"))
    base_url: str = ""
    codes: dict[str, _Grant] = field(default_factory=dict)
    access_tokens: dict[str, KakaoUser] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def authorize_url(self) -> str:
        return f"{self.base_url}/oauth/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    @property
    def userinfo_url(self) -> str:
        return f"{self.base_url}/v2/user/me"

    def settings(self) -> dict[str, str]:
        """``make_settings`` overrides that point the app at this server."""
        return {
            "kakao_client_id": self.client_id,
            "kakao_client_secret": self.client_secret,
            "kakao_authorize_url": self.authorize_url,
            "kakao_token_url": self.token_url,
            "kakao_userinfo_url": self.userinfo_url,
            "kakao_timeout_seconds": "5",
        }


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _handler(kakao: FakeKakao) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _koe(self, status: int, error: str, description: str, code: str) -> None:
            self._json(status, {"error": error, "error_description": description, "error_code": code})

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/oauth/authorize":
                self._authorize({k: v[0] for k, v in parse_qs(url.query).items()})
            elif url.path == "/v2/user/me":
                self._me()
            else:
                self._json(404, {"msg": "not found", "code": -404})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/oauth/token":
                self._token(form)
            else:
                self._json(404, {"msg": "not found", "code": -404})

        def _authorize(self, query: dict[str, str]) -> None:
            if query.get("client_id") != kakao.client_id:
                return self._koe(400, "invalid_client", "wrong client id", "KOE101")
            redirect_uri = query.get("redirect_uri", "")
            if redirect_uri not in kakao.redirect_uris:
                return self._koe(400, "invalid_request", f"invalid redirect uri. {redirect_uri}", "KOE006")
            if query.get("response_type") != "code":
                return self._koe(400, "unsupported_response_type", "only code is supported", "KOE001")
            if "code_challenge" in query and query.get("code_challenge_method") != "S256":
                return self._koe(400, "invalid_request", "code_challenge_method must be S256", "KOE001")
            code = secrets.token_urlsafe(48)
            with kakao.lock:
                kakao.codes[code] = _Grant(kakao.client_id, redirect_uri, query.get("code_challenge"), kakao.user)
            params = {"code": code}
            if "state" in query:
                params["state"] = query["state"]
            self.send_response(302)
            self.send_header("Location", f"{redirect_uri}?{urlencode(params)}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _token(self, form: dict[str, str]) -> None:
            with kakao.lock:
                kakao.token_requests.append(form)
                if form.get("grant_type") != "authorization_code":
                    return self._koe(400, "unsupported_grant_type", "grant_type not supported", "KOE001")
                if form.get("client_id") != kakao.client_id or form.get("client_secret") != kakao.client_secret:
                    return self._koe(401, "invalid_client", "Bad client credentials", "KOE010")
                code = form.get("code", "")
                # Kakao burns a code on its first redemption, successful or not.
                grant = kakao.codes.pop(code, None)
            if grant is None:
                return self._koe(400, "invalid_grant", f"authorization code not found for code={code}", "KOE320")
            if form.get("redirect_uri") != grant.redirect_uri:
                return self._koe(400, "invalid_grant", "Redirect URI mismatch.", "KOE303")
            if grant.code_challenge is not None and _s256(form.get("code_verifier", "")) != grant.code_challenge:
                return self._koe(400, "invalid_grant", "PKCE verification failed.", "KOE320")
            access = secrets.token_urlsafe(32)
            with kakao.lock:
                kakao.access_tokens[access] = grant.user
            self._json(
                200,
                {
                    "access_token": access,
                    "token_type": "bearer",
                    "refresh_token": secrets.token_urlsafe(32),
                    "expires_in": 21599,
                    "scope": "account_email profile_nickname",
                    "refresh_token_expires_in": 5183999,
                },
            )

        def _me(self) -> None:
            scheme, _, token = self.headers.get("Authorization", "").partition(" ")
            user = kakao.access_tokens.get(token) if scheme.lower() == "bearer" else None
            if user is None:
                return self._json(401, {"msg": "this access token does not exist", "code": -401})
            account: dict[str, Any] = {
                "profile_nickname_needs_agreement": False,
                "profile": {"nickname": user.nickname, "is_default_nickname": False},
                "has_email": user.email is not None,
            }
            if user.email is not None:
                account.update(
                    {
                        "email_needs_agreement": False,
                        "is_email_valid": True,
                        "is_email_verified": user.email_verified,
                        "email": user.email,
                    }
                )
            self._json(
                200,
                {
                    "id": user.id,
                    "connected_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "properties": {"nickname": user.nickname},
                    "kakao_account": account,
                },
            )

    return Handler


@contextmanager
def running_fake_kakao(redirect_uris: set[str] | None = None) -> Iterator[FakeKakao]:
    kakao = FakeKakao(redirect_uris=set(redirect_uris or ()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(kakao))
    kakao.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="fake-kakao", daemon=True)
    thread.start()
    try:
        yield kakao
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
