"""Per-minute budgets on the routes that cost us something: sign-in, upload permits, set creation.

A route joins a budget with ``middleware=[rate_limited(Budget.X)]`` on its handler, so the
routes without one carry no rate-limit layer at all (an open SSE stream keeps every layer's
frame for its whole life). Signed-in budgets count per member
(the caller the authentication middleware verified); sign-in has no member yet and
counts per client address (uvicorn's proxy headers make that the browser's, behind nginx).
Every limited response carries the IETF draft ``RateLimit-*`` headers, as Litestar's own
``RateLimitMiddleware`` sends them; that middleware is not used because it keys by caller only
(not route) and reads-then-writes its store, which loses hits when instances race.
"""

from __future__ import annotations

from enum import StrEnum

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from pullit_domain.errors import Code
from pullit_domain.messages import msg
from pullit_domain.ports.tokens import AccessClaims
from pullit_web.http.problems import ProblemException
from pullit_web.http.rate_counters import RateCounter, Window

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


# Each budget's requests per minute (0 = unlimited), by the setting that holds it.
LIMIT_SETTINGS = {
    Budget.SIGN_IN: "rate_limit_sign_in_per_minute",
    Budget.UPLOAD_PERMITS: "rate_limit_upload_permits_per_minute",
    Budget.QUESTION_SETS: "rate_limit_question_sets_per_minute",
}


class RateLimited(ASGIMiddleware):
    """The budget of one route. Handler middleware runs inside the app's, so the authentication
    middleware has verified the caller by then; the limit and the counter are the app's
    (its settings and container), read when a request comes."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, budget: Budget) -> None:
        self._budget = budget
        self._setting = LIMIT_SETTINGS[budget]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        state = scope["litestar_app"].state
        limit: int = getattr(state.settings, self._setting)
        caller = self._caller(scope) if limit > 0 else None
        if caller is None:
            await next_app(scope, receive, send)
            return
        counter: RateCounter = state.container.rate_counter()
        window = await counter.hit(f"{self._budget}:{caller}", WINDOW_SECONDS)
        if window is None:  # the count cannot be had: the request goes unlimited
            await next_app(scope, receive, send)
            return
        headers = _headers(limit, window)
        if window.hits > limit:
            raise ProblemException(
                429,
                Code.TOO_MANY_REQUESTS,
                "at most {limit} {budget} requests a minute; try again in {resets_in} s",
                headers={**headers, "Retry-After": str(window.resets_in)},
                limit=limit,
                budget=BUDGET_NAMES[self._budget],
                resets_in=window.resets_in,
            )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableScopeHeaders.from_message(message)
                for name, value in headers.items():
                    response_headers[name] = value
            await send(message)

        await next_app(scope, receive, send_with_headers)

    def _caller(self, scope: Scope) -> str | None:
        if self._budget in PER_CLIENT_ADDRESS:
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


def rate_limited(budget: Budget) -> list[RateLimited]:
    """The ``middleware`` of a handler whose route joins ``budget``."""
    return [RateLimited(budget)]
