"""RFC 9457 problem details for every error, through Litestar's ``ProblemDetailsPlugin``.

Every kind of error is converted into a ``Problem`` (the plugin's ``ProblemDetailsException``)
that carries the contract's stable ``code`` as an extension member. Its ``title`` and ``detail``
are rendered in the request's language when the plugin makes the response, because only then is
the request (its Accept-Language, path and route) known.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException, ProblemDetailsPlugin

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
from pullit_web.http.languages import localise, request_language
from pullit_web.http.validation_messages import validation_message

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


class Problem(ProblemDetailsException):
    """A problem response: status, stable code, a learner-facing message and extension members."""

    def __init__(
        self,
        status: int,
        code: Code | str,
        detail: Message | str,
        /,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.code = str(code)
        self.message = detail
        super().__init__(
            detail=str(detail),
            status_code=status,
            headers=dict(headers or {}),
            extra={"code": self.code, **extra},
            type_=f"urn:pullit:problem:{self.code}",
        )

    def to_response(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        title = TITLES.get(self.status_code)
        self.title = localise(request, title) if title else HTTPStatus(self.status_code).phrase
        self.detail = self.rendered_detail(request)
        self.instance = request.url.path
        self.headers = {**(self.headers or {}), "Content-Language": request_language(request)}
        return super().to_response(request)

    def rendered_detail(self, request: Request[Any, Any, Any]) -> str:
        return localise(request, self.message) if isinstance(self.message, Message) else self.message


class ProblemException(Problem):
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
        super().__init__(status, code, Message(template, params), headers)


class InvalidRequest(Problem):
    """Litestar's validation failure: one localised entry per field, and a detail joining them."""

    def __init__(self, error: ValidationException) -> None:
        extra = error.extra if isinstance(error.extra, list) else []
        self.fields = [
            (item.get("key"), str(item.get("message", "")), item.get("source"))
            for item in extra
            if isinstance(item, dict)
        ]
        super().__init__(400, Code.INVALID_INPUT, msg("The request is not valid."))

    def to_response(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        errors = [
            {"field": field, "message": localise(request, validation_message(message)), "source": source}
            for field, message, source in self.fields
        ]
        self.extra = {"code": self.code, "errors": errors}
        joined = "; ".join(f"{e['field']}: {e['message']}" for e in errors if e["field"])
        if joined:
            self.message = joined
        return super().to_response(request)


class RequestBodyTooLarge(Problem):
    """The limit is the route's own (uploads have none), so it is read when the response is made."""

    def __init__(self) -> None:
        super().__init__(413, Code.BODY_TOO_LARGE, "the request body is too large")

    def rendered_detail(self, request: Request[Any, Any, Any]) -> str:
        limit = request.route_handler.resolve_request_max_body_size()
        return localise(request, msg("the request body is larger than the {limit} bytes allowed here", limit=limit))


def from_domain_error(error: DomainError) -> Problem:
    status = next((s for kind, s in STATUS_OF.items() if isinstance(error, kind)), 400)
    headers = {"Retry-After": "5"} if status == 503 else None
    return Problem(status, error.code, error.as_message, headers)


def from_http_exception(error: HTTPException) -> Problem:
    code = getattr(error, "code", None) or CODE_OF_STATUS.get(error.status_code, Code.INVALID_INPUT)
    message = getattr(error, "message", None)
    if not isinstance(message, Message):
        # Litestar's own refusals (unknown route, wrong method, ...) say no more than their status.
        message = TITLES.get(error.status_code) or msg("The request cannot be served.")
    return Problem(error.status_code, code, message, error.headers)


def from_recursion_error(error: RecursionError) -> Problem:
    # msgspec refuses nesting deeper than the interpreter's recursion limit with this error;
    # catching it costs the hot path nothing, unlike scanning every body for its depth first.
    if "deserializing" not in str(error):
        return from_unexpected_error(error)
    return Problem(400, Code.INVALID_INPUT, msg("the JSON body is nested too deeply"))


def from_unexpected_error(error: Exception) -> Problem:
    log.error("unhandled error", exc_info=error)
    return Problem(500, Code.INTERNAL, msg("Something went wrong on our side; it has been logged."))


def problem_details() -> ProblemDetailsPlugin:
    """The one place that says how each kind of error becomes a problem response."""
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            exception_to_problem_detail_map={
                DomainError: from_domain_error,
                ValidationException: InvalidRequest,
                RequestEntityTooLarge: lambda _: RequestBodyTooLarge(),
                HTTPException: from_http_exception,
                RecursionError: from_recursion_error,
                Exception: from_unexpected_error,
            }
        )
    )
