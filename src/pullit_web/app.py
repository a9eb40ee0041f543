"""The composition root: ``create_app(settings)`` wires adapters into a Litestar app."""

from __future__ import annotations

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
from pullit_web.auth import principal_from_request
from pullit_web.container import Container
from pullit_web.controllers.health import HealthController
from pullit_web.logs import configure_logging, request_context
from pullit_web.problems import EXCEPTION_HANDLERS
from pullit_web.settings import Settings, load_settings


def provide(provider: providers.Provider[Any]) -> Provide:
    """Hand a container provider to Litestar; the container, not Litestar, owns the object."""

    async def dependency() -> Any:
        return provider()

    return Provide(dependency)


def dependencies(container: Container) -> dict[str, Provide]:
    return {
        "readiness": provide(container.readiness),
        "access_tokens": provide(container.access_tokens),
        "principal": Provide(principal_from_request),
        "sign_up_member": provide(container.sign_up_member),
        "get_member": provide(container.get_member),
        "settings": provide(container.settings),
    }


def _lifespan_hook(call: Callable[[], Any]) -> Callable[[], Any]:
    async def hook() -> None:
        result = call()
        if inspect.isawaitable(result):
            await result

    return hook


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    settings = settings or load_settings()
    container = container or Container(settings=settings)
    start_mappers()
    configure_logging(settings.log_level, settings.log_format)
    return Litestar(
        route_handlers=[HealthController],
        dependencies=dependencies(container),
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[request_context],
        on_startup=[_lifespan_hook(container.init_resources)],
        on_shutdown=[_lifespan_hook(container.shutdown_resources)],
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
            path="/docs",
            render_plugins=[ScalarRenderPlugin(path="/"), SwaggerRenderPlugin(path="/swagger")],
        ),
        logging_config=None,
        state=State({"container": container, "settings": settings}),
    )


def app_from_environment() -> Litestar:
    """Factory for ``uvicorn --factory``: each worker process reads the settings once."""
    return create_app()
