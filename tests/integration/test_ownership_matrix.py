"""The ownership matrix: member A owns one of everything, member B calls every route that takes an id
with A's ids. B gets the contract's answer for someone else's resource (404 problem, like a missing one;
403 on admin routes; 400 where the contract says so) and A's data is exactly as it was.

The routes are read from the app itself, so a new route that takes an id fails
``test_every_route_taking_an_id_is_in_the_matrix`` until it gets a row here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from pullit_adapters.memory import ManualClock
from pullit_adapters.sql.migrate import upgrade
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_web.bootstrap.app import create_app
from pullit_web.bootstrap.container import Container
from pullit_web.settings import Settings
from tests.support.app import make_settings
from tests.support.members import SignedIn
from tests.support.services import fresh_mariadb_database
from tests.support.solving import choice, ready_set, short, signed_in
from tests.support.uploads import local, permit, ready_source

Client = AsyncTestClient[Litestar]

# Path parameters that name no member's resource: the identity provider, the docs' own files.
NOT_RESOURCES = {
    ("GET", "/oauth2/authorization/{registration}"),
    ("GET", "/login/oauth2/code/{registration}"),
    ("GET", "/docs/{path}"),
}
# Ids in queries and bodies that are a position in the caller's own stream, not a reference to a resource.
NOT_REFERENCES = {
    ("GET", "/api/notifications/subscribe", "lastEventId"),
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
IDEMPOTENCY_KEY = "the-same-key-on-two-accounts"


@dataclass(frozen=True)
class Owned:
    """One of everything, owned by member A."""

    member_id: int
    source_id: int
    object_key: str
    object_size: int
    set_id: int
    failed_set_id: int
    pending_set_id: int
    question_id: int
    folder_id: int
    wrong_answer_folder_id: int
    answered_question_id: int


@dataclass(frozen=True)
class Intruder:
    """What member B owns and mixes into the calls: B's own source, set, question and signed URLs."""

    source_id: int
    set_id: int
    question_id: int
    upload_id: str
    upload_query: str
    download_query: str


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    status: int
    code: str
    body: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


MC_DRAFT = {
    "questionType": "MULTIPLE_CHOICE",
    "questionText": "Which pigment is green?",
    "answer": "Chlorophyll",
    "options": ["Chlorophyll", "Carotene", "Xanthophyll", "Melanin"],
    "explanation": "It reflects green light.",
}
NOT_FOUND_SET, NOT_FOUND_QUESTION, NOT_FOUND_SOURCE = "QSE_001", "QSE_004", "SE_001"
NOT_FOUND_FOLDER, NOT_FOUND_MEMBER = "CF_000", "MEMBER_001"


def folder_probes(folder_id: int) -> list[Probe]:
    path = f"/api/common-folders/{folder_id}"
    return [
        Probe("GET", path, 404, NOT_FOUND_FOLDER),
        Probe("PATCH", path, 404, NOT_FOUND_FOLDER, {"name": "mine now", "sortOrder": 9}),
        Probe("DELETE", path, 404, NOT_FOUND_FOLDER),
    ]


# Every (method, path) with a path parameter -> B's calls on A's resources.
PATH_MATRIX: dict[tuple[str, str], Callable[[Owned, Intruder], list[Probe]]] = {
    ("GET", "/api/question-set/{set_id}"): lambda a, b: [
        Probe("GET", f"/api/question-set/{a.set_id}", 404, NOT_FOUND_SET),
        Probe("GET", f"/api/question-set/{a.set_id}?isReviewing=true", 404, NOT_FOUND_SET),
        Probe("GET", f"/api/question-set/{a.failed_set_id}", 404, NOT_FOUND_SET),
        Probe("GET", f"/api/question-set/{a.pending_set_id}", 404, NOT_FOUND_SET),
    ],
    ("PATCH", "/api/question-set/{set_id}"): lambda a, b: [
        Probe("PATCH", f"/api/question-set/{a.set_id}", 404, NOT_FOUND_SET, {"title": "stolen"}),
        Probe("PATCH", f"/api/question-set/{a.set_id}", 404, NOT_FOUND_SET, {"commonFolderId": a.folder_id}),
    ],
    ("DELETE", "/api/question-set/{set_id}"): lambda a, b: [
        Probe("DELETE", f"/api/question-set/{a.set_id}", 404, NOT_FOUND_SET),
        Probe("DELETE", f"/api/question-set/{a.failed_set_id}", 404, NOT_FOUND_SET),
        Probe("DELETE", f"/api/question-set/{a.pending_set_id}", 404, NOT_FOUND_SET),
    ],
    ("POST", "/api/question-set/{set_id}/retry"): lambda a, b: [
        Probe("POST", f"/api/question-set/{a.failed_set_id}/retry", 404, NOT_FOUND_SET),
        Probe("POST", f"/api/question-set/{a.pending_set_id}/retry", 404, NOT_FOUND_SET),
    ],
    ("GET", "/api/question/{question_id}"): lambda a, b: [
        Probe("GET", f"/api/question/{a.question_id}", 404, NOT_FOUND_QUESTION),
    ],
    ("PUT", "/api/question/{question_id}"): lambda a, b: [
        Probe("PUT", f"/api/question/{a.question_id}", 404, NOT_FOUND_QUESTION, MC_DRAFT),
    ],
    ("DELETE", "/api/question/{question_id}"): lambda a, b: [
        Probe("DELETE", f"/api/question/{a.question_id}", 404, NOT_FOUND_QUESTION),
    ],
    # A's answered question has a review card; B's answer must neither review it nor tell it exists.
    ("POST", "/api/review/{question_id}"): lambda a, b: [
        Probe("POST", f"/api/review/{a.answered_question_id}", 404, NOT_FOUND_QUESTION, {"memberAnswer": "x"}),
        Probe("POST", f"/api/review/{a.question_id}", 404, NOT_FOUND_QUESTION, {"memberAnswer": "x", "rating": "EASY"}),
    ],
    ("GET", "/api/learning/source/{source_id}/download-url"): lambda a, b: [
        Probe("GET", f"/api/learning/source/{a.source_id}/download-url", 404, NOT_FOUND_SOURCE),
    ],
    ("DELETE", "/api/learning/source/{source_id}"): lambda a, b: [
        Probe("DELETE", f"/api/learning/source/{a.source_id}", 404, NOT_FOUND_SOURCE),
    ],
    ("GET", "/api/common-folders/{folder_id}"): lambda a, b: [
        p for f in (a.folder_id, a.wrong_answer_folder_id) for p in folder_probes(f) if p.method == "GET"
    ],
    ("PATCH", "/api/common-folders/{folder_id}"): lambda a, b: [
        p for f in (a.folder_id, a.wrong_answer_folder_id) for p in folder_probes(f) if p.method == "PATCH"
    ],
    ("DELETE", "/api/common-folders/{folder_id}"): lambda a, b: [
        p for f in (a.folder_id, a.wrong_answer_folder_id) for p in folder_probes(f) if p.method == "DELETE"
    ],
    ("GET", "/api/common-folders/{folder_id}/delete-warning"): lambda a, b: [
        Probe("GET", f"/api/common-folders/{a.folder_id}/delete-warning", 404, NOT_FOUND_FOLDER),
        Probe("GET", f"/api/common-folders/{a.wrong_answer_folder_id}/delete-warning", 404, NOT_FOUND_FOLDER),
    ],
    ("GET", "/api/members/{member_id}/learn-stats"): lambda a, b: [
        Probe("GET", f"/api/members/{a.member_id}/learn-stats", 404, NOT_FOUND_MEMBER),
    ],
    ("GET", "/api/members/{member_id}/daily-stats"): lambda a, b: [
        Probe("GET", f"/api/members/{a.member_id}/daily-stats", 404, NOT_FOUND_MEMBER),
        Probe("GET", f"/api/members/{a.member_id}/daily-stats?from=2026-03-01&to=2026-03-31", 404, NOT_FOUND_MEMBER),
    ],
    # The contract: admin routes answer 403 to anyone without the ADMIN role.
    ("POST", "/api/admin/members/{member_id}/grant-admin"): lambda a, b: [
        Probe("POST", f"/api/admin/members/{a.member_id}/grant-admin", 403, "AUTH002"),
    ],
    ("POST", "/api/admin/members/{member_id}/revoke-admin"): lambda a, b: [
        Probe("POST", f"/api/admin/members/{a.member_id}/revoke-admin", 403, "AUTH002"),
    ],
    # The embedded store's file URLs: the signature is the permission, and B's own grant does not
    # open A's key.
    ("GET", "/files/{key}"): lambda a, b: [
        Probe("GET", f"/files/{a.object_key}", 403, "FILE_004"),
        Probe("GET", f"/files/{a.object_key}?{b.upload_query}", 403, "FILE_004"),
        Probe("GET", f"/files/{a.object_key}?{b.download_query}", 403, "FILE_004"),
    ],
    ("PUT", "/files/{key}"): lambda a, b: [
        Probe(
            "PUT",
            f"/files/{a.object_key}?{b.upload_query}",
            403,
            "FILE_004",
            content=b"%PDF-1.4 overwritten",
            headers={"Content-Type": "application/pdf"},
        ),
    ],
}

# Every id carried in a query or body -> B's calls with A's ids there.
REFERENCE_MATRIX: dict[tuple[str, str, str], Callable[[Owned, Intruder], list[Probe]]] = {
    ("GET", "/api/question-set", "folderId"): lambda a, b: [
        Probe("GET", f"/api/question-set?folderId={a.folder_id}", 404, NOT_FOUND_FOLDER),
    ],
    ("GET", "/api/wrong-answers/all", "folderId"): lambda a, b: [
        Probe("GET", f"/api/wrong-answers/all?folderId={a.folder_id}", 404, NOT_FOUND_FOLDER),
        Probe("GET", f"/api/wrong-answers/all?folderId={a.wrong_answer_folder_id}", 404, NOT_FOUND_FOLDER),
    ],
    # The contract names this one: sources must be READY and owned, else 400 QSE_007.
    ("POST", "/api/question-set", "sourceIds"): lambda a, b: [
        Probe(
            "POST",
            "/api/question-set",
            400,
            "QSE_007",
            {"sourceIds": [a.source_id], "type": "SHORT_ANSWER", "difficulty": "EASY", "questionCount": 3},
        ),
    ],
    ("POST", "/api/question-set", "commonFolderId"): lambda a, b: [
        Probe(
            "POST",
            "/api/question-set",
            404,
            NOT_FOUND_FOLDER,
            {
                "sourceIds": [b.source_id],
                "type": "SHORT_ANSWER",
                "difficulty": "EASY",
                "questionCount": 3,
                "commonFolderId": a.folder_id,
            },
        ),
    ],
    ("PATCH", "/api/question-set/{set_id}", "commonFolderId"): lambda a, b: [
        Probe("PATCH", f"/api/question-set/{b.set_id}", 404, NOT_FOUND_FOLDER, {"commonFolderId": a.folder_id}),
    ],
    ("POST", "/api/question", "questionSetId"): lambda a, b: [
        Probe("POST", "/api/question", 404, NOT_FOUND_SET, {**MC_DRAFT, "questionSetId": a.set_id}),
    ],
    ("POST", "/api/marking", "questionId"): lambda a, b: [
        Probe("POST", "/api/marking", 404, NOT_FOUND_QUESTION, [wrong_answer(a.question_id)]),
        Probe("POST", "/api/marking?isReviewing=true", 404, NOT_FOUND_QUESTION, [wrong_answer(a.question_id)]),
        # B's own question next to A's: refused as a whole, nothing of B's is written either.
        Probe(
            "POST",
            "/api/marking",
            404,
            NOT_FOUND_QUESTION,
            [wrong_answer(b.question_id), wrong_answer(a.question_id)],
        ),
    ],
    # The contract: the object must be under the caller's own prefix, else 400 FILE_003. B sends the
    # object's true size and upload id, so the prefix is the only thing that can refuse it.
    ("POST", "/api/learning/source/upload-complete", "filePath"): lambda a, b: [
        Probe("POST", "/api/learning/source/upload-complete", 400, "FILE_003", completion(a, upload_of(a.object_key))),
    ],
    ("POST", "/api/learning/source/upload-complete", "uploadId"): lambda a, b: [
        Probe("POST", "/api/learning/source/upload-complete", 400, "FILE_003", completion(a, b.upload_id)),
    ],
}


def upload_of(object_key: str) -> str:
    return object_key.rsplit("/", 1)[1].removesuffix(".pdf")


def completion(a: Owned, upload_id: str) -> dict[str, Any]:
    return {
        "uploadId": upload_id,
        "filePath": a.object_key,
        "originalName": "photosynthesis.pdf",
        "contentType": "application/pdf",
        "fileSizeBytes": a.object_size,
    }


def wrong_answer(question_id: int) -> dict[str, Any]:
    return {"questionId": question_id, "memberAnswer": "definitely not it", "memberAnswerType": "string"}


def id_routes(app: Litestar) -> set[tuple[str, str]]:
    """(method, path) of every route with a path parameter, as the app serves it."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, HTTPRoute) and route.path_parameters:
            for handler in route.route_handlers:
                found |= {(m, route.path_format) for m in handler.http_methods if m not in ("OPTIONS", "HEAD")}
    return found


def is_reference(name: str) -> bool:
    return name.endswith(("Id", "Ids")) or name == "filePath"


def id_references(app: Litestar) -> set[tuple[str, str, str]]:
    """(method, path, field) of every query parameter and body field that carries an id."""
    doc = app.openapi_schema.to_schema()
    schemas = doc["components"]["schemas"]

    def fields(schema: dict[str, Any]) -> set[str]:
        if "$ref" in schema:
            return fields(schemas[schema["$ref"].rsplit("/", 1)[1]])
        if schema.get("type") == "array":
            return fields(schema["items"])
        return set(schema.get("properties", {}))

    found = set()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                names |= fields(body["schema"])
            found |= {(method.upper(), path, name) for name in names if is_reference(name)}
    return found


def test_every_route_taking_an_id_is_in_the_matrix(tmp_path: Path) -> None:
    # The embedded store (with its /files routes) is the default, so the full route set is served.
    app = create_app(make_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/unused.db"))
    assert id_routes(app) - NOT_RESOURCES == set(PATH_MATRIX)
    assert id_references(app) - NOT_REFERENCES == set(REFERENCE_MATRIX)


@pytest.fixture(params=["sqlite", "mariadb"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """A database of this test's own: A's PENDING jobs must never reach another test's worker."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp_path / 'own.db'}"
        else:
            url = stack.enter_context(fresh_mariadb_database())
        upgrade(url)
        yield make_settings(tmp_path, database_url=url)


@pytest.fixture
def app(settings: Settings) -> Litestar:
    # A fixed instant: A's streak and weekly count cannot roll over between the two readings.
    container = Container(settings=settings)
    container.clock.override(providers.Object(ManualClock(datetime(2026, 3, 4, 1, 0, tzinfo=UTC))))
    return create_app(settings, container)


async def call(client: Client, who: SignedIn, probe: Probe) -> Any:
    headers = {**who.headers, **probe.headers}
    if probe.content is not None:
        return await client.request(probe.method, probe.path, content=probe.content, headers=headers)
    if probe.body is not None:
        return await client.request(probe.method, probe.path, json=probe.body, headers=headers)
    return await client.request(probe.method, probe.path, headers=headers)


async def ok(client: Client, who: SignedIn, method: str, path: str, body: Any = None) -> Any:
    response = await client.request(method, path, json=body, headers=who.headers)
    assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None


async def a_owns_everything(client: Client, db: UnitOfWorkFactory, a: SignedIn, fixtures_dir: Path) -> Owned:
    source_id = await ready_source(client, a, fixtures_dir / "photosynthesis.pdf")
    folder = await ok(client, a, "POST", "/api/common-folders", {"name": "Biology", "type": "QUESTION_SET"})
    wrong_folder = await ok(client, a, "POST", "/api/common-folders", {"name": "Retry", "type": "WRONG_ANSWER"})
    quiz = await ready_set(
        db, a.member_id, [choice("Chlorophyll", "Glucose", "Oxygen", "Water")] * 2, folder_id=folder["id"]
    )
    failed = await ready_set(db, a.member_id, [short("ATP")], title="Broken", status=QuestionSetStatus.FAILED)
    question = await ok(client, a, "POST", "/api/question", {**MC_DRAFT, "questionSetId": quiz.id})
    marked = await ok(client, a, "POST", "/api/marking", [wrong_answer(quiz.question_ids[0])])
    assert marked["correctCount"] == 0
    ask = {"sourceIds": [source_id], "type": "SHORT_ANSWER", "difficulty": "EASY", "questionCount": 3}
    pending = await client.post(
        "/api/question-set", json=ask, headers={**a.headers, "Idempotency-Key": IDEMPOTENCY_KEY}
    )
    assert pending.status_code == 201, pending.text
    return Owned(
        member_id=a.member_id,
        source_id=source_id,
        object_key=(await signed_download(client, a, source_id))[0],
        object_size=(fixtures_dir / "photosynthesis.pdf").stat().st_size,
        set_id=quiz.id,
        failed_set_id=failed.id,
        pending_set_id=int(pending.headers["location"].rsplit("/", 1)[1]),
        question_id=question["id"],
        folder_id=folder["id"],
        wrong_answer_folder_id=wrong_folder["id"],
        answered_question_id=quiz.question_ids[0],
    )


async def b_owns_a_little(client: Client, db: UnitOfWorkFactory, b: SignedIn, fixtures_dir: Path) -> Intruder:
    own_set = await ready_set(db, b.member_id, [short("ATP")], title="B's own")
    source_id = await ready_source(client, b, fixtures_dir / "photosynthesis.pdf")
    upload = await permit(client, b, "mine.pdf", 100)
    return Intruder(
        source_id=source_id,
        set_id=own_set.id,
        question_id=own_set.question_ids[0],
        upload_id=upload["uploadId"],
        upload_query=local(upload["uploadUrl"]).split("?", 1)[1],
        download_query=(await signed_download(client, b, source_id))[1],
    )


async def signed_download(client: Client, who: SignedIn, source_id: int) -> tuple[str, str]:
    """The object key and the signature query of a download link of the member's source."""
    link = await ok(client, who, "GET", f"/api/learning/source/{source_id}/download-url")
    path, query = local(link["url"]).split("?", 1)
    return path.removeprefix("/files/"), query


def missing(owned: Owned) -> Owned:
    """The same shape of request, aimed at ids and a key nobody has."""
    nobody = 1_999_999_000
    return replace(
        owned,
        member_id=nobody,
        source_id=nobody + 1,
        object_key=f"learning-sources/2026/03/04/member-{nobody}/{uuid.uuid4()}.pdf",
        set_id=nobody + 2,
        failed_set_id=nobody + 3,
        pending_set_id=nobody + 4,
        question_id=nobody + 5,
        folder_id=nobody + 6,
        wrong_answer_folder_id=nobody + 7,
        answered_question_id=nobody + 8,
    )


def answer_shape(response: Any) -> tuple[Any, ...]:
    """A refusal with the ids, keys and path taken out: what is left must not depend on whose id it was."""
    problem = response.json()
    detail = re.sub(r"\d+", "#", UUID.sub("<uuid>", str(problem.get("detail"))))
    return (
        response.status_code,
        response.headers.get("content-type"),
        problem.get("code"),
        problem.get("title"),
        detail,
    )


async def own_progress(client: Client, who: SignedIn) -> list[Any]:
    """The member's wrong-answer note and stats: a refused marking must write neither."""
    paths = ("/api/wrong-answers/all", f"/api/members/{who.member_id}/learn-stats")
    return [await ok(client, who, "GET", path) for path in paths]


async def snapshot(client: Client, db: UnitOfWorkFactory, a: SignedIn, owned: Owned) -> dict[str, Any]:
    """Everything A can read about what A owns, plus what only the database shows (the role)."""
    reads = [
        f"/api/question-set/{owned.set_id}",
        f"/api/question-set/{owned.set_id}?isReviewing=true",
        f"/api/question-set/{owned.failed_set_id}",
        f"/api/question-set/{owned.pending_set_id}",
        "/api/question-set/all",
        f"/api/question-set?folderId={owned.folder_id}",
        f"/api/question/{owned.question_id}",
        "/api/learning/source",
        "/api/common-folders?type=QUESTION_SET",
        "/api/common-folders?type=WRONG_ANSWER",
        f"/api/common-folders/{owned.folder_id}/delete-warning",
        "/api/wrong-answers/all",
        f"/api/wrong-answers/all?folderId={owned.wrong_answer_folder_id}",
        f"/api/members/{owned.member_id}/learn-stats",
        f"/api/members/{owned.member_id}/daily-stats",
        "/api/members/me",
        "/api/review/due",
        "/api/review/stats",
        "/api/members/me/review-settings",
    ]
    seen: dict[str, Any] = {}
    for path in reads:
        response = await client.get(path, headers=a.headers)
        seen[path] = (response.status_code, response.json())
    link = await ok(client, a, "GET", f"/api/learning/source/{owned.source_id}/download-url")
    seen["object"] = (await client.get(local(link["url"]))).content
    async with db() as uow:
        member = await uow.members.get(owned.member_id)
        assert member is not None
        seen["role"] = member.role
    return seen


async def test_member_b_cannot_touch_anything_of_member_a(
    app: Litestar, client: Client, db: UnitOfWorkFactory, fixtures_dir: Path
) -> None:
    a = await signed_in(app, db, "Owner")
    b = await signed_in(app, db, "Intruder")
    owned = await a_owns_everything(client, db, a, fixtures_dir)
    intruder = await b_owns_a_little(client, db, b, fixtures_dir)
    before = await snapshot(client, db, a, owned)
    assert before[f"/api/members/{a.member_id}/learn-stats"][1]["totalSolvedQuestionCount"] == 1
    assert before[f"/api/common-folders/{owned.folder_id}/delete-warning"][1] == {"questionSetCount": 1}
    b_before = await own_progress(client, b)

    builders = [*PATH_MATRIX.values(), *REFERENCE_MATRIX.values()]
    probes = [
        pair for build in builders for pair in zip(build(owned, intruder), build(missing(owned), intruder), strict=True)
    ]
    wrong = []
    for probe, on_missing in probes:
        response = await call(client, b, probe)
        media_type = response.headers.get("content-type", "").split(";")[0]
        code = response.json().get("code") if media_type == "application/problem+json" else None
        got = (response.status_code, media_type, code)
        if got != (probe.status, "application/problem+json", probe.code):
            wrong.append(f"{probe.method} {probe.path}: {got} {response.text[:200]}")
        elif (seen := answer_shape(response)) != (expected := answer_shape(await call(client, b, on_missing))):
            wrong.append(f"{probe.method} {probe.path} tells A's from a missing one: {seen} != {expected}")
    if (b_after := await own_progress(client, b)) != b_before:
        wrong.append(f"B's own note or stats changed: {b_before} -> {b_after}")
    # The same Idempotency-Key on another account is another request: B gets a set of B's own.
    ask = {"sourceIds": [intruder.source_id], "type": "SHORT_ANSWER", "difficulty": "EASY", "questionCount": 3}
    b_ask = await client.post("/api/question-set", json=ask, headers={**b.headers, "Idempotency-Key": IDEMPOTENCY_KEY})
    if b_ask.status_code != 201 or b_ask.headers["location"] == f"/api/question-set/{owned.pending_set_id}":
        wrong.append(f"B's Idempotency-Key equal to A's: {b_ask.status_code} {b_ask.headers.get('location')}")

    after = await snapshot(client, db, a, owned)
    changed = [
        f"A's {key} changed: {before[key]!r:.200} -> {value!r:.200}"
        for key, value in after.items()
        if before[key] != value
    ]
    assert not wrong + changed, "\n".join(wrong + changed)
