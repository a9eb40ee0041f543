"""Per-minute budgets on the routes that cost us something: sign-in, upload permits, set creation.

A route joins a budget with ``opt={RATE_LIMIT: Budget.X}``. Signed-in budgets count per member
(the caller the authentication middleware verified); sign-in has no member yet and
counts per client address (uvicorn's proxy headers make that the browser's, behind nginx).
Every limited response carries the IETF draft ``RateLimit-*`` headers, as Litestar's own
``RateLimitMiddleware`` sends them; that middleware is not used because it keys by caller only
(not route) and reads-then-writes its store, which loses hits when instances race.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from pullit_domain.errors import Code
from pullit_domain.messages import msg
from pullit_domain.ports.tokens import AccessClaims
from pullit_web.problems import ProblemException
from pullit_web.rate_counters import RateCounter, Window
from pullit_web.settings import Settings

if TYPE_CHECKING:
    from pullit_web.container import Container

RATE_LIMIT = "rate_limit"
WINDOW_SECONDS = 60


class Budget(StrEnum):
    SIGN_IN = "sign-in"
    UPLOAD_PERMITS = "upload-permits"
    QUESTION_SETS = "question-sets"


PER_CLIENT_ADDRESS = frozenset({Budget.SIGN_IN})
# How a refusal names each budget to the learner, in their language.
BUDGET_NAMES = {
    Budget.SIGN_IN: msg("sign-in"),
    Budget.UPLOAD_PERMITS: msg("upload permit"),
    Budget.QUESTION_SETS: msg("question-set"),
}


class RateLimits(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(
        self,
        limits: Mapping[Budget, int],
        counter: Callable[[], RateCounter],
    ) -> None:
        """``limits`` are requests per minute (0 = unlimited); the container owns the counter."""
        self._limits = {budget: limit for budget, limit in limits.items() if limit > 0}
        self._counter = counter

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        budget = scope["route_handler"].opt.get(RATE_LIMIT)
        limit = self._limits.get(budget) if budget is not None else None
        caller = self._caller(budget, scope) if limit else None
        window = await self._counter().hit(f"{budget}:{caller}", WINDOW_SECONDS) if caller else None
        if limit is None or window is None:
            await next_app(scope, receive, send)
            return
        headers = _headers(limit, window)
        if window.hits > limit:
            assert budget is not None  # a limit is only found for a budget
            raise ProblemException(
                429,
                Code.TOO_MANY_REQUESTS,
                "at most {limit} {budget} requests a minute; try again in {resets_in} s",
                headers={**headers, "Retry-After": str(window.resets_in)},
                limit=limit,
                budget=BUDGET_NAMES[budget],
                resets_in=window.resets_in,
            )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableScopeHeaders.from_message(message)
                for name, value in headers.items():
                    response_headers[name] = value
            await send(message)

        await next_app(scope, receive, send_with_headers)

    def _caller(self, budget: Any, scope: Scope) -> str | None:
        if budget in PER_CLIENT_ADDRESS:
            client = scope.get("client")
            return f"address:{client[0] if client else 'unknown'}"
        # The authentication middleware ran first and put the verified caller here.
        user = scope.get("user")
        return f"member:{user.member_id}" if isinstance(user, AccessClaims) else None


def _headers(limit: int, window: Window) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(max(0, limit - window.hits)),
        "RateLimit-Reset": str(window.resets_in),
        "RateLimit-Policy": f"{limit};w={WINDOW_SECONDS}",
    }


def rate_limits(settings: Settings, container: Container) -> RateLimits:
    return RateLimits(
        {
            Budget.SIGN_IN: settings.rate_limit_sign_in_per_minute,
            Budget.UPLOAD_PERMITS: settings.rate_limit_upload_permits_per_minute,
            Budget.QUESTION_SETS: settings.rate_limit_question_sets_per_minute,
        },
        counter=container.rate_counter,
    )
