"""A local stand-in for Gemini's REST API, over real HTTP on 127.0.0.1.

It speaks ``POST /v1beta/models/{model}:generateContent`` (checking the API key header and
the request's shape), the Files API resumable upload, and Google's error envelope. Each
test scripts what the next calls get (``script(...)``), and reads back what was sent
(``requests``, ``generate_calls``, ``uploads``).
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pullit_domain.model.question import QuestionType

API_KEY = "fake-gemini-key-0123456789"
RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"
QUOTA_FAILURE = "type.googleapis.com/google.rpc.QuotaFailure"
ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"


@dataclass(frozen=True)
class Behaviour:
    """What one ``generateContent`` call gets: a status and JSON body, or a hang."""

    status: int = 200
    body: Any = None
    raw: bytes | None = None
    hang: bool = False


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Upload:
    name: str
    display_name: str
    mime_type: str
    declared_size: int
    data: bytes = b""
    finished: bool = False
    processing_reads: int = 0


def _envelope(code: int, status: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status, "details": details or []}}


def response_body(text: str, *, finish: str = "STOP", prompt_tokens: int = 1200, output_tokens: int = 340) -> Any:
    """A ``generateContent`` 200 body as Gemini writes it."""
    return {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": finish, "index": 0},
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens,
        },
        "modelVersion": "fake",
        "responseId": uuid.uuid4().hex,
    }


# A sentence of each page of tests/fixtures/pdf/photosynthesis.pdf, as Gemini would quote it.
PHOTOSYNTHESIS_QUOTES = {
    1: "The process takes place in chloroplasts.",
    2: "The Calvin cycle, also called the light-independent reactions, occurs in the stroma.",
    3: "Limiting factors of photosynthesis are light intensity, carbon dioxide concentration and temperature.",
}


def canned_questions(kind: QuestionType, count: int, *, title: str = "Photosynthesis basics") -> dict[str, Any]:
    """A valid reply of ``count`` questions of ``kind`` on photosynthesis.pdf, each quoting its
    page truly; every multiple-choice answer is option 1."""
    questions = []
    for n in range(1, count + 1):
        item: dict[str, Any] = {
            "question": f"Question {n} about chloroplasts?",
            "explanation": f"Stated on page {n % 3 + 1}.",
            "document": 1,
            "page": n % 3 + 1,
            "quote": PHOTOSYNTHESIS_QUOTES[n % 3 + 1],
        }
        if kind is QuestionType.MULTIPLE_CHOICE:
            item.update(options=[f"right {n}", f"wrong {n}a", f"wrong {n}b", f"wrong {n}c"], answer=f"right {n}")
        elif kind is QuestionType.TRUE_FALSE:
            item.update(answer=n % 2 == 0)
        elif kind is QuestionType.SHORT_ANSWER:
            item.update(answer=f"term {n}")
        else:
            item.update(answer=f"A model answer number {n}, two sentences long. It covers the key points.")
        questions.append(item)
    return {"title": title, "questions": questions}


def ok(reply: Any, **usage: int) -> Behaviour:
    return Behaviour(body=response_body(json.dumps(reply, ensure_ascii=False), **usage))


def ok_text(text: str, *, finish: str = "STOP") -> Behaviour:
    return Behaviour(body=response_body(text, finish=finish))


def rate_limited(retry_delay: str = "17s") -> Behaviour:
    details = [
        {
            "@type": QUOTA_FAILURE,
            "violations": [
                {
                    "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                    "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                    "quotaDimensions": {"model": "fake", "location": "global"},
                    "quotaValue": "10",
                }
            ],
        },
        {"@type": RETRY_INFO, "retryDelay": retry_delay},
    ]
    return Behaviour(429, _envelope(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", details))


def daily_quota_spent() -> Behaviour:
    details = [
        {
            "@type": QUOTA_FAILURE,
            "violations": [
                {
                    "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                    "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
                    "quotaValue": "250",
                }
            ],
        },
        {"@type": RETRY_INFO, "retryDelay": "40s"},
    ]
    return Behaviour(429, _envelope(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", details))


def server_error(code: int = 500) -> Behaviour:
    status = {500: "INTERNAL", 503: "UNAVAILABLE"}.get(code, "INTERNAL")
    return Behaviour(code, _envelope(code, status, "An internal error has occurred."))


def hang() -> Behaviour:
    return Behaviour(hang=True)


def finished(reason: str) -> Behaviour:
    body = response_body("", finish=reason)
    body["candidates"][0].pop("content")
    return Behaviour(body=body)


def prompt_blocked(reason: str = "PROHIBITED_CONTENT") -> Behaviour:
    return Behaviour(body={"promptFeedback": {"blockReason": reason}, "usageMetadata": {"promptTokenCount": 900}})


class FakeGemini:
    """Start with ``start()``, stop with ``close()`` (which also releases hung calls)."""

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.uploads: dict[str, Upload] = {}
        self.deleted: list[str] = []
        # How many times a new upload reads as PROCESSING before it is ACTIVE.
        self.processing_reads = 0
        self.release = threading.Event()
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        # A short poll interval keeps shutdown (and so each test's teardown) quick.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeGemini:
        self._thread.start()
        return self

    def close(self) -> None:
        self.release.set()
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def script(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self._script.extend(behaviours)

    def next_behaviour(self) -> Behaviour:
        with self._lock:
            if not self._script:
                return Behaviour(500, _envelope(500, "INTERNAL", "fake Gemini: no behaviour scripted for this call"))
            return self._script.popleft()

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    @property
    def generate_calls(self) -> list[dict[str, Any]]:
        """The JSON bodies of the ``generateContent`` calls received, in order."""
        return [r.json for r in self.requests if r.path.endswith(":generateContent")]


def _handler(fake: FakeGemini) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _read(self) -> Recorded:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {key.lower(): value for key, value in self.headers.items()}
            recorded = Recorded(self.command, self.path, headers, body)
            fake.record(recorded)
            return recorded

        def _send(
            self, status: int, body: Any = None, raw: bytes | None = None, headers: dict[str, str] | None = None
        ) -> None:
            payload = raw if raw is not None else json.dumps(body if body is not None else {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def _authorised(self, request: Recorded) -> bool:
            if request.headers.get("x-goog-api-key") == fake.api_key:
                return True
            details = [{"@type": ERROR_INFO, "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]
            self._send(
                400, _envelope(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", details)
            )
            return False

        def do_POST(self) -> None:
            request = self._read()
            path = urlsplit(self.path)
            if not self._authorised(request):
                return
            if path.path.endswith(":generateContent") and path.path.startswith("/v1beta/models/"):
                self._generate(request)
            elif path.path == "/upload/v1beta/files" and "upload_id" in parse_qs(path.query):
                self._upload_bytes(request, parse_qs(path.query)["upload_id"][0])
            elif path.path == "/upload/v1beta/files":
                self._upload_start(request)
            else:
                self._send(404, _envelope(404, "NOT_FOUND", f"no route {path.path}"))

        def do_GET(self) -> None:
            request = self._read()
            if not self._authorised(request):
                return
            upload = self._upload_named(urlsplit(self.path).path)
            if upload is None:
                self._send(404, _envelope(404, "NOT_FOUND", "file not found"))
            else:
                self._send(200, self._file(upload))

        def do_DELETE(self) -> None:
            request = self._read()
            if not self._authorised(request):
                return
            upload = self._upload_named(urlsplit(self.path).path)
            if upload is None:
                self._send(404, _envelope(404, "NOT_FOUND", "file not found"))
                return
            fake.deleted.append(upload.name)
            self._send(200, {})

        def _generate(self, request: Recorded) -> None:
            problem = _shape_problem(request.body, fake)
            if problem:
                self._send(400, _envelope(400, "INVALID_ARGUMENT", problem))
                return
            behaviour = fake.next_behaviour()
            if behaviour.hang:
                # Held until the test ends; the client's timeout is what is being tested.
                fake.release.wait(timeout=60)
                behaviour = server_error(503)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(behaviour.status, behaviour.body, behaviour.raw)

        def _upload_start(self, request: Recorded) -> None:
            h = request.headers
            if h.get("x-goog-upload-protocol") != "resumable" or h.get("x-goog-upload-command") != "start":
                self._send(400, _envelope(400, "INVALID_ARGUMENT", "expected a resumable upload start"))
                return
            name = f"files/{uuid.uuid4().hex[:12]}"
            display = json.loads(request.body or b"{}").get("file", {}).get("display_name", "")
            upload_id = uuid.uuid4().hex
            fake.uploads[upload_id] = Upload(
                name=name,
                display_name=display,
                mime_type=h.get("x-goog-upload-header-content-type", ""),
                declared_size=int(h.get("x-goog-upload-header-content-length", "-1")),
                processing_reads=fake.processing_reads,
            )
            url = f"{fake.base_url}/upload/v1beta/files?upload_id={upload_id}&upload_protocol=resumable"
            self._send(200, raw=b"", headers={"X-Goog-Upload-URL": url, "X-Goog-Upload-Status": "active"})

        def _upload_bytes(self, request: Recorded, upload_id: str) -> None:
            upload = fake.uploads.get(upload_id)
            command = request.headers.get("x-goog-upload-command", "")
            if upload is None or command != "upload, finalize" or request.headers.get("x-goog-upload-offset") != "0":
                self._send(400, _envelope(400, "INVALID_ARGUMENT", "bad upload session or command"))
                return
            if len(request.body) != upload.declared_size:
                self._send(400, _envelope(400, "INVALID_ARGUMENT", "size differs from the declared length"))
                return
            upload.data, upload.finished = request.body, True
            self._send(200, {"file": self._file(upload)}, headers={"X-Goog-Upload-Status": "final"})

        def _upload_named(self, path: str) -> Upload | None:
            name = path.removeprefix("/v1beta/")
            return next((u for u in fake.uploads.values() if u.name == name and u.finished), None)

        def _file(self, upload: Upload) -> dict[str, Any]:
            state = "PROCESSING" if upload.processing_reads > 0 else "ACTIVE"
            upload.processing_reads -= 1
            return {
                "name": upload.name,
                "displayName": upload.display_name,
                "mimeType": upload.mime_type,
                "sizeBytes": str(len(upload.data)),
                "uri": f"{fake.base_url}/v1beta/{upload.name}",
                "state": state,
                "source": "UPLOADED",
            }

    return Handler


def _shape_problem(raw: bytes, fake: FakeGemini) -> str | None:
    """Why Gemini would reject this ``generateContent`` body, or None."""
    try:
        body = json.loads(raw)
    except ValueError:
        return "Invalid JSON payload received."
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents or not contents[0].get("parts"):
        return "contents must hold at least one part"
    config = body.get("generationConfig", {})
    if config.get("responseMimeType") != "application/json":
        return "responseMimeType must be application/json for a response schema"
    schema = config.get("responseJsonSchema") or config.get("responseSchema")
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return "responseJsonSchema must be an object schema"
    if "$ref" in json.dumps(schema) or "$defs" in schema:
        return "fake Gemini: the adapter promises a self-contained schema (no $ref/$defs)"
    for part in contents[0]["parts"]:
        if "inlineData" in part:
            try:
                base64.b64decode(part["inlineData"]["data"], validate=True)
            except ValueError:
                return "inlineData.data is not base64"
        if "fileData" in part:
            uri = part["fileData"].get("fileUri", "")
            if not uri.startswith(("http://", "https://")) or not part["fileData"].get("mimeType"):
                return "fileData needs an http(s) fileUri and a mimeType"
            uploaded = [u for u in fake.uploads.values() if uri.endswith(u.name) and u.finished]
            if uri.startswith(fake.base_url) and not uploaded:
                return f"file {uri} does not exist"
            if any(u.processing_reads >= 0 for u in uploaded):
                return f"file {uri} is not in an ACTIVE state"
    return None
