"""Domain errors.

Every error carries the stable ``code`` of the HTTP contract; the web shell maps the
error's class to a status code and never has to parse messages.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pullit_domain.messages import Message


class Code(StrEnum):
    """Machine-readable error codes shared with the Pullit web frontend."""

    INVALID_INPUT = "COMMON_001"
    NOT_FOUND = "COMMON_002"
    INTERNAL = "COMMON_003"
    UNAVAILABLE = "COMMON_004"
    TOO_MANY_REQUESTS = "COMMON_005"
    BODY_TOO_LARGE = "COMMON_006"
    CONFLICT = "COMMON_007"
    IDEMPOTENCY_KEY_REUSED = "COMMON_008"
    TOKEN_EXPIRED = "TOKEN_001"
    TOKEN_INVALID = "TOKEN_002"
    AUTH_REQUIRED = "AUTH001"
    ACCESS_DENIED = "AUTH002"
    REFRESH_MISSING = "AUTH005"
    REFRESH_REUSED = "AUTH006"
    NOT_ACCESS_TOKEN = "AUTH007"
    MEMBER_NOT_FOUND = "MEMBER_001"
    SOURCE_NOT_FOUND = "SE_001"
    FILE_TYPE = "FILE_001"
    FILE_SIZE = "FILE_002"
    FILE_MISMATCH = "FILE_003"
    # Additions for the embedded store's own signed file URLs (not used by the frontend).
    FILE_URL_REJECTED = "FILE_004"
    FILE_TOO_LARGE = "FILE_005"
    QUESTION_SET_NOT_FOUND = "QSE_001"
    QUESTION_SET_PENDING = "QSE_002"
    QUESTION_SET_FAILED = "QSE_003"
    QUESTION_NOT_FOUND = "QSE_004"
    QUESTION_SET_SOURCES = "QSE_007"
    QUESTION_SET_UNPROCESSABLE = "QSE_009"
    QUESTION_SET_TOO_MANY_PENDING = "QSE_010"
    NO_WRONG_ANSWERS = "WAN_002"
    REVIEW_BAD_RATING = "REVIEW_001"
    REVIEW_RETENTION_OUT_OF_RANGE = "REVIEW_002"
    REVIEW_NEW_PER_DAY_OUT_OF_RANGE = "REVIEW_003"
    REVIEW_NEVER_ANSWERED = "REVIEW_004"
    FOLDER_NOT_FOUND = "CF_000"
    FOLDER_ALL_UNDELETABLE = "CF_001"
    FOLDER_ALL_UNRENAMABLE = "CF_002"


class DomainError(Exception):
    """Base class: a rule of the domain was broken.

    ``code`` is stable; ``template`` (a literal English catalog key) and ``params`` say what
    happened, and the web shell renders them in the learner's language. ``message`` is the
    English text, for logs.
    """

    default_code: Code = Code.INVALID_INPUT

    def __init__(self, template: str, code: Code | None = None, /, **params: Any) -> None:
        self.template = template
        self.params = params
        self.code = code or self.default_code
        super().__init__(self.message)

    @property
    def as_message(self) -> Message:
        return Message(self.template, self.params)

    @property
    def message(self) -> str:
        return str(self.as_message)


class InvalidInput(DomainError):
    """The caller sent something the domain refuses (maps to 400)."""


class NotFound(DomainError):
    """The resource does not exist or belongs to someone else (maps to 404)."""

    default_code = Code.NOT_FOUND


class Conflict(DomainError):
    """The resource is not in a state that allows the operation (maps to 409)."""

    default_code = Code.CONFLICT


class Unprocessable(DomainError):
    """The resource exists but cannot be produced or used (maps to 422)."""


class Unauthenticated(DomainError):
    """No valid credential was presented (maps to 401)."""

    default_code = Code.AUTH_REQUIRED


class Forbidden(DomainError):
    """The caller is known but lacks the role for the operation (maps to 403)."""

    default_code = Code.ACCESS_DENIED


class TooLarge(DomainError):
    """A body or file is larger than what was allowed (maps to 413)."""

    default_code = Code.FILE_TOO_LARGE


class TooManyRequests(DomainError):
    """A per-member limit was reached (maps to 429)."""

    default_code = Code.TOO_MANY_REQUESTS


class Unavailable(DomainError):
    """A collaborator (database, store, model) is unreachable right now (maps to 503)."""

    default_code = Code.UNAVAILABLE
