"""The OpenAPI document and OPTIONS answers say what the server really accepts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar

from pullit_web.ids import MAX_ID
from tests.support.members import sign_in
from tests.support.uploads import Client

BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


@pytest.fixture
async def document(client: Client) -> dict[str, Any]:
    response = await client.get("/docs/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_integer_bounds_are_exact_integers(document: dict[str, Any]) -> None:
    bounds = [(key, schema[key]) for schema in _schemas(document) for key in BOUNDS if key in schema]

    assert bounds
    assert [(key, value) for key, value in bounds if not isinstance(value, int)] == []
    assert max(value for _, value in bounds) == MAX_ID


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/common-folders", "GET, OPTIONS, POST"),
        ("/api/common-folders/1", "DELETE, GET, OPTIONS, PATCH"),
        ("/api/question-set/1", "DELETE, GET, OPTIONS, PATCH"),
        ("/api/question/1", "DELETE, GET, OPTIONS, PUT"),
        ("/api/question-set", "GET, OPTIONS, POST"),
    ],
)
async def test_options_allows_every_method_of_the_path(client: Client, path: str, methods: str) -> None:
    response = await client.options(path)

    assert response.status_code == 204
    assert response.headers["allow"] == methods


@pytest.mark.parametrize(
    ("schema", "field", "constraint"),
    [
        ("UploadRequest", "fileName", {"minLength": 1}),
        ("UploadRequest", "contentType", {"minLength": 1}),
        ("UploadRequest", "fileSize", {"minimum": 1}),
        ("UploadCompleteRequest", "uploadId", {"minLength": 1}),
        ("NewQuestionBody", "questionText", {"minLength": 1}),
        ("QuestionBody", "questionText", {"minLength": 1}),
    ],
)
async def test_request_fields_carry_the_constraints_validation_applies(
    document: dict[str, Any], schema: str, field: str, constraint: dict[str, int]
) -> None:
    described = document["components"]["schemas"][schema]["properties"][field]

    assert constraint.items() <= described.items()


async def test_source_ids_say_each_id_is_positive(document: dict[str, Any]) -> None:
    source_ids = document["components"]["schemas"]["CreateQuestionSetRequest"]["properties"]["sourceIds"]

    assert source_ids["items"] == {"type": "integer", "minimum": 1, "maximum": MAX_ID}


async def test_what_the_document_refuses_the_server_refuses(app: Litestar, client: Client) -> None:
    learner = await sign_in(app)
    empty_name = {"fileName": "", "contentType": "application/pdf", "fileSize": 10}
    response = await client.post("/api/learning/source/upload", json=empty_name, headers=learner.headers)
    assert response.status_code == 400
    bad_ids = {"sourceIds": [0], "type": "MULTIPLE_CHOICE", "difficulty": "EASY", "questionCount": 3}
    response = await client.post("/api/question-set", json=bad_ids, headers=learner.headers)
    assert response.status_code == 400
