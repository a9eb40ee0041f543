"""The contract, fuzzed: schemathesis drives every documented operation of a live server with a signed-in member.

Valid and invalid requests (generated from the app's own OpenAPI document) must never get a 5xx; every 4xx
must be an RFC 9457 problem with a string ``code``; every response must match its documented status, media
type and schema. Real rows exist for the member so ids in paths and bodies sometimes hit them.

Left out, and why:
- ``GET /api/notifications/subscribe`` streams forever; tests/integration/test_sse_*.py cover it end to end.
- ``/oauth2/authorization/*`` and ``/login/oauth2/code/*`` are browser redirects into and out of a provider;
  tests/integration/test_auth_*.py cover them.
Each operation that succeeded is also sent once without and once with a bad token (``ignored_auth``).
The DELETE operations run last, so the other operations meet the rows before they are gone.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from litestar.serialization import encode_json
from schemathesis import Case
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import CheckContext, load_all_checks

from pullit_domain.model.question import QuestionType
from pullit_web.bootstrap.app import create_app
from tests.support.app import make_settings
from tests.support.database import migrated_sqlite, own_database
from tests.support.live_server import LiveServer, free_port, wait_until
from tests.support.members import SignedIn, sign_in
from tests.support.solving import Spec, choice, ready_set, short, subjective, true_false

# Per operation and generation mode (valid and invalid requests); the whole module stays well under 90 s.
EXAMPLES = 100
EXCLUDED_PATHS = r"^/(api/notifications/subscribe|oauth2/|login/oauth2/)"


@dataclass(frozen=True)
class Fixture:
    """The live server and the member's real rows."""

    url: str
    member: SignedIn
    ids: dict[str, list[int]]
    answer_types: dict[int, str]
    """``memberAnswerType`` of each real question: boolean for TRUE_FALSE, and SUBJECTIVE self-assessed."""


def _upload(client: httpx.Client, who: SignedIn, pdf: Path) -> int:
    data = pdf.read_bytes()
    body = {"fileName": pdf.name, "contentType": "application/pdf", "fileSize": len(data)}
    response = client.post("/api/learning/source/upload", json=body, headers=who.headers)
    assert response.status_code == 200, response.text
    permit = response.json()
    put = client.put(permit["uploadUrl"], content=data, headers={"Content-Type": "application/pdf"})
    assert put.status_code == 200, put.text
    fields = ("uploadId", "filePath", "originalName", "contentType", "fileSizeBytes")
    done = client.post("/api/learning/source/upload-complete", json={k: permit[k] for k in fields}, headers=who.headers)
    assert done.status_code == 200, done.text
    source_id: int = done.json()["id"]

    def ready() -> bool:
        items = client.get("/api/learning/source", headers=who.headers).json()
        return any(item["id"] == source_id and item["status"] == "READY" for item in items)

    wait_until(ready, 20, "the uploaded source to become READY")
    return source_id


def _folder(client: httpx.Client, who: SignedIn, name: str) -> int:
    response = client.post("/api/common-folders", json={"name": name, "type": "QUESTION_SET"}, headers=who.headers)
    assert response.status_code == 201, response.text
    folder_id: int = response.json()["id"]
    return folder_id


async def _member_with_sets(database_url: str, data_dir: Path) -> tuple[SignedIn, list[int], dict[int, str]]:
    app = create_app(make_settings(data_dir, database_url=database_url))
    async with own_database(database_url) as uow_factory:
        member = await sign_in(app, "Fuzzer", uow_factory)
        specs = [choice("Chlorophyll", "Keratin", "Insulin", "Collagen"), true_false(True), short("ATP")]
        kept = await ready_set(uow_factory, member.member_id, [*specs, subjective("Light to sugar.")])
        doomed = await ready_set(uow_factory, member.member_id, specs, title="To delete")
    kinds = [_answer_type(spec) for spec in [*specs, subjective(""), *specs]]
    return member, [kept.id, doomed.id], dict(zip([*kept.question_ids, *doomed.question_ids], kinds, strict=True))


def _answer_type(spec: Spec) -> str:
    return "boolean" if spec.kind in (QuestionType.TRUE_FALSE, QuestionType.SUBJECTIVE) else "string"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Iterator[Fixture]:
    data_dir = tmp_path_factory.mktemp("fuzz")
    database_url = migrated_sqlite(data_dir / "fuzz.db")
    port = free_port()
    environ = {
        "PULLIT_DATA_DIR": str(data_dir),
        "PULLIT_DATABASE_URL": database_url,
        "PULLIT_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PULLIT_RUN_WORKER": "false",
        # Budgets would answer most fuzzed requests with 429; tests/integration/test_rate_limits.py covers them.
        "PULLIT_RATE_LIMIT_UPLOAD_PERMITS_PER_MINUTE": "0",
        "PULLIT_RATE_LIMIT_QUESTION_SETS_PER_MINUTE": "0",
    }
    with LiveServer(environ, port=port) as server:
        member, set_ids, answer_types = asyncio.run(_member_with_sets(database_url, data_dir))
        with httpx.Client(base_url=server.url, timeout=10) as client:
            source_ids = [_upload(client, member, fixtures_dir / "photosynthesis.pdf") for _ in range(2)]
            folder_ids = [_folder(client, member, "Biology"), _folder(client, member, "To delete")]
        ids = {"set": set_ids, "question": list(answer_types), "source": source_ids, "folder": folder_ids}
        yield Fixture(server.url, member, ids, answer_types)


def problem_details(ctx: CheckContext, response: Any, case: Case) -> bool | None:
    """Every 4xx is ``application/problem+json`` with a string ``code`` (the frontend branches on it)."""
    if not 400 <= response.status_code < 500:
        return None
    media_type = response.headers.get("content-type", [""])[0]
    assert media_type.startswith("application/problem+json"), f"{response.status_code} as {media_type!r}"
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("code"), str), body
    assert body["status"] == response.status_code, body
    return None


load_all_checks()
# `--checks all`: every check schemathesis has (among them `ignored_auth`, which sends a request that
# succeeded again without and with a bad token, and the negative/positive data and Allow-header checks).
CHECKS = list(REGISTERED_CHECKS.get_all())
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
PATH_IDS = {"set_id": "set", "question_id": "question", "source_id": "source", "folder_id": "folder"}


def _document() -> dict[str, Any]:
    """The app's OpenAPI document, built in-process so pytest can collect one test per operation.

    The live server serves the same document (a test below checks), so this is what clients read.
    """
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(make_settings(Path(scratch), database_url=f"sqlite+aiosqlite:///{scratch}/unused.db"))
        document: dict[str, Any] = json.loads(encode_json(app.openapi_schema.to_schema()))
    return document


DOCUMENT = _document()
GENERATION = {
    "deterministic": True,
    "database": "none",
    # Unknown query parameters and headers are ignored on purpose (browsers and proxies add their own),
    # so a request with extras is not "invalid data" the server must refuse.
    "allow-extra-parameters": False,
    # Every request carries the member's token (the caller's headers win over generated ones); missing
    # and bad tokens are what `ignored_auth` sends on its own.
    "with-security-parameters": False,
}
CHECK_SETTINGS = {
    # A schema-valid body may still break a rule no schema states (the sources must be READY and the
    # caller's, a date range at most 366 days, the ALL folder cannot be deleted): that is a 400 or 422
    # problem with its own code, which `problem_details` checks, not a rejected valid request.
    "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "422", "429"]}
}
schema = schemathesis.openapi.from_dict(
    DOCUMENT, config=schemathesis.Config.from_dict({"generation": GENERATION, "checks": CHECK_SETTINGS})
).exclude(path_regex=EXCLUDED_PATHS)


def _with_real_rows(case: Case, live: Fixture, data: st.DataObject) -> None:
    """Half the time, ids of the member's real rows in place of well-typed random ones."""
    for name, value in list(case.path_parameters.items()):
        pool = [live.member.member_id] if name == "member_id" else live.ids.get(PATH_IDS.get(name, ""), [])
        if pool and isinstance(value, int) and data.draw(st.booleans(), label=f"real {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(pool), label=name)
    body = case.body
    if isinstance(body, list) and data.draw(st.booleans(), label="answers to real questions"):
        case.body = data.draw(_answers(live.answer_types), label="answers")
    if isinstance(body, dict) and data.draw(st.booleans(), label="real ids in the body"):
        if isinstance(body.get("sourceIds"), list):
            body["sourceIds"] = data.draw(st.lists(st.sampled_from(live.ids["source"]), min_size=1, max_size=2))
        if isinstance(body.get("questionSetId"), int):
            body["questionSetId"] = data.draw(st.sampled_from(live.ids["set"]), label="questionSetId")
        if isinstance(body.get("contentType"), str):
            body["contentType"] = "application/pdf"
        if isinstance(body.get("commonFolderId"), int):
            body["commonFolderId"] = data.draw(st.sampled_from(live.ids["folder"]), label="commonFolderId")


def _answers(answer_types: dict[int, str]) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Well-formed submissions (right or wrong answers, each question once), so marking really marks."""

    def answer(question: tuple[int, str]) -> st.SearchStrategy[dict[str, Any]]:
        question_id, kind = question
        given = st.booleans() if kind == "boolean" else st.sampled_from(["Chlorophyll", "ATP", "keratin", " atp "])
        return given.map(lambda value: {"questionId": question_id, "memberAnswer": value, "memberAnswerType": kind})

    one = st.sampled_from(sorted(answer_types.items())).flatmap(answer)
    return st.lists(one, min_size=1, max_size=4, unique_by=lambda item: item["questionId"])


def _call(case: Case, live: Fixture, data: st.DataObject) -> None:
    _with_real_rows(case, live, data)
    case.call_and_validate(
        base_url=live.url, headers=live.member.headers, checks=CHECKS, additional_checks=[problem_details]
    )


def test_the_fuzzed_document_is_the_one_the_service_serves(live: Fixture) -> None:
    assert httpx.get(f"{live.url}/docs/openapi.json", timeout=10).json() == DOCUMENT


@schema.exclude(method="DELETE").parametrize()
@schema.given(data=st.data())
@FUZZ
def test_every_operation_keeps_the_contract(case: Case, data: st.DataObject, live: Fixture) -> None:
    _call(case, live, data)


@schema.include(method="DELETE").parametrize()
@schema.given(data=st.data())
@FUZZ
def test_every_delete_keeps_the_contract(case: Case, data: st.DataObject, live: Fixture) -> None:
    _call(case, live, data)
