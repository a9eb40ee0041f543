"""Answering a retried request with its first result (any route that takes ``Idempotency-Key``).

Use inside the use case's one transaction, after locking what serialises the member's
writes (``uow.members.lock``), so two concurrent requests with one key cannot both miss::

    earlier = await replayed(uow, member_id, request, now)
    if earlier is not None:
        return earlier
    ...create the resource...
    await remember(uow, member_id, request, resource.id, now)

The repository's unique key on (member, scope, key) backs the lock up: a racing second
insert fails the commit with ``Conflict`` instead of creating a duplicate.
"""

from __future__ import annotations

from datetime import datetime

from pullit_domain.errors import Code, Conflict
from pullit_domain.model.idempotency import IdempotencyRecord, IdempotentRequest
from pullit_domain.ports.unit_of_work import UnitOfWork


async def replayed(uow: UnitOfWork, member_id: int, request: IdempotentRequest | None, now: datetime) -> int | None:
    """The id the first request with this key produced, or ``None`` when it is new (or expired).

    Raises ``Conflict`` (``COMMON_008``) when the key was used for a different request.
    """
    if request is None:
        return None
    record = await uow.idempotency_keys.get(member_id, request.scope, request.key)
    if record is None:
        return None
    if record.expired(now):
        await uow.idempotency_keys.delete(record)
        return None
    if record.fingerprint != request.fingerprint:
        raise Conflict("this Idempotency-Key was already used for a different request", Code.IDEMPOTENCY_KEY_REUSED)
    return record.resource_id


async def remember(
    uow: UnitOfWork, member_id: int, request: IdempotentRequest | None, resource_id: int, now: datetime
) -> None:
    if request is None:
        return
    await uow.idempotency_keys.add(
        IdempotencyRecord(member_id, request.scope, request.key, request.fingerprint, resource_id, now)
    )
