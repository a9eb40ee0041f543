"""Domain events leave a unit of work only after its commit: the worker, the outbox relay and the
background rounds are woken for work that exists, never for work that was rolled back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pullit_adapters.memory import ManualClock
from pullit_domain.events import Event, NotificationRecorded
from pullit_domain.model.notification import Notification
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.notifications import RecordNotification
from tests.support.members import new_member

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
record = RecordNotification(ManualClock(NOW))


async def test_events_are_dispatched_once_after_commit_in_order(
    uow_factory: UnitOfWorkFactory, committed_events: list[Event]
) -> None:
    one, other = await new_member(uow_factory), await new_member(uow_factory)
    assert committed_events == []  # commits that recorded nothing tell nobody

    async with uow_factory() as uow:
        await record(uow, one, Notification("note", "{}"))
        await record(uow, other, Notification("note", "{}"))
        assert committed_events == []  # not before the commit
        await uow.commit()
        assert committed_events == [NotificationRecorded(one), NotificationRecorded(other)]
    assert committed_events == [NotificationRecorded(one), NotificationRecorded(other)]  # not again on leaving


async def test_what_a_rolled_back_transaction_recorded_is_never_dispatched(
    uow_factory: UnitOfWorkFactory, committed_events: list[Event]
) -> None:
    member = await new_member(uow_factory)

    async with uow_factory() as uow:
        await record(uow, member, Notification("note", "{}"))  # left without a commit
    async with uow_factory() as uow:
        await record(uow, member, Notification("note", "{}"))
        await uow.rollback()
        await uow.commit()  # nothing left to commit, nothing to tell
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await record(uow, member, Notification("note", "{}"))
            raise RuntimeError("the use case failed after recording")

    assert committed_events == []
    async with uow_factory() as uow:
        assert await uow.notifications.after(member, 0) == []
