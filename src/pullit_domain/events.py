"""What a use case did, told to the rest of the process once its transaction has committed.

A use case records these on its unit of work (``uow.record(...)``); the unit of work hands
them to the dispatcher only after a successful commit, never on rollback. Handlers only
nudge work that is already durable in the database (wake the job runner, the outbox relay,
the background rounds), so a lost event delays work by at most one poll interval and loses
nothing. Not to be confused with ``model.stats.DomainEvent``: that is the durable learning
log the stats are projected from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """Base of the events a unit of work hands out after commit."""


@dataclass(frozen=True)
class QuestionSetRequested(Event):
    """A set was created or retried: its generation job is waiting to be claimed."""

    question_set_id: int


@dataclass(frozen=True)
class NotificationRecorded(Event):
    """A member notification was written to the outbox and waits to be published."""

    member_id: int


@dataclass(frozen=True)
class SourceUploaded(Event):
    """An uploaded document waits to be read (page count, text) in the background."""

    source_id: int
