from __future__ import annotations

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from pullit_web.http.health import CheckResult, Readiness


class Liveness(msgspec.Struct):
    status: str


class ReadinessReport(msgspec.Struct):
    status: str
    checks: list[CheckResult]


class HealthController(Controller):
    path = "/api/health"
    tags = ["operations"]

    @get("/", summary="Liveness: the process answers")
    async def live(self) -> Liveness:
        return Liveness(status="UP")

    @get(
        "/ready",
        summary="Readiness: database, store and broker reachable",
        responses={503: ResponseSpec(ReadinessReport, description="Something is unreachable; `checks` says what")},
    )
    async def ready(self, readiness: NamedDependency[Readiness]) -> Response[ReadinessReport]:
        checks = await readiness.check()
        ok = all(check.ok for check in checks)
        report = ReadinessReport(status="UP" if ok else "DOWN", checks=checks)
        return Response(report, status_code=200 if ok else 503)
