"""Every list the API returns is bounded: paged lists cap ``size`` (a larger one is a 400 problem naming
``size``), date ranges cap their span, and the remaining lists are by contract "everything the member
owns". The list routes are read from the app's OpenAPI document, so a new list must pick one of these.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_domain.use_cases.reviews import MAX_FORECAST_DAYS
from pullit_domain.use_cases.stats import MAX_DAILY_RANGE
from pullit_domain.use_cases.wrong_answers import MAX_PAGE as MAX_WRONG_ANSWER_PAGE
from pullit_web.app import create_app
from pullit_web.controllers.question_sets import MAX_PAGE_SIZE as MAX_QUESTION_SET_PAGE
from tests.support.app import make_settings
from tests.support.members import sign_in

Client = AsyncTestClient[Litestar]

PAGED = {"/api/question-set": MAX_QUESTION_SET_PAGE, "/api/wrong-answers": MAX_WRONG_ANSWER_PAGE}
RANGED = {"/api/members/{member_id}/daily-stats": MAX_DAILY_RANGE, "/api/review/forecast": MAX_FORECAST_DAYS}
# The contract promises these whole: every item the member owns (`/all` exists beside the pages for that).
WHOLE = {"/api/question-set/all", "/api/wrong-answers/all", "/api/learning/source", "/api/common-folders"}


def list_routes(doc: dict[str, Any]) -> set[str]:
    """GET paths whose 200 body is an array or a cursor page (also one nested in the body)."""
    schemas = doc["components"]["schemas"]

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        return resolve(schemas[schema["$ref"].rsplit("/", 1)[1]]) if "$ref" in schema else schema

    def is_page(schema: dict[str, Any]) -> bool:
        return {"content", "hasNext"} <= set(resolve(schema).get("properties", {}))

    def is_list(schema: dict[str, Any]) -> bool:
        schema = resolve(schema)
        properties = schema.get("properties", {}).values()
        return schema.get("type") == "array" or is_page(schema) or any(is_page(p) for p in properties)

    found = set()
    for path, item in doc["paths"].items():
        response = item.get("get", {}).get("responses", {}).get("200", {})
        body = response.get("content", {}).get("application/json")
        if body is not None and is_list(body["schema"]):
            found.add(path)
    return found


def size_parameters(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        path: parameter["schema"]
        for path, item in doc["paths"].items()
        for parameter in item.get("get", {}).get("parameters", [])
        if parameter["in"] == "query" and parameter["name"] == "size"
    }


def test_every_list_is_paged_ranged_or_whole_by_contract(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/unused.db"))
    doc = app.openapi_schema.to_schema()
    assert list_routes(doc) == set(PAGED) | set(RANGED) | WHOLE
    sizes = size_parameters(doc)
    assert set(sizes) == set(PAGED)
    # The documented bounds are the enforced ones, so clients can read them from /docs.
    assert {path: (s.get("minimum"), s.get("maximum")) for path, s in sizes.items()} == {
        path: (1, cap) for path, cap in PAGED.items()
    }


def assert_size_refused(response: Any) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "COMMON_001"
    assert "size" in problem["detail"]


@pytest.mark.parametrize("path", sorted(PAGED))
async def test_page_size_is_capped(app: Litestar, client: Client, path: str) -> None:
    who = await sign_in(app)
    cap = PAGED[path]
    at_cap = await client.get(path, params={"size": cap}, headers=who.headers)
    assert at_cap.status_code == 200, at_cap.text
    page = at_cap.json()
    assert (page.get("questionSets") or page)["size"] == cap
    for size in (cap + 1, 10**12, 0, -1, "all"):
        assert_size_refused(await client.get(path, params={"size": size}, headers=who.headers))


async def test_daily_stats_range_is_capped(app: Litestar, client: Client) -> None:
    who = await sign_in(app)
    path = f"/api/members/{who.member_id}/daily-stats"
    last = date(2026, 3, 4)

    def span(days: int) -> dict[str, str]:
        return {"from": (last - timedelta(days=days - 1)).isoformat(), "to": last.isoformat()}

    widest = await client.get(path, params=span(MAX_DAILY_RANGE), headers=who.headers)
    assert widest.status_code == 200, widest.text
    for params in (span(MAX_DAILY_RANGE + 1), span(100 * 366), {"from": "2026-03-05", "to": "2026-03-04"}):
        refused = await client.get(path, params=params, headers=who.headers)
        assert refused.status_code == 400, (params, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "COMMON_001"


async def test_review_forecast_days_are_capped(app: Litestar, client: Client) -> None:
    who = await sign_in(app)
    widest = await client.get("/api/review/forecast", params={"days": MAX_FORECAST_DAYS}, headers=who.headers)
    assert widest.status_code == 200, widest.text
    assert len(widest.json()) == MAX_FORECAST_DAYS
    for days in (MAX_FORECAST_DAYS + 1, 10**12, 0, "all"):
        refused = await client.get("/api/review/forecast", params={"days": days}, headers=who.headers)
        assert refused.status_code == 400, (days, refused.text)
        assert refused.json()["code"] == "COMMON_001"
