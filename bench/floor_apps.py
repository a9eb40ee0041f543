"""Bare Litestar apps that mark the floor ``bench/http_load.py`` measures the service against.

Each is an ASGI factory for ``uvicorn --factory`` on the same server flags as ``pullit serve``:

- ``hello``: one route returning a constant; what Litestar and the server cost alone.
- ``core_read``: ``GET /read/{id}``, the authenticated read of a question set written by hand:
  HS256 check of the Bearer token (PyJWT), two SQLAlchemy Core queries (the set with its
  folder's name, then its questions), msgspec out. No DI, no ORM, no middleware.
- ``driver_read``: the same read on the asyncmy driver's own pool, no SQLAlchemy.
- ``marking_driver``: ``POST /marking``, the round trips a real marking of the service sends
  (captured per member by ``bench/marking_sql.py``, read from ``BENCH_MARKING_SQL``)
  replayed on the asyncmy driver alone, behind the same HS256 check and a JSON decode of the
  body, members taking turns in process as the service's do. No SQLAlchemy, no domain code.
- ``sse_stream`` (and ``sse_stream_litestar``, the same with Litestar's ``ServerSentEvent`` response,
  for reference): ``GET /sse/{member_id}``, what ``bench/sse.py`` measures the SSE endpoint against:
  an open ``text/event-stream`` per connection, fed by its own ``asyncio.Queue`` in a per-member
  fan-out, a handshake first, a ``: ping`` comment after each quiet spell, events in the service's
  wire format, and one Redis pub/sub connection per process feeding the fan-out (the messages
  the service's outbox relay publishes). No auth, no DI, no middleware, no database.

The SSE floor takes ``PULLIT_REDIS_URL``, ``PULLIT_REDIS_CHANNEL`` and ``PULLIT_SSE_HEARTBEAT_SECONDS``.
The reads take ``PULLIT_DATABASE_URL`` (``mysql+asyncmy://``), ``PULLIT_SECRET_KEY`` and
``PULLIT_DB_POOL_SIZE`` from the environment, as the service does.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jwt
import msgspec
from litestar import Litestar, Request, Response, get, post
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.response import Stream

POOL_SIZE = int(os.environ.get("PULLIT_DB_POOL_SIZE", "10"))

SET_SQL = (
    "SELECT s.id, s.member_id, s.title, s.question_type, s.difficulty, s.source_ids, s.status, s.folder_id, "
    "f.name, s.created_at, s.updated_at FROM question_sets s JOIN common_folders f ON f.id = s.folder_id "
    "WHERE s.id = %s AND s.member_id = %s AND s.deleted_at IS NULL"
)
QUESTIONS_SQL = (
    "SELECT id, question_type, text, answer, explanation, options, source_id, page FROM questions "
    "WHERE question_set_id = %s ORDER BY position"
)


class Question(msgspec.Struct, rename="camel", omit_defaults=True):
    id: int
    question_type: str
    question_text: str
    answer: str | bool
    explanation: str
    options: list[str] | None = None


class QuestionSet(msgspec.Struct, rename="camel"):
    id: int
    source_ids: list[int]
    owner_id: int = msgspec.field(name="ownerID")
    title: str = ""
    questions: list[Question] = msgspec.field(default_factory=list)
    difficulty: str = ""
    type: str = ""
    question_length: int = 0
    status: str = ""
    common_folder_id: int = 0
    common_folder_name: str = ""
    create_time: Any = None
    update_time: Any = None


def member_id(request: Request[Any, Any, Any]) -> int:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        raise NotAuthorizedException()
    try:
        claims = jwt.decode(
            token.strip(),
            os.environ["PULLIT_SECRET_KEY"],
            algorithms=["HS256"],
            audience="pullit-web",
            issuer="pullit",
            options={"require": ["exp", "iat", "sub", "iss", "aud", "jti"]},
        )
    except jwt.PyJWTError as error:
        raise NotAuthorizedException() from error
    return int(claims["memberId"])


def view(row: Any, rows: Any) -> QuestionSet:
    questions = [
        Question(
            id=q[0],
            question_type=q[1],
            question_text=q[2],
            answer=(q[3].lower() == "true") if q[1] == "TRUE_FALSE" else q[3],
            explanation=q[4],
            options=msgspec.json.decode(q[5]) if isinstance(q[5], str | bytes) else q[5],
        )
        for q in rows
    ]
    sources = msgspec.json.decode(row[5]) if isinstance(row[5], str | bytes) else row[5]
    return QuestionSet(
        id=row[0],
        owner_id=row[1],
        title=row[2],
        type=row[3],
        difficulty=row[4],
        source_ids=sources,
        status=row[6],
        common_folder_id=row[7],
        common_folder_name=row[8],
        create_time=row[9],
        update_time=row[10],
        questions=questions,
        question_length=len(questions),
    )


def hello() -> Litestar:
    @get("/hello", media_type="text/plain")
    async def say_hello() -> str:
        return "hello"

    return Litestar([say_hello], logging_config=None, openapi_config=None)


def core_read() -> Litestar:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

    engine: AsyncEngine = create_async_engine(os.environ["PULLIT_DATABASE_URL"], pool_size=POOL_SIZE)
    set_query = text(SET_SQL.replace("%s", ":set_id", 1).replace("%s", ":member_id", 1))
    questions_query = text(QUESTIONS_SQL.replace("%s", ":set_id"))

    @get("/read/{set_id:int}")
    async def read(set_id: int, request: Request[Any, Any, Any]) -> QuestionSet:
        member = member_id(request)
        async with engine.connect() as connection:
            row = (await connection.execute(set_query, {"set_id": set_id, "member_id": member})).first()
            if row is None:
                raise NotFoundException()
            rows = (await connection.execute(questions_query, {"set_id": set_id})).all()
        return view(row, rows)

    return Litestar([read], logging_config=None, openapi_config=None, on_shutdown=[engine.dispose])


class DriverPool:
    """asyncmy's own pool on ``PULLIT_DATABASE_URL``, opened and closed with the app."""

    def __init__(self, *, autocommit: bool, init_command: str | None = None) -> None:
        self._autocommit = autocommit
        self._init_command = init_command
        self.pool: Any = None

    async def open(self) -> None:
        import asyncmy

        url = urlparse(os.environ["PULLIT_DATABASE_URL"])
        self.pool = await asyncmy.create_pool(
            host=url.hostname,
            port=url.port or 3306,
            user=url.username or "root",
            password=url.password or "",
            db=url.path.lstrip("/"),
            minsize=1,
            maxsize=POOL_SIZE,
            autocommit=self._autocommit,
            init_command=self._init_command,
        )

    async def close(self) -> None:
        self.pool.close()
        await self.pool.wait_closed()


def driver_read() -> Litestar:
    driver = DriverPool(autocommit=True)

    @get("/read/{set_id:int}")
    async def read(set_id: int, request: Request[Any, Any, Any]) -> QuestionSet:
        member = member_id(request)
        async with driver.pool.acquire() as connection, connection.cursor() as cursor:
            await cursor.execute(SET_SQL, (set_id, member))
            row = await cursor.fetchone()
            if row is None:
                raise NotFoundException()
            await cursor.execute(QUESTIONS_SQL, (set_id,))
            rows = await cursor.fetchall()
        return view(row, rows)

    return Litestar(
        [read], logging_config=None, openapi_config=None, on_startup=[driver.open], on_shutdown=[driver.close]
    )


def marking_driver() -> Litestar:
    captured: dict[str, Any] = json.loads(Path(os.environ["BENCH_MARKING_SQL"]).read_text())
    # The service's transactions run at READ COMMITTED (pullit_adapters.sql.engine).
    driver = DriverPool(autocommit=False, init_command="SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
    # The service's submissions of one member wait in process (MemberTurns), not on the row lock
    # holding a connection each; so do these.
    turns: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @post("/marking")
    async def mark(request: Request[Any, Any, Any]) -> Response[bytes]:
        member_id(request)
        msgspec.json.decode(await request.body())
        token = request.headers["authorization"].partition(" ")[2].strip()
        marking = captured[token]
        async with turns[token], driver.pool.acquire() as connection, connection.cursor() as cursor:
            try:
                for trip in marking["trips"]:  # the last one ends with COMMIT
                    await cursor.execute(trip)
                    while await cursor.nextset():
                        pass
            except BaseException:
                await connection.rollback()
                raise
        return Response(marking["response"].encode(), media_type="application/json")

    return Litestar(
        [mark], logging_config=None, openapi_config=None, on_startup=[driver.open], on_shutdown=[driver.close]
    )


def sse_event(event_id: int, name: str, data: str) -> bytes:
    """One event in the wire format of ``GET /api/notifications/subscribe`` (CRLF, one data line per line)."""
    lines = "".join(f"data: {line}\r\n" for line in data.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return f"id: {event_id}\r\nevent: {name}\r\n{lines}\r\n".encode()


SSE_PING = b": ping\r\n\r\n"
SSE_HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive", "X-Accel-Buffering": "no"}


def sse_stream() -> Litestar:
    return _sse_floor(litestar_sse=False)


def sse_stream_litestar() -> Litestar:
    """The same floor with Litestar's own ``ServerSentEvent`` response and a message object per event."""
    return _sse_floor(litestar_sse=True)


def _sse_floor(*, litestar_sse: bool) -> Litestar:
    from litestar.response import ServerSentEvent, ServerSentEventMessage
    from redis.asyncio import Redis

    heartbeat = float(os.environ.get("PULLIT_SSE_HEARTBEAT_SECONDS", "15"))
    channel = os.environ.get("PULLIT_REDIS_CHANNEL", "pullit:notifications")
    redis = Redis.from_url(os.environ["PULLIT_REDIS_URL"])
    queues: dict[int, set[asyncio.Queue[Any]]] = {}
    listener: list[asyncio.Task[None]] = []

    async def listen() -> None:
        async with redis.pubsub() as pubsub:
            await pubsub.subscribe(channel)
            async for message in pubsub.listen():
                if message["type"] != "message":
                    continue
                fields = json.loads(message["data"])
                event_id, name, data = int(fields["i"]), str(fields["n"]), str(fields["d"])
                chunk: Any = (
                    ServerSentEventMessage(data=data, event=name, id=event_id)
                    if litestar_sse
                    else sse_event(event_id, name, data)
                )
                for queue in queues.get(int(fields["m"]), ()):
                    queue.put_nowait(chunk)

    async def start() -> None:
        listener.append(asyncio.create_task(listen()))

    async def stop() -> None:
        for task in listener:
            task.cancel()
        await redis.aclose()

    ping: Any = ServerSentEventMessage(comment="ping", data=None) if litestar_sse else SSE_PING

    async def events(member: int) -> AsyncIterator[Any]:
        # Registered when the body starts, so a client that left before it never holds a queue.
        queue: asyncio.Queue[Any] = asyncio.Queue()
        queues.setdefault(member, set()).add(queue)
        try:
            text = f"EventStream Created. [memberId={member}]"
            yield (
                ServerSentEventMessage(data=text, event="handShakeComplete", id=0)
                if litestar_sse
                else sse_event(0, "handShakeComplete", text)
            )
            while True:
                try:
                    async with asyncio.timeout(heartbeat):
                        chunk = await queue.get()
                except TimeoutError:
                    chunk = ping
                yield chunk
        finally:
            tabs = queues[member]
            tabs.discard(queue)
            if not tabs:
                del queues[member]

    @get("/sse/{member_id:int}", media_type="text/event-stream")
    async def subscribe(member_id: int) -> Stream:
        if litestar_sse:
            return ServerSentEvent(events(member_id))
        return Stream(events(member_id), media_type="text/event-stream", headers=SSE_HEADERS)

    @get("/api/health", media_type="text/plain")
    async def health() -> str:
        return "ok"  # for the launcher's readiness poll only

    routes = [subscribe, health]
    return Litestar(routes, logging_config=None, openapi_config=None, on_startup=[start], on_shutdown=[stop])
