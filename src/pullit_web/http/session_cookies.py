"""The cookies of a signed-in browser: the refresh token, and the access token for SSE.

``refresh_token`` is scoped to the auth routes and ``access_token`` to the notification
stream (an ``EventSource`` cannot send an Authorization header). Both are cleared with
exactly the Path and Domain they were set with, or the browser would keep them.
"""

from __future__ import annotations

from typing import Any, cast

from litestar.datastructures import Cookie

from pullit_domain.use_cases.auth import Session
from pullit_web.settings import Settings

REFRESH_COOKIE = "refresh_token"
ACCESS_COOKIE = "access_token"
ACCESS_COOKIE_PATH = "/api/notifications"


def session_cookies(settings: Settings, session: Session) -> list[Cookie]:
    return [
        _cookie(
            settings,
            REFRESH_COOKIE,
            session.refresh_token,
            settings.refresh_cookie_path,
            int(settings.refresh_token_lifetime.total_seconds()),
        ),
        _cookie(
            settings,
            ACCESS_COOKIE,
            session.access_token,
            ACCESS_COOKIE_PATH,
            int(settings.access_token_lifetime.total_seconds()),
        ),
    ]


def cleared_session_cookies(settings: Settings) -> list[Cookie]:
    return [
        _cookie(settings, REFRESH_COOKIE, "", settings.refresh_cookie_path, 0),
        _cookie(settings, ACCESS_COOKIE, "", ACCESS_COOKIE_PATH, 0),
    ]


def _cookie(settings: Settings, key: str, value: str, path: str, max_age: int) -> Cookie:
    # SameSite=None: the frontend is another site that calls us with credentials; that requires Secure.
    return Cookie(
        key=key,
        value=value,
        max_age=max_age,
        path=path,
        domain=settings.cookie_domain or None,
        secure=True,
        httponly=True,
        # Spelled as the contract writes it (browsers ignore the case; some proxies and tests do not).
        samesite=cast(Any, "None"),
    )
