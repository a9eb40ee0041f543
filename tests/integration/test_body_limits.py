"""Request bodies are capped app-wide (413 ``COMMON_006``); the local store's file PUT keeps its own limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient, TestClient

from pullit_web.bootstrap.app import create_app
from pullit_web.settings import Settings
from tests.support.app import make_settings
from tests.support.members import sign_in
from tests.support.uploads import Client, upload_pdf


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    return make_settings(tmp_path, database_url=sqlite_url, max_request_body_kb="1")


def answers(size: int) -> bytes:
    """A marking submission of about ``size`` bytes."""
    return json.dumps([{"questionId": 1, "memberAnswer": "x" * size, "memberAnswerType": "string"}]).encode()


def assert_too_large(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "COMMON_006"
    assert str(limit) in problem["detail"]


async def test_a_json_body_over_the_limit_is_refused_with_413(app: Litestar, client: Client) -> None:
    learner = await sign_in(app)
    headers = {**learner.headers, "Content-Type": "application/json"}

    refused = await client.post("/api/marking", content=answers(2_000), headers=headers)
    under = await client.post("/api/marking", content=b"[]", headers=headers)

    assert_too_large(refused, limit=1024)
    assert under.status_code == 400, "a small body reaches validation as before"
    assert under.json()["code"] == "COMMON_001"


async def test_a_streamed_body_without_content_length_is_cut_off_too(app: Litestar) -> None:
    learner = await sign_in(app)

    def chunks() -> Iterator[bytes]:
        body = answers(4_000)
        yield from (body[i : i + 500] for i in range(0, len(body), 500))

    # The sync client, because only it streams a chunked body into the app.
    with TestClient(app=app) as client:
        headers = {**learner.headers, "Content-Type": "application/json"}
        response = client.post("/api/marking", content=chunks(), headers=headers)

    assert "content-length" not in response.request.headers
    assert_too_large(response, limit=1024)


async def test_the_local_store_takes_files_larger_than_the_json_limit(
    app: Litestar, client: Client, fixtures_dir: Path
) -> None:
    learner = await sign_in(app)
    pdf = fixtures_dir / "photosynthesis.pdf"
    assert pdf.stat().st_size > 1024

    recorded = await upload_pdf(client, learner, pdf)

    assert recorded["status"] in ("UPLOADED", "READY")


async def test_by_default_the_longest_legal_marking_fits_and_more_does_not(tmp_path: Path, sqlite_url: str) -> None:
    app = create_app(make_settings(tmp_path, database_url=sqlite_url))
    learner = await sign_in(app)
    headers = {**learner.headers, "Content-Type": "application/json"}
    # A set has at most 100 questions and a written answer at most 5,000 characters: 3 bytes each in Korean.
    longest = [{"questionId": n, "memberAnswer": "가" * 5000, "memberAnswerType": "string"} for n in range(1, 101)]
    body = json.dumps(longest, ensure_ascii=False).encode()
    assert len(body) > 1_500_000

    async with AsyncTestClient(app=app) as client:
        accepted = await client.post("/api/marking", content=body, headers=headers)
        refused = await client.post("/api/marking", content=answers(4 * 1024 * 1024), headers=headers)

    # Read and parsed in full: only then can it say that these questions are not the caller's.
    assert (accepted.status_code, accepted.json()["code"]) == (404, "QSE_004"), accepted.text
    assert_too_large(refused, limit=4 * 1024 * 1024)
