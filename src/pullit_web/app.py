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
from pullit_web.controllers.folders import FoldersController
from pullit_web.controllers.health import HealthController
from pullit_web.controllers.marking import MarkingController
from pullit_web.controllers.notifications import NotificationController
from pullit_web.controllers.question_sets import QuestionSetController
from pullit_web.controllers.questions import QuestionController
from pullit_web.controllers.sign_in import SIGN_IN_CONTROLLERS
from pullit_web.controllers.sources import source_controllers
from pullit_web.controllers.stats import StatsController
from pullit_web.controllers.wrong_answers import WrongAnswersController
from pullit_web.logs import configure_logging, request_context
from pullit_web.metrics import MetricsController, request_metrics
from pullit_web.openapi import COMPONENTS as OPENAPI_COMPONENTS
from pullit_web.problems import EXCEPTION_HANDLERS
from pullit_web.rate_limits import rate_limits
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
        "open_member_event_stream": provide(container.open_member_event_stream),
        "settings": provide(container.settings),
        "identity_providers": provide(container.identity_providers),
        "login_cookies": provide(container.login_cookies),
        "consume_login_state": provide(container.consume_login_state),
        "sign_in": provide(container.sign_in),
        "refresh_session": provide(container.refresh_session),
        "sign_out": provide(container.sign_out),
        "set_admin_role": provide(container.set_admin_role),
        "issue_upload_permit": provide(container.issue_upload_permit),
        "complete_upload": provide(container.complete_upload),
        "list_sources": provide(container.list_sources),
        "get_download_link": provide(container.get_download_link),
        "delete_source": provide(container.delete_source),
        "local_store": provide(container.file_store),
        "background": provide(container.background),
        "create_question_set": provide(container.create_question_set),
        "get_question_set": provide(container.get_question_set),
        "list_question_sets": provide(container.list_question_sets),
        "update_question_set": provide(container.update_question_set),
        "delete_question_set": provide(container.delete_question_set),
        "retry_question_set": provide(container.retry_question_set),
        "manage_questions": provide(container.manage_questions),
        "mark_answers": provide(container.mark_answers),
        "list_wrong_answers": provide(container.list_wrong_answers),
        "review_questions": provide(container.review_questions),
        "list_folders": provide(container.list_folders),
        "create_folder": provide(container.create_folder),
        "get_folder": provide(container.get_folder),
        "update_folder": provide(container.update_folder),
        "delete_folder": provide(container.delete_folder),
        "folder_delete_warning": provide(container.folder_delete_warning),
        "get_learning_stats": provide(container.get_learning_stats),
        "get_daily_stats": provide(container.get_daily_stats),
        "get_learning_progress": provide(container.get_learning_progress),
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
        route_handlers=[
            HealthController,
            MetricsController,
            NotificationController,
            QuestionSetController,
            QuestionController,
            *SIGN_IN_CONTROLLERS,
            *source_controllers(settings.storage),
            MarkingController,
            WrongAnswersController,
            FoldersController,
            StatsController,
        ],
        dependencies=dependencies(container),
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_request_body_bytes,
        middleware=[request_context, request_metrics(), rate_limits(settings, container)],
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
            components=OPENAPI_COMPONENTS,
            path="/docs",
            render_plugins=[ScalarRenderPlugin(path="/"), SwaggerRenderPlugin(path="/swagger")],
        ),
        logging_config=None,
        state=State({"container": container, "settings": settings}),
    )


def app_from_environment() -> Litestar:
    """Factory for ``uvicorn --factory``: each worker process reads the settings once."""
    return create_app()
