"""``pullit worker``: generation without the HTTP service, for scaling workers apart from web instances."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator

from dependency_injector import providers
from prometheus_client import start_http_server

import pullit_adapters.metrics  # noqa: F401 - registers the domain metrics before the first scrape
from pullit_adapters.sql.mapping import start_mappers
from pullit_domain.events import QuestionSetRequested
from pullit_web.container import Container
from pullit_web.logs import configure_logging
from pullit_web.runtime.loop import woken_by
from pullit_web.settings import Settings


async def _not_running(_: object) -> AsyncIterator[None]:
    yield None


async def _work(settings: Settings) -> None:
    container = Container(settings=settings)
    start_mappers()
    configure_logging(settings.log_level, settings.log_format)
    container.generation_worker_lifetime.override(
        providers.Resource(woken_by, container.generation_worker, container.events, QuestionSetRequested)
    )
    if not settings.redis_url:
        # Without Redis this process reaches no browser: leave the outbox to the web instances,
        # whose relays deliver what this worker records.
        container.outbox_relay_lifetime.override(providers.Resource(_not_running, None))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await container.init_resources()  # type: ignore[misc]
    # Generation outcomes and LLM calls of this process are only visible here, not on any web instance.
    metrics = start_http_server(settings.worker_metrics_port, settings.host) if settings.worker_metrics_port else None
    try:
        await stop.wait()
    finally:
        if metrics is not None:
            metrics[0].shutdown()
        await container.shutdown_resources()  # type: ignore[misc]


def run_worker_process(settings: Settings) -> int:
    asyncio.run(_work(settings))
    return 0
