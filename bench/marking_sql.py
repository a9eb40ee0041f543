"""What a marking sends to MariaDB, captured per member for the driver-only marking floor.

``bench/floor_apps.py``'s ``marking_driver`` replays these round trips on the asyncmy driver
alone: the statements, values and batching of a real marking with nothing above the driver
(no DI, no SQLAlchemy, no domain code, no FSRS). The marking of ``POST /api/marking`` against
it says how much the stack above the driver costs on the write path, as the driver-only read
does for ``GET /api/question-set/{id}``.

Each member marks their submission twice through the app, in process; the first makes their
review cards, so the second is the steady state the benchmark's markings are in, and its round
trips (one string each, as asyncmy sends them) and response body are kept.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# The claim names the event the trip before it inserted, by id: replayed, it takes that insert's
# id from the server (the same connection's LAST_INSERT_ID()).
CLAIM = re.compile(r"(INSERT IGNORE INTO processed_events \(event_id, processed_at\) VALUES \()\d+,")


async def capture(environ: dict[str, str], tokens: tuple[str, ...], bodies: tuple[str, ...]) -> dict[str, Any]:
    """``{member's token: {"trips": [SQL of each round trip], "response": body}}``, to be saved as JSON."""
    from litestar.testing import AsyncTestClient
    from tests.support.mariadb_queries import sent_queries

    from pullit_web.bootstrap.app import create_app
    from pullit_web.bootstrap.container import Container
    from pullit_web.settings import load_settings

    sent: list[tuple[Any, str]] = []
    settings = load_settings({**environ, "PULLIT_LOG_LEVEL": "WARNING"}, env_file=Path(environ["PULLIT_ENV_FILE"]))
    container = Container(settings=settings)
    captured: dict[str, Any] = {}
    with sent_queries(lambda connection, sql: sent.append((connection, sql))):
        async with AsyncTestClient(create_app(settings, container)) as client:
            for token, body in zip(tokens, bodies, strict=True):
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                for _ in range(2):
                    sent.clear()
                    response = await client.post("/api/marking", content=body, headers=headers)
                    response.raise_for_status()
                # The marking's own connection: the app's background loops may query on others meanwhile.
                marking = next(connection for connection, sql in reversed(sent) if sql.endswith("COMMIT"))
                *trips, claim = [sql for connection, sql in sent if connection is marking]
                shaped = trips[0].startswith("SELECT questions.") and CLAIM.match(claim)
                if not (shaped and trips[-1].rpartition(";")[2].startswith("INSERT INTO domain_events")):
                    raise SystemExit(f"a marking's round trips are not the expected shape:\n{sent}")
                captured[token] = {
                    "trips": [*trips, CLAIM.sub(r"\1LAST_INSERT_ID(),", claim, 1)],
                    "response": response.text,
                }
    return captured
