"""Every route of the service, in two lists: the public ones and the signed-in ones.

This is the one place that says which routes anyone may call. The signed-in routes sit in one
``Router`` whose middleware is the authentication, so a public route (the health probe, a
sign-in redirect) never passes through it, not even to be told it is excluded. The root only
redirects to the docs; sign-in cannot need a token; ``/auth/refresh`` proves itself with its
cookie; local file URLs carry their own signature (as S3 presigned URLs do). The OpenAPI
document and its viewers (``/docs``) are Litestar's own routes, outside both lists, and public.
"""

from __future__ import annotations

from litestar import Router
from litestar.types import ControllerRouterHandler

from pullit_web.http.auth import authentication
from pullit_web.http.controllers.admin import AdminController
from pullit_web.http.controllers.auth import SessionRefreshController, SignOutController
from pullit_web.http.controllers.folders import FoldersController
from pullit_web.http.controllers.health import HealthController
from pullit_web.http.controllers.local_files import LocalFilesController
from pullit_web.http.controllers.local_login import LocalLoginController
from pullit_web.http.controllers.marking import MarkingController
from pullit_web.http.controllers.members import MembersController
from pullit_web.http.controllers.notifications import NotificationController
from pullit_web.http.controllers.oauth import OAuthController
from pullit_web.http.controllers.question_sets import QuestionSetController
from pullit_web.http.controllers.questions import QuestionController
from pullit_web.http.controllers.reviews import ReviewController, ReviewSettingsController
from pullit_web.http.controllers.root import root
from pullit_web.http.controllers.sources import SourcesController
from pullit_web.http.controllers.stats import StatsController
from pullit_web.http.controllers.wrong_answers import WrongAnswersController
from pullit_web.http.metrics import MetricsController


def public_routes(storage: str) -> list[ControllerRouterHandler]:
    """The routes anyone may call (the embedded store's file URLs only when it is in use)."""
    files: list[ControllerRouterHandler] = [LocalFilesController] if storage == "local" else []
    signing_in = [OAuthController, LocalLoginController, SessionRefreshController]
    return [root, HealthController, MetricsController, *signing_in, *files]


def signed_in_routes() -> Router:
    """Every other route: the caller's verified token is on ``request.user`` before the handler runs."""
    return Router(
        path="/",
        route_handlers=[
            NotificationController,
            QuestionSetController,
            QuestionController,
            SourcesController,
            MarkingController,
            WrongAnswersController,
            FoldersController,
            StatsController,
            ReviewController,
            ReviewSettingsController,
            MembersController,
            SignOutController,
            AdminController,
        ],
        # Rate limits are middleware of the routes with a budget (http/rate_limits.py), inside
        # this, so they count per verified member.
        middleware=[authentication()],
    )
