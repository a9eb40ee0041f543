"""Common folders through HTTP: the ALL folder's rules, order, deletion moving sets, ownership."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from tests.support.members import SignedIn
from tests.support.solving import ready_set, short, signed_in

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def learner(app: Litestar, db: UnitOfWorkFactory) -> SignedIn:
    return await signed_in(app, db, "Minji")


async def create(client: Client, who: SignedIn, name: str, kind: str = "QUESTION_SET") -> int:
    response = await client.post("/api/common-folders", json={"name": name, "type": kind}, headers=who.headers)
    assert response.status_code == 201, response.text
    folder_id = response.json()["id"]
    assert response.headers["location"] == f"/api/common-folders/{folder_id}"
    return int(folder_id)


async def folders(client: Client, who: SignedIn, kind: str = "QUESTION_SET") -> list[dict[str, object]]:
    response = await client.get("/api/common-folders", params={"type": kind}, headers=who.headers)
    assert response.status_code == 200, response.text
    body: list[dict[str, object]] = response.json()
    return body


async def test_every_member_starts_with_the_all_folders(client: Client, learner: SignedIn) -> None:
    for kind in ("QUESTION_SET", "WRONG_ANSWER"):
        [everything] = await folders(client, learner, kind)
        assert set(everything) == {"id", "name", "type", "scope", "sortOrder"}
        assert (everything["type"], everything["scope"], everything["name"]) == (kind, "ALL", "전체")


async def test_created_folders_list_after_all_in_creation_order(client: Client, learner: SignedIn) -> None:
    biology = await create(client, learner, "  Biology ")
    chemistry = await create(client, learner, "Chemistry")
    mistakes = await create(client, learner, "Tricky ones", "WRONG_ANSWER")

    listed = await folders(client, learner)
    assert [(f["name"], f["scope"], f["sortOrder"]) for f in listed] == [
        ("전체", "ALL", 0),
        ("Biology", "CUSTOM", 1),
        ("Chemistry", "CUSTOM", 2),
    ]
    assert [f["id"] for f in listed[1:]] == [biology, chemistry]
    assert [f["name"] for f in await folders(client, learner, "WRONG_ANSWER")] == ["전체", "Tricky ones"]

    one = await client.get(f"/api/common-folders/{mistakes}", headers=learner.headers)
    assert one.status_code == 200
    assert one.json() == {
        "id": mistakes,
        "name": "Tricky ones",
        "type": "WRONG_ANSWER",
        "scope": "CUSTOM",
        "sortOrder": 1,
    }


async def test_renaming_and_reordering(client: Client, learner: SignedIn) -> None:
    first = await create(client, learner, "First")
    second = await create(client, learner, "Second")

    renamed = await client.patch(f"/api/common-folders/{first}", json={"name": "Renamed"}, headers=learner.headers)
    moved = await client.patch(f"/api/common-folders/{first}", json={"sortOrder": 5}, headers=learner.headers)

    assert renamed.status_code == 200 and renamed.json()["name"] == "Renamed"
    assert moved.status_code == 200 and moved.json()["sortOrder"] == 5
    assert [f["id"] for f in await folders(client, learner)][1:] == [second, first]
    for bad in ({"name": ""}, {"name": "x" * 101}, {"sortOrder": 0}):
        response = await client.patch(f"/api/common-folders/{first}", json=bad, headers=learner.headers)
        assert response.status_code == 400, bad
        assert response.json()["code"] == "COMMON_001"


async def test_the_all_folder_cannot_be_renamed_or_deleted(client: Client, learner: SignedIn) -> None:
    [everything] = await folders(client, learner)

    renamed = await client.patch(
        f"/api/common-folders/{everything['id']}", json={"name": "Mine"}, headers=learner.headers
    )
    deleted = await client.delete(f"/api/common-folders/{everything['id']}", headers=learner.headers)

    assert renamed.status_code == 400 and renamed.json()["code"] == "CF_002"
    assert deleted.status_code == 400 and deleted.json()["code"] == "CF_001"
    assert renamed.headers["content-type"].startswith("application/problem+json")
    assert [f["name"] for f in await folders(client, learner)] == ["전체"]


async def test_deleting_a_folder_moves_its_sets_to_all(
    db: UnitOfWorkFactory, client: Client, learner: SignedIn
) -> None:
    uow = db
    [everything] = await folders(client, learner)
    biology = await create(client, learner, "Biology")
    filed = [await ready_set(uow, learner.member_id, [short("a")], folder_id=biology) for _ in range(3)]
    elsewhere = await ready_set(uow, learner.member_id, [short("b")])

    warning = await client.get(f"/api/common-folders/{biology}/delete-warning", headers=learner.headers)
    assert warning.status_code == 200
    assert warning.json() == {"questionSetCount": 3}

    deleted = await client.delete(f"/api/common-folders/{biology}", headers=learner.headers)
    assert deleted.status_code == 204
    assert (await client.get(f"/api/common-folders/{biology}", headers=learner.headers)).status_code == 404
    for question_set in [*filed, elsewhere]:
        response = await client.get(f"/api/question-set/{question_set.id}", headers=learner.headers)
        assert response.status_code == 200, response.text
        assert (response.json()["commonFolderId"], response.json()["commonFolderName"]) == (everything["id"], "전체")
    all_warning = await client.get(f"/api/common-folders/{everything['id']}/delete-warning", headers=learner.headers)
    assert all_warning.json() == {"questionSetCount": 4}


async def test_another_members_folder_is_not_found(
    app: Litestar, db: UnitOfWorkFactory, client: Client, learner: SignedIn
) -> None:
    intruder = await signed_in(app, db, "Intruder")
    folder = await create(client, learner, "Private")
    path = f"/api/common-folders/{folder}"

    responses = [
        await client.get(path, headers=intruder.headers),
        await client.patch(path, json={"name": "Hacked"}, headers=intruder.headers),
        await client.delete(path, headers=intruder.headers),
        await client.get(f"{path}/delete-warning", headers=intruder.headers),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert {r.json()["code"] for r in responses} == {"CF_000"}
    assert [f["name"] for f in await folders(client, learner)] == ["전체", "Private"]
    assert [f["name"] for f in await folders(client, intruder)] == ["전체"]


async def test_folder_requests_are_validated_and_need_a_token(client: Client, learner: SignedIn) -> None:
    missing_type = await client.post("/api/common-folders", json={"name": "x"}, headers=learner.headers)
    bad_type = await client.post("/api/common-folders", json={"name": "x", "type": "OTHER"}, headers=learner.headers)
    anonymous = await client.get("/api/common-folders")

    assert missing_type.status_code == 400 and bad_type.status_code == 400
    assert anonymous.status_code == 401
    assert [f["name"] for f in await folders(client, learner)] == ["전체"]
