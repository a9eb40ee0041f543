"""What every client sees first: health, readiness, docs, and problem details."""

from __future__ import annotations

import logging

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_web.bootstrap.app import create_app
from pullit_web.http import logs
from tests.support.app import make_settings


async def test_liveness_and_readiness(client: AsyncTestClient[Litestar]) -> None:
    live = await client.get("/api/health")
    ready = await client.get("/api/health/ready")

    assert live.status_code == 200
    assert live.json() == {"status": "UP"}
    assert ready.status_code == 200
    assert ready.json()["status"] == "UP"
    assert [check["name"] for check in ready.json()["checks"]] == ["database"]


async def test_readiness_reports_an_unreachable_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path, database_url="mysql+asyncmy://nobody@127.0.0.1:1/pullit", auto_migrate="false")
    async with AsyncTestClient(app=create_app(settings)) as client:
        response = await client.get("/api/health/ready")
        live = await client.get("/api/health")

    assert response.status_code == 503
    assert response.json()["status"] == "DOWN"
    assert response.json()["checks"][0]["ok"] is False
    assert live.status_code == 200


async def test_openapi_document_and_interactive_page(client: AsyncTestClient[Litestar]) -> None:
    page = await client.get("/docs")
    schema = await client.get("/docs/openapi.json")

    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Pullit"
    assert "/api/health" in schema.json()["paths"]


async def test_unknown_route_is_a_problem_document(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/no-such-thing")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 404
    assert body["code"] == "COMMON_002"
    assert body["instance"] == "/api/no-such-thing"
    assert {"type", "title", "detail"} <= body.keys()


async def test_every_response_carries_a_request_id(client: AsyncTestClient[Litestar]) -> None:
    generated = await client.get("/api/health")
    echoed = await client.get("/api/health", headers={"X-Request-ID": "trace-abc-123"})

    assert len(generated.headers["x-request-id"]) == 32
    assert echoed.headers["x-request-id"] == "trace-abc-123"


async def test_refused_and_unknown_requests_carry_a_request_id_and_are_logged_with_their_status(
    client: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "pullit.access")
    # The 401 comes from the authentication middleware and the 404 from routing, not a handler.
    anonymous = await client.get("/api/question-set", headers={"X-Request-ID": "trace-401"})
    unknown = await client.get("/no/such/page", headers={"X-Request-ID": "trace-404"})

    assert (anonymous.status_code, anonymous.headers["x-request-id"]) == (401, "trace-401")
    assert (unknown.status_code, unknown.headers["x-request-id"]) == (404, "trace-404")
    logs.flush()  # access records are built on the log writer's thread
    logged = {(r.request_id, r.fields["path"], r.fields["status"]) for r in caplog.records if r.name == "pullit.access"}  # type: ignore[attr-defined]
    assert {("trace-401", "/api/question-set", 401), ("trace-404", "/no/such/page", 404)} <= logged


async def test_cors_preflight_allows_the_frontend(client: AsyncTestClient[Litestar]) -> None:
    response = await client.options(
        "/api/health",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Idempotency-Key",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert response.headers["access-control-allow-credentials"] == "true"


async def test_cross_origin_reads_are_allowed_for_the_frontend_only(client: AsyncTestClient[Litestar]) -> None:
    frontend = await client.get("/api/health", headers={"Origin": "http://localhost:5173"})
    foreign = await client.get("/api/health", headers={"Origin": "https://elsewhere.example"})
    same_origin = await client.get("/api/health")

    assert frontend.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert frontend.headers["access-control-allow-credentials"] == "true"
    assert "access-control-allow-origin" not in foreign.headers
    assert "access-control-allow-origin" not in same_origin.headers
    assert frontend.status_code == foreign.status_code == same_origin.status_code == 200


async def test_the_root_url_leads_to_the_api_docs(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/", follow_redirects=False)

    assert response.status_code == 302
    assert response.headers["location"] == "/docs"
    assert (await client.get("/")).status_code == 200


async def test_problems_follow_accept_language_and_keep_their_stable_fields(client: AsyncTestClient[Litestar]) -> None:
    korean = await client.get("/api/question-set/1", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"})
    english = await client.get("/api/question-set/1", headers={"Accept-Language": "en"})
    unknown = await client.get("/nowhere", headers={"Accept-Language": "en;q=0.2, ko"})

    stable = ("type", "status", "code", "instance")
    assert [korean.json()[k] for k in stable] == [english.json()[k] for k in stable]
    assert (korean.json()["title"], korean.headers["content-language"]) == ("인증 필요", "ko")
    assert (english.json()["title"], english.headers["content-language"]) == ("Unauthorized", "en")
    assert "Bearer" in english.json()["detail"] and "로그인" in korean.json()["detail"]
    assert (unknown.status_code, unknown.json()["title"], unknown.json()["detail"]) == (
        404,
        "찾을 수 없음",
        "찾을 수 없음",
    )
