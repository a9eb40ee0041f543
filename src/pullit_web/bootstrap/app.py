"""The composition root: ``create_app(settings)`` wires adapters into a Litestar app."""

from __future__ import annotations

import gc
import inspect
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from dependency_injector import providers
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin

from pullit_adapters.sql.mapping import start_mappers
from pullit_web.bootstrap.container import Container
from pullit_web.http.allow_header import full_allow_on_options
from pullit_web.http.cors import cors_only_with_origin
from pullit_web.http.logs import configure_logging
from pullit_web.http.openapi import COMPONENTS as OPENAPI_COMPONENTS
from pullit_web.http.problems import problem_details
from pullit_web.http.routes import public_routes, signed_in_routes
from pullit_web.http.telemetry import request_telemetry
from pullit_web.settings import Settings, load_settings


def provide(provider: providers.Provider[Any]) -> Provide:
    """Hand a container provider to Litestar; the container, not Litestar, owns the object."""

    async def dependency() -> Any:
        return provider()

    return Provide(dependency)


def dependencies(container: Container) -> dict[str, Provide]:
    """Every object the container makes, under its provider's name: a handler asks for
    ``create_question_set`` and gets ``container.create_question_set()``. Lifetimes (resources)
    and the settings dependency are the container's own business and are not offered."""
    offered = {
        name: provide(provider)
        for name, provider in container.providers.items()
        if isinstance(provider, providers.Factory | providers.Singleton | providers.Callable)
    }
    return {**offered, "settings": provide(container.settings)}


def _lifespan_hook(call: Callable[[], Any]) -> Callable[[], Any]:
    async def hook() -> None:
        result = call()
        if inspect.isawaitable(result):
            await result

    return hook


def freeze_startup_heap() -> None:
    """Move what startup made (routes, schemas, mappers, pools) out of the collector's sight.

    Those ~180,000 objects live as long as the process, yet each full collection walked them
    all: a pause of about 150 ms every few thousand requests, the p99 of every route.
    """
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    settings = settings or load_settings()
    container = container or Container(settings=settings)
    start_mappers()
    configure_logging(settings.log_level, settings.log_format)
    app = Litestar(
        route_handlers=[*public_routes(settings.storage), signed_in_routes()],
        dependencies=dependencies(container),
        plugins=[problem_details()],
        request_max_body_size=settings.max_request_body_bytes,
        on_startup=[_lifespan_hook(container.init_resources), freeze_startup_heap],
        # Unfrozen on the way out, so an app made and stopped in a longer-lived process (tests) can be collected.
        on_shutdown=[_lifespan_hook(container.shutdown_resources), gc.unfreeze],
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_credentials=True,
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
            expose_headers=["Location"],
        ),
        openapi_config=OpenAPIConfig(
            title="Pullit",
            version=version("pullit"),
            description="Turn study PDFs into practice question sets.",
            components=OPENAPI_COMPONENTS,
            path="/docs",
            render_plugins=[ScalarRenderPlugin(path="/"), SwaggerRenderPlugin(path="/swagger")],
        ),
        logging_config=None,
        state=State({"container": container, "settings": settings}),
    )
    cors_only_with_origin(app)
    full_allow_on_options(app)
    # Outside Litestar's exception handling, so the responses it writes (401, 404, 429) are
    # observed like any other: see pullit_web.http.telemetry.
    app.asgi_handler = request_telemetry(app.asgi_handler, app.asgi_router.handle_routing)
    return app


def app_from_environment() -> Litestar:
    """Factory for ``uvicorn --factory``: each worker process reads the settings once."""
    return create_app()
