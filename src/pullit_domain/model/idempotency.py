"""Idempotency keys: a client's promise that a retried request means the first one.

A key is remembered per member and per ``scope`` (the kind of request, such as
``question-set``) with a fingerprint of what was asked, so a retry answers with the first
result and the same key reused for a different request is refused rather than silently
answered with something the client did not ask for.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

IDEMPOTENCY_WINDOW = timedelta(hours=24)
MAX_KEY_LENGTH = 100


def fingerprint(payload: object) -> str:
    """A stable digest of a request's meaning: JSON with sorted keys, so field order never matters."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class IdempotentRequest:
    """What a caller asked for under ``key``; ``scope`` keeps keys of different routes apart."""

    scope: str
    key: str
    fingerprint: str

    @classmethod
    def of(cls, scope: str, key: str | None, payload: object) -> IdempotentRequest | None:
        return cls(scope, key, fingerprint(payload)) if key else None


@dataclass(eq=False)
class IdempotencyRecord:
    member_id: int
    scope: str
    key: str
    fingerprint: str
    resource_id: int
    created_at: datetime
    id: int | None = field(default=None)

    def expired(self, now: datetime) -> bool:
        return self.created_at <= now - IDEMPOTENCY_WINDOW
