"""The problem responses in the OpenAPI document, so clients (and the contract fuzzer) know every error shape.

Handlers declare ``responses=problems(404, 409)``; the statuses any signed-in route can answer with
(400 bad input, 401 no valid token, 503 a dependency is down) come along on their own; rate-limited routes add 429.
Declaring 400 also replaces Litestar's own (non-problem) validation error schema. Signed-in controllers
declare ``security = SIGNED_IN_SECURITY``, the bearer scheme in ``COMPONENTS``.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, Schema, SecurityRequirement, SecurityScheme
from litestar.openapi.spec.enums import OpenAPIType

from pullit_web.problems import PROBLEM_JSON

DESCRIPTIONS: dict[int, str] = {
    400: "Bad input (`COMMON_001` lists the offending fields in `errors`) or a rule of the request broken",
    401: "No, an expired or an invalid access token (`TOKEN_001`, `TOKEN_002`, `AUTH007`, `AUTH001`)",
    403: "Signed in, but not allowed to do this",
    404: "No such resource of the caller (someone else's answers the same)",
    409: "Conflicts with the resource's current state (or an Idempotency-Key reused for another body: `COMMON_008`)",
    413: "The request body is too large",
    422: "The request is understood but cannot be carried out in the resource's state",
    429: "Too many requests; `Retry-After` says when to try again",
    503: "A service this needs is unavailable; `Retry-After` says when to try again",
}

SIGNED_IN = (400, 401, 503)

ACCESS_TOKEN = "AccessToken"
SIGNED_IN_SECURITY: list[SecurityRequirement] = [{ACCESS_TOKEN: []}]
"""``security=`` of signed-in controllers and handlers."""

COMPONENTS = Components(
    security_schemes={
        ACCESS_TOKEN: SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="`Authorization: Bearer <access token>`; the SSE route also reads the access_token cookie",
        )
    }
)


class FieldError(msgspec.Struct):
    field: str | None
    message: str | None
    source: str | None


class Problem(msgspec.Struct):
    """RFC 9457 problem details; ``code`` is the stable string clients branch on."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    errors: list[FieldError] | None = None


def problems(*statuses: int, signed_in: bool = True) -> dict[int, ResponseSpec]:
    """The problem responses of one route: ``statuses`` plus, on signed-in routes, the ones any of them may give."""
    every = sorted({*statuses, *(SIGNED_IN if signed_in else ())})
    return {
        status: ResponseSpec(
            data_container=Problem, media_type=PROBLEM_JSON, description=DESCRIPTIONS[status], generate_examples=False
        )
        for status in every
    }


def empty(status: int, description: str) -> dict[int, ResponseSpec]:
    """A success with no body (Litestar would otherwise document the handler's ``bytes`` as a JSON string)."""
    return {status: ResponseSpec(data_container=None, description=description)}


def checked_by_use_case(**schema: Any) -> msgspec.Meta:
    """Constraints a use case checks itself (with its own error code), stated in the OpenAPI document.

    Keys are Litestar ``Schema`` attributes (``min_length``, ``minimum``, ``pattern``, ``items``);
    msgspec does not enforce them, so the use case's more specific code stays the answer.
    """
    return msgspec.Meta(extra_json_schema={"extra": schema})


def integer_items(minimum: int, maximum: int) -> Schema:
    """Litestar drops the constraints of list items; this states them for a list of ids."""
    return Schema(type=OpenAPIType.INTEGER, minimum=minimum, maximum=maximum)


NOT_BLANK = r"\S"
"""``pattern`` of a text the use case refuses when it is empty after trimming."""
