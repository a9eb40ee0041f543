"""A member's submissions take turns in the process; other members never wait for them."""

from __future__ import annotations

import asyncio

from pullit_domain.use_cases.member_turns import MemberTurns


async def test_a_members_second_request_waits_for_the_first_and_others_do_not() -> None:
    turns = MemberTurns()
    entered: list[str] = []
    release_first = asyncio.Event()

    async def request(name: str, member_id: int, hold: asyncio.Event | None = None) -> None:
        async with turns.turn(member_id):
            entered.append(name)
            if hold is not None:
                await hold.wait()

    first = asyncio.create_task(request("first", 7, release_first))
    started = asyncio.Event()

    async def second_request() -> None:
        started.set()
        await request("second", 7)

    second = asyncio.create_task(second_request())
    # Resumed only once the second request blocked on its turn (nothing else runs in between).
    await started.wait()

    await request("other member", 8)
    assert entered == ["first", "other member"]
    assert turns.waiting(7) == 2

    release_first.set()
    await asyncio.gather(first, second)
    assert entered == ["first", "other member", "second"]
    assert (turns.waiting(7), turns.waiting(8)) == (0, 0)


async def test_a_failed_request_gives_up_its_turn() -> None:
    turns = MemberTurns()

    async def failing() -> None:
        async with turns.turn(7):
            raise RuntimeError("the database went away")

    results = await asyncio.gather(failing(), failing(), return_exceptions=True)

    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    assert turns.waiting(7) == 0
