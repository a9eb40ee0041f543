"""Ids beyond the database's 64-bit range are bad input (400), not a driver overflow (500).

Found by the contract fuzzer (tests/integration/test_contract_fuzz.py); these pin each kind of place an id
comes in: the path, the query and the body.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar

from tests.support.members import SignedIn, sign_in
from tests.support.uploads import Client

TOO_BIG = 2**63
LARGEST = 2**63 - 1


@pytest.fixture
async def learner(app: Litestar) -> SignedIn:
    return await sign_in(app, "Minseo")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", f"/api/common-folders/{TOO_BIG}", None),
        ("PATCH", f"/api/common-folders/{TOO_BIG * 1024}", {"name": "Renamed"}),
        ("GET", f"/api/question-set/{TOO_BIG}", None),
        ("DELETE", f"/api/learning/source/{TOO_BIG}", None),
        ("GET", f"/api/question-set?folderId={-TOO_BIG - 1}", None),
        ("GET", f"/api/wrong-answers?cursor={TOO_BIG}", None),
        ("GET", f"/api/wrong-answers/all?folderId={TOO_BIG}", None),
        ("POST", "/api/marking", [{"questionId": TOO_BIG, "memberAnswer": "x", "memberAnswerType": "string"}]),
        ("PATCH", "/api/question-set/1", {"commonFolderId": TOO_BIG}),
    ],
)
async def test_an_id_beyond_64_bits_is_a_400_problem(
    client: Client, learner: SignedIn, method: str, path: str, body: Any
) -> None:
    response = await client.request(method, path, json=body, headers=learner.headers)

    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "COMMON_001"


async def test_the_largest_id_is_simply_not_found(client: Client, learner: SignedIn) -> None:
    response = await client.get(f"/api/question-set/{LARGEST}", headers=learner.headers)

    assert response.status_code == 404
    assert response.json()["code"] == "QSE_001"


async def test_a_folder_sort_order_beyond_32_bits_is_a_400_problem(client: Client, learner: SignedIn) -> None:
    created = await client.post(
        "/api/common-folders", json={"name": "Biology", "type": "QUESTION_SET"}, headers=learner.headers
    )
    assert created.status_code == 201, created.text

    response = await client.patch(
        f"/api/common-folders/{created.json()['id']}", json={"sortOrder": 2**31}, headers=learner.headers
    )

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "COMMON_001"
