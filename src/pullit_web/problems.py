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
from pullit_domain.messages import Message, msg
from pullit_web.languages import localise, request_language
from pullit_web.validation_messages import validation_message

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


# RFC 9457 lets ``title`` follow the response language; ``type``, ``status`` and ``code`` never change.
TITLES: dict[int, Message] = {
    400: msg("Bad Request"),
    401: msg("Unauthorized"),
    403: msg("Forbidden"),
    404: msg("Not Found"),
    405: msg("Method Not Allowed"),
    409: msg("Conflict"),
    413: msg("Request Entity Too Large"),
    415: msg("Unsupported Media Type"),
    422: msg("Unprocessable Entity"),
    429: msg("Too Many Requests"),
    500: msg("Internal Server Error"),
    503: msg("Service Unavailable"),
}


class ProblemException(HTTPException):
    """Raised by the web shell itself when it needs a specific status and code.

    ``template`` is a literal English catalog key, like a domain error's.
    """

    def __init__(
        self,
        status: int,
        code: Code | str,
        template: str,
        /,
        headers: Mapping[str, str] | None = None,
        **params: Any,
    ) -> None:
        self.message = Message(template, params)
        super().__init__(status_code=status, detail=str(self.message), headers=dict(headers or {}))
        self.code = str(code)

    @classmethod
    def of(cls, status: int, code: Code | str, message: Message) -> ProblemException:
        """For a message an adapter already made (its template was extracted where it was written)."""
        return cls(status, code, message.template, **message.params)


def problem(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    detail: Message | str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    title = TITLES.get(status)
    body = {
        "type": f"urn:pullit:problem:{code}",
        "title": localise(request, title) if title else HTTPStatus(status).phrase,
        "status": status,
        "detail": localise(request, detail) if isinstance(detail, Message) else detail,
        "instance": request.url.path,
        "code": code,
        **extra,
    }
    headers = {**(headers or {}), "Content-Language": request_language(request)}
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[dict[str, Any]]:
    status = next((s for kind, s in STATUS_OF.items() if isinstance(error, kind)), 400)
    headers = {"Retry-After": "5"} if status == 503 else None
    return problem(request, status, str(error.code), error.as_message, headers)


def validation_error(request: Request[Any, Any, Any], error: ValidationException) -> Response[dict[str, Any]]:
    extra = error.extra if isinstance(error.extra, list) else []
    errors = [
        {
            "field": item.get("key"),
            "message": localise(request, validation_message(str(item.get("message", "")))),
            "source": item.get("source"),
        }
        for item in extra
        if isinstance(item, dict)
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors if e["field"])
    return problem(
        request, 400, Code.INVALID_INPUT, detail or localise(request, msg("The request is not valid.")), errors=errors
    )


def http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    code = getattr(error, "code", None) or CODE_OF_STATUS.get(error.status_code, Code.INVALID_INPUT)
    headers = {k: v for k, v in (error.headers or {}).items()}
    message = getattr(error, "message", None)
    if not isinstance(message, Message):
        # Litestar's own refusals (unknown route, wrong method, ...) say no more than their status.
        message = TITLES.get(error.status_code) or msg("The request cannot be served.")
    return problem(request, error.status_code, str(code), message, headers)


def body_too_large(request: Request[Any, Any, Any], error: RequestEntityTooLarge) -> Response[dict[str, Any]]:
    limit = request.route_handler.resolve_request_max_body_size()
    detail = msg("the request body is larger than the {limit} bytes allowed here", limit=limit)
    return problem(request, 413, Code.BODY_TOO_LARGE, detail)


def nested_too_deeply(request: Request[Any, Any, Any], error: RecursionError) -> Response[dict[str, Any]]:
    # msgspec refuses nesting deeper than the interpreter's recursion limit with this error;
    # catching it costs the hot path nothing, unlike scanning every body for its depth first.
    if "deserializing" not in str(error):
        return unexpected_error(request, error)
    return problem(request, 400, Code.INVALID_INPUT, "the JSON body is nested too deeply")


def unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    log.error("unhandled error", exc_info=error)
    return problem(request, 500, Code.INTERNAL, msg("Something went wrong on our side; it has been logged."))


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error,
    ValidationException: validation_error,
    RequestEntityTooLarge: body_too_large,
    HTTPException: http_error,
    RecursionError: nested_too_deeply,
    Exception: unexpected_error,
}
