"""RFC 9457 problem details for every error, with the contract's stable ``code``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge

from pullit_domain.errors import (
    Code,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooLarge,
    TooManyRequests,
    Unauthenticated,
    Unavailable,
    Unprocessable,
)

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("pullit.errors")

STATUS_OF: dict[type[DomainError], int] = {
    InvalidInput: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    Unprocessable: 422,
    TooManyRequests: 429,
    Unavailable: 503,
}

CODE_OF_STATUS: dict[int, Code] = {
    401: Code.AUTH_REQUIRED,
    403: Code.ACCESS_DENIED,
    404: Code.NOT_FOUND,
    429: Code.TOO_MANY_REQUESTS,
    503: Code.UNAVAILABLE,
}


class ProblemException(HTTPException):
    """Raised by the web shell itself when it needs a specific status and code."""

    def __init__(self, status: int, code: Code | str, detail: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=detail, headers=dict(headers or {}))
        self.code = str(code)


def problem(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body = {
        "type": f"urn:pullit:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
        **extra,
    }
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {}))


def domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[dict[str, Any]]:
    status = next((s for kind, s in STATUS_OF.items() if isinstance(error, kind)), 400)
    headers = {"Retry-After": "5"} if status == 503 else None
    return problem(request, status, str(error.code), error.message, headers)


def validation_error(request: Request[Any, Any, Any], error: ValidationException) -> Response[dict[str, Any]]:
    extra = error.extra if isinstance(error.extra, list) else []
    errors = [
        {"field": item.get("key"), "message": item.get("message"), "source": item.get("source")}
        for item in extra
        if isinstance(item, dict)
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors if e["field"]) or str(error.detail)
    return problem(request, 400, Code.INVALID_INPUT, detail, errors=errors)


def http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    code = getattr(error, "code", None) or CODE_OF_STATUS.get(error.status_code, Code.INVALID_INPUT)
    headers = {k: v for k, v in (error.headers or {}).items()}
    return problem(request, error.status_code, str(code), str(error.detail), headers)


def body_too_large(request: Request[Any, Any, Any], error: RequestEntityTooLarge) -> Response[dict[str, Any]]:
    limit = request.route_handler.resolve_request_max_body_size()
    return problem(request, 413, Code.BODY_TOO_LARGE, f"the request body is larger than the {limit} bytes allowed here")


def nested_too_deeply(request: Request[Any, Any, Any], error: RecursionError) -> Response[dict[str, Any]]:
    # msgspec refuses nesting deeper than the interpreter's recursion limit with this error;
    # catching it costs the hot path nothing, unlike scanning every body for its depth first.
    if "deserializing" not in str(error):
        return unexpected_error(request, error)
    return problem(request, 400, Code.INVALID_INPUT, "the JSON body is nested too deeply")


def unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    log.error("unhandled error", exc_info=error)
    return problem(request, 500, Code.INTERNAL, "Something went wrong on our side; it has been logged.")


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error,
    ValidationException: validation_error,
    RequestEntityTooLarge: body_too_large,
    HTTPException: http_error,
    RecursionError: nested_too_deeply,
    Exception: unexpected_error,
}
