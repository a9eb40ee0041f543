"""The durable job behind a PENDING question set.

A job is leased, never held: a worker that dies simply lets its lease run out and any
other worker may claim the job again. Leases are short and renewed by the running job, so a
dead worker's jobs wait one lease at most. Only the holder of the current lease may settle it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"


@dataclass(eq=False)
class GenerationJob:
    question_set_id: int
    member_id: int
    created_at: datetime
    available_at: datetime
    max_attempts: int = 3
    status: JobStatus = JobStatus.QUEUED
    attempts: int = 0
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    last_error: str | None = None
    id: int | None = field(default=None)

    def claimable(self, now: datetime) -> bool:
        if self.status is JobStatus.QUEUED:
            return self.available_at <= now
        if self.status is JobStatus.RUNNING:
            return self.lease_expires_at is not None and self.lease_expires_at <= now
        return False

    def lease(self, owner: str, now: datetime, duration: timedelta) -> None:
        self.status = JobStatus.RUNNING
        self.attempts += 1
        self.lease_owner = owner
        self.lease_expires_at = now + duration

    def held_by(self, owner: str, now: datetime) -> bool:
        return (
            self.status is JobStatus.RUNNING
            and self.lease_owner == owner
            and self.lease_expires_at is not None
            and self.lease_expires_at > now
        )

    def renew(self, owner: str, now: datetime, duration: timedelta) -> bool:
        """Extend a lease still held (the running job's heartbeat); a lapsed one stays lost."""
        if not self.held_by(owner, now):
            return False
        self.lease_expires_at = now + duration
        return True

    @property
    def attempts_left(self) -> bool:
        return self.attempts < self.max_attempts

    def back_off(self, error: str, now: datetime, base: timedelta, hint: float | None, rng: random.Random) -> None:
        """Queue again after an exponential, jittered delay (or the provider's own hint, if longer)."""
        delay = base.total_seconds() * (2 ** (self.attempts - 1))
        delay = delay * (0.5 + rng.random())  # full jitter around the exponential step
        if hint is not None:
            delay = max(delay, hint)
        self.status = JobStatus.QUEUED
        self.available_at = now + timedelta(seconds=delay)
        self.lease_owner = None
        self.lease_expires_at = None
        self.last_error = error[:500]

    def finish(self, error: str | None = None) -> None:
        self.status = JobStatus.DONE
        self.lease_owner = None
        self.lease_expires_at = None
        self.last_error = error[:500] if error else None

    def requeue_now(self, now: datetime) -> None:
        """A retried set starts a fresh round of attempts."""
        self.status = JobStatus.QUEUED
        self.attempts = 0
        self.available_at = now
        self.lease_owner = None
        self.lease_expires_at = None
