"""Hostile JSON bodies: deep nesting is a 400 problem, and anonymous callers are refused before parsing."""

from __future__ import annotations

import re
from pathlib import Path
from tempfile import mkdtemp

import pytest
from litestar import Litestar
from litestar.enums import RequestEncodingType
from litestar.routes import HTTPRoute

from pullit_web.app import create_app
from tests.support.app import make_settings
from tests.support.members import sign_in
from tests.support.uploads import Client

DEPTH = 10_000


def json_routes(app: Litestar) -> list[tuple[str, str]]:
    """Every (method, path) whose handler reads a JSON body, path parameters filled with 1."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None or getattr(data.kwarg_definition, "media_type", None) is not RequestEncodingType.JSON:
                continue
            path = re.sub(r"\{[^}]+\}", "1", route.path)
            found.extend((method, path) for method in sorted(handler.http_methods))
    return found


# Collected at import, so each route is its own test case; the routes do not depend on settings.
ROUTES = json_routes(create_app(make_settings(Path(mkdtemp()))))


def test_the_routes_under_test_are_the_ones_the_probe_named() -> None:
    paths = {path for _, path in ROUTES}
    assert {"/api/question-set", "/api/marking", "/api/common-folders", "/api/question"} <= paths
    assert "/api/learning/source/upload" in paths


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("opener", ["[", '{"a":'])
async def test_ten_thousand_levels_of_nesting_are_a_400_problem(
    app: Litestar, client: Client, method: str, path: str, opener: str
) -> None:
    learner = await sign_in(app)
    closer = "]" if opener == "[" else "}"
    body = opener * DEPTH + "1" + closer * DEPTH
    headers = {**learner.headers, "Content-Type": "application/json"}

    response = await client.request(method, path, content=body, headers=headers)

    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "COMMON_001"


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("body", ["{not json", "[" * DEPTH, '{"sourceIds": [1]}'])
async def test_an_anonymous_caller_is_refused_before_the_body_is_read(
    client: Client, method: str, path: str, body: str
) -> None:
    response = await client.request(method, path, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 401, response.text
    assert response.json()["code"] == "AUTH001"


async def test_a_bad_token_with_bad_json_is_the_token_problem(client: Client) -> None:
    headers = {"Authorization": "Bearer not-a-token", "Content-Type": "application/json"}

    response = await client.post("/api/question-set", content="{not json", headers=headers)

    assert (response.status_code, response.json()["code"]) == (401, "TOKEN_002")
