"""The Gemini adapter against a local fake of Gemini's REST API (tests/support/fake_gemini.py)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from pullit_adapters.gemini import GeminiLLM
from pullit_adapters.offline import OfflineLLM
from pullit_adapters.page_text import PdfiumPageText
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.ports.llm import GenerationFailed, GenerationImpossible, GenerationSpec, SourceDocument
from pullit_domain.use_cases.generation import Outcome
from pullit_web.container import Container
from pullit_web.settings import SettingsError
from tests.support import fake_gemini
from tests.support.app import make_settings
from tests.support.fake_gemini import API_KEY, PHOTOSYNTHESIS_QUOTES, Behaviour, FakeGemini, canned_questions
from tests.support.generation import World

MC = QuestionType.MULTIPLE_CHOICE
MODEL = "gemini-test-flash"


@pytest.fixture
def gemini() -> Iterator[FakeGemini]:
    fake = FakeGemini().start()
    yield fake
    fake.close()


def adapter(gemini: FakeGemini, **options: Any) -> GeminiLLM:
    settings: dict[str, Any] = {"api_key": API_KEY, "model": MODEL, "base_url": gemini.base_url, "timeout_seconds": 10}
    return GeminiLLM(**{**settings, **options})


@pytest.fixture
async def llm(gemini: FakeGemini) -> AsyncIterator[GeminiLLM]:
    client = adapter(gemini)
    yield client
    await client.aclose()


@pytest.fixture
def pdf(fixtures_dir: Path) -> bytes:
    return (fixtures_dir / "photosynthesis.pdf").read_bytes()


def document(data: bytes, *, url: str | None = None, source_id: int = 5) -> SourceDocument:
    async def read() -> bytes:
        if url:
            raise AssertionError("a document with a download URL must not be read locally")
        return data

    return SourceDocument(source_id, "photosynthesis.pdf", "application/pdf", len(data), read, url)


def spec(kind: QuestionType = MC, count: int = 4, language: str = "ko") -> GenerationSpec:
    return GenerationSpec(kind, Difficulty.HARD, count, language)


def parts(call: dict[str, Any]) -> list[dict[str, Any]]:
    return list(call["contents"][0]["parts"])


async def test_a_set_is_written_from_an_inline_pdf(gemini: FakeGemini, llm: GeminiLLM, pdf: bytes) -> None:
    gemini.script(fake_gemini.ok(canned_questions(MC, 4), prompt_tokens=2345, output_tokens=678))

    generated = await llm.generate([document(pdf)], spec())

    assert generated.title == "Photosynthesis basics"
    assert (generated.input_tokens, generated.output_tokens) == (2345, 678)
    assert len(generated.questions) == 4
    assert all(q.source_id == 5 and q.page in (1, 2, 3) for q in generated.questions)
    assert [q.quote for q in generated.questions] == [PHOTOSYNTHESIS_QUOTES[n % 3 + 1] for n in range(1, 5)]
    (call,) = gemini.generate_calls
    (request,) = gemini.requests
    assert request.path == f"/v1beta/models/{MODEL}:generateContent"
    inline = [p["inlineData"] for p in parts(call) if "inlineData" in p]
    assert inline == [{"mimeType": "application/pdf", "data": base64.b64encode(pdf).decode()}]
    instruction = call["systemInstruction"]["parts"][0]["text"]
    assert "exam setter" in instruction
    assert "Korean" in instruction
    assert "exactly 4 multiple-choice" in parts(call)[-1]["text"]
    schema = call["generationConfig"]["responseJsonSchema"]
    questions = schema["properties"]["questions"]
    assert (questions["minItems"], questions["maxItems"]) == (4, 4)
    assert questions["items"]["properties"]["options"]["minItems"] == 4
    assert questions["items"]["properties"]["quote"]["maxLength"] == 300
    assert "quote" in questions["items"]["required"]
    assert "word for word" in instruction


@pytest.mark.parametrize("kind", list(QuestionType))
async def test_every_question_type_has_its_own_schema_and_answers(
    gemini: FakeGemini, llm: GeminiLLM, pdf: bytes, kind: QuestionType
) -> None:
    gemini.script(fake_gemini.ok(canned_questions(kind, 3)))

    generated = await llm.generate([document(pdf)], spec(kind, 3, language="en"))

    assert [q.question_type for q in generated.questions] == [kind] * 3
    answer_schema = gemini.generate_calls[0]["generationConfig"]["responseJsonSchema"]["properties"]["questions"]
    answer_type = answer_schema["items"]["properties"]["answer"]["type"]
    assert answer_type == ("boolean" if kind is QuestionType.TRUE_FALSE else "string")
    if kind is QuestionType.TRUE_FALSE:
        assert [q.answer for q in generated.questions] == ["false", "true", "false"]
    if kind is QuestionType.SHORT_ANSWER:
        assert answer_schema["items"]["properties"]["answer"]["maxLength"] == 20
    assert "English" in gemini.generate_calls[0]["systemInstruction"]["parts"][0]["text"]


async def test_a_stored_object_is_passed_as_its_presigned_url(gemini: FakeGemini, llm: GeminiLLM, pdf: bytes) -> None:
    url = "https://bucket.s3.example.com/sources/5.pdf?X-Amz-Signature=abc"
    gemini.script(fake_gemini.ok(canned_questions(MC, 4)))

    await llm.generate([document(pdf, url=url)], spec())

    files = [p["fileData"] for p in parts(gemini.generate_calls[0]) if "fileData" in p]
    assert files == [{"mimeType": "application/pdf", "fileUri": url}]
    assert not any("inlineData" in p for p in parts(gemini.generate_calls[0]))


async def test_questions_name_the_document_they_come_from(gemini: FakeGemini, llm: GeminiLLM, pdf: bytes) -> None:
    reply = canned_questions(MC, 4)
    reply["questions"][1]["document"] = 2
    gemini.script(fake_gemini.ok(reply))

    generated = await llm.generate([document(pdf, source_id=5), document(pdf, source_id=9)], spec())

    assert sorted(q.source_id or 0 for q in generated.questions) == [5, 5, 5, 9]
    labels = [p["text"] for p in parts(gemini.generate_calls[0]) if p.get("text", "").startswith("Document ")]
    assert labels == ["Document 1: photosynthesis.pdf", "Document 2: photosynthesis.pdf"]


async def test_a_large_document_goes_through_the_files_api(gemini: FakeGemini, pdf: bytes) -> None:
    gemini.script(fake_gemini.ok(canned_questions(MC, 4)))
    client = adapter(gemini, inline_limit=len(pdf) - 1)
    try:
        await client.generate([document(pdf)], spec())
    finally:
        await client.aclose()

    (upload,) = gemini.uploads.values()
    assert upload.data == pdf
    assert upload.mime_type == "application/pdf"
    files = [p["fileData"] for p in parts(gemini.generate_calls[0]) if "fileData" in p]
    assert files == [{"mimeType": "application/pdf", "fileUri": f"{gemini.base_url}/v1beta/{upload.name}"}]
    # The upload is removed once the set is written, not left for 48 hours.
    assert gemini.deleted == [upload.name]


async def test_an_upload_is_used_only_once_gemini_has_processed_it(gemini: FakeGemini, pdf: bytes) -> None:
    gemini.processing_reads = 3
    gemini.script(fake_gemini.ok(canned_questions(MC, 4)))
    client = adapter(gemini, inline_limit=1, file_poll_seconds=0.01)
    try:
        generated = await client.generate([document(pdf)], spec())
    finally:
        await client.aclose()

    assert len(generated.questions) == 4
    (upload,) = gemini.uploads.values()
    polls = [r for r in gemini.requests if r.method == "GET"]
    assert [r.path for r in polls] == [f"/v1beta/{upload.name}"] * 3


async def test_grading_asks_for_a_score_between_zero_and_one(gemini: FakeGemini, llm: GeminiLLM) -> None:
    gemini.script(fake_gemini.ok({"score": 0.75, "feedback": "핵심은 맞지만 NADPH를 빠뜨렸습니다."}))

    grade = await llm.grade("명반응의 산물은?", "ATP와 NADPH, 그리고 산소", "ATP와 산소")

    assert grade.score == 0.75
    assert "NADPH" in grade.feedback
    (call,) = gemini.generate_calls
    score = call["generationConfig"]["responseJsonSchema"]["properties"]["score"]
    assert (score["minimum"], score["maximum"]) == (0.0, 1.0)
    assert "ATP와 산소" in parts(call)[0]["text"]


async def test_a_grade_out_of_range_is_a_failure(gemini: FakeGemini, llm: GeminiLLM) -> None:
    gemini.script(fake_gemini.ok({"score": 1.5, "feedback": "great"}))

    with pytest.raises(GenerationFailed):
        await llm.grade("q", "model", "answer")


def wrong(reply: dict[str, Any], **changes: Any) -> dict[str, Any]:
    reply["questions"][0].update(changes)
    return reply


async def test_a_question_breaking_a_rule_is_passed_on_as_written_not_failing_the_set(
    gemini: FakeGemini, llm: GeminiLLM, pdf: bytes
) -> None:
    # Gemini wrote this once: one over-long short answer failed the whole set.
    reply = wrong(canned_questions(QuestionType.SHORT_ANSWER, 4), answer="the stroma of the chloroplast")
    reply["questions"][1]["document"] = 2
    reply["questions"][2] = {"question": ["not", "text"], "page": "two"}
    gemini.script(fake_gemini.ok(reply))

    generated = await llm.generate([document(pdf)], spec(QuestionType.SHORT_ANSWER, 4))

    over_long, foreign, kept = generated.questions
    assert over_long.answer == "the stroma of the chloroplast"
    assert foreign.source_id is None
    assert kept.answer == "term 4"
    assert generated.unreadable == 1


# The fault matrix: what each Gemini fault becomes for the job that asked. RETRY is
# GenerationFailed (the job system tries again, after retry_after when given, and the set
# ends FAILED when attempts run out); GIVE_UP is GenerationImpossible (the set ends
# UNPROCESSABLE at once: no attempt could succeed).
RETRY, GIVE_UP = GenerationFailed, GenerationImpossible
FAULTS: list[tuple[str, Behaviour, type[Exception], float | None]] = [
    ("429 per-minute limit", fake_gemini.rate_limited("17s"), RETRY, 17.0),
    ("429 with fractional delay", fake_gemini.rate_limited("0.5s"), RETRY, 0.5),
    ("429 per-day quota spent", fake_gemini.daily_quota_spent(), GIVE_UP, None),
    ("500 internal error", fake_gemini.server_error(500), RETRY, None),
    ("503 overloaded", fake_gemini.server_error(503), RETRY, None),
    ("malformed JSON", fake_gemini.ok_text('{"title": "x", "questions": [{'), RETRY, None),
    ("JSON of the wrong shape", fake_gemini.ok({"title": "x", "items": []}), RETRY, None),
    ("JSON without a list of questions", fake_gemini.ok({"title": "x", "questions": "none"}), RETRY, None),
    ("finish MAX_TOKENS", fake_gemini.finished("MAX_TOKENS"), RETRY, None),
    ("finish SAFETY", fake_gemini.finished("SAFETY"), GIVE_UP, None),
    ("finish RECITATION", fake_gemini.finished("RECITATION"), GIVE_UP, None),
    ("finish PROHIBITED_CONTENT", fake_gemini.finished("PROHIBITED_CONTENT"), GIVE_UP, None),
    ("prompt blocked", fake_gemini.prompt_blocked("SAFETY"), GIVE_UP, None),
    ("413 request too large", Behaviour(413, {"error": {"code": 413, "status": "FAILED_PRECONDITION"}}), GIVE_UP, None),
    ("non-JSON error page", Behaviour(502, raw=b"<html>Bad Gateway</html>"), RETRY, None),
]


@pytest.mark.parametrize(("fault", "behaviour", "outcome", "retry_after"), FAULTS, ids=[f[0] for f in FAULTS])
async def test_fault_matrix(
    gemini: FakeGemini,
    llm: GeminiLLM,
    pdf: bytes,
    fault: str,
    behaviour: Behaviour,
    outcome: type[Exception],
    retry_after: float | None,
) -> None:
    gemini.script(behaviour)

    with pytest.raises((GenerationFailed, GenerationImpossible)) as raised:
        await llm.generate([document(pdf)], spec(MC, 4))

    assert isinstance(raised.value, outcome)
    if isinstance(raised.value, GenerationFailed):
        assert raised.value.retry_after == retry_after
    assert len(gemini.generate_calls) == 1, "no call is retried inside the adapter"


async def test_a_hung_call_times_out_as_a_retryable_failure(gemini: FakeGemini, pdf: bytes) -> None:
    gemini.script(fake_gemini.hang())
    client = adapter(gemini, timeout_seconds=0.3)
    try:
        with pytest.raises(GenerationFailed, match="did not answer in time"):
            await client.generate([document(pdf)], spec())
    finally:
        await client.aclose()


async def test_an_unreachable_service_is_a_retryable_failure(pdf: bytes) -> None:
    closed = FakeGemini().start()
    base_url = closed.base_url
    closed.close()
    client = GeminiLLM(api_key=API_KEY, base_url=base_url, timeout_seconds=2)
    try:
        with pytest.raises(GenerationFailed, match="cannot reach Gemini"):
            await client.generate([document(pdf)], spec())
    finally:
        await client.aclose()


async def test_a_rejected_api_key_is_retryable_and_never_shown(gemini: FakeGemini, pdf: bytes) -> None:
    client = adapter(gemini, api_key="wrong-key-that-must-stay-secret")
    try:
        with pytest.raises(GenerationFailed, match="rejected the configured API key") as raised:
            await client.generate([document(pdf)], spec())
    finally:
        await client.aclose()

    assert "wrong-key" not in str(raised.value)
    assert "wrong-key" not in repr(client)
    assert all("wrong-key" not in r.path for r in gemini.requests)


async def test_the_next_call_after_a_failure_succeeds(gemini: FakeGemini, llm: GeminiLLM, pdf: bytes) -> None:
    gemini.script(fake_gemini.rate_limited("3s"), fake_gemini.ok(canned_questions(MC, 4)))

    with pytest.raises(GenerationFailed):
        await llm.generate([document(pdf)], spec())
    generated = await llm.generate([document(pdf)], spec())

    assert len(generated.questions) == 4


async def test_the_service_uses_gemini_only_when_a_key_is_configured(tmp_path: Path, gemini: FakeGemini) -> None:
    offline = Container(settings=make_settings(tmp_path))
    configured = make_settings(tmp_path, gemini_api_key=API_KEY, gemini_base_url=gemini.base_url, gemini_model=MODEL)
    online = Container(settings=configured)

    assert isinstance(offline.llm(), OfflineLLM)
    llm = online.llm()
    assert isinstance(llm, GeminiLLM)
    assert API_KEY not in repr(configured)
    gemini.script(fake_gemini.ok({"score": 1.0, "feedback": "ok"}))
    assert (await llm.grade("q", "a", "a")).score == 1.0
    await online.llm_lifetime.init()
    await online.llm_lifetime.shutdown()
    with pytest.raises(RuntimeError):
        await llm.grade("q", "a", "a")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("max_pdf_pages", "0"),
        ("gemini_timeout_seconds", "0"),
        ("gemini_base_url", "generativelanguage"),
        ("question_language", " "),
    ],
)
def test_bad_generation_settings_stop_the_service(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"PULLIT_{variable.upper()}"):
        make_settings(tmp_path, **{variable: value})


async def test_a_recorded_reply_with_quotes_is_grounded_and_gemini_is_told_what_was_dropped(
    gemini: FakeGemini, llm: GeminiLLM, fixtures_dir: Path
) -> None:
    # Shaped like a real reply: a quote copied with the PDF's line break, one from the next
    # page, one paraphrased, and one over-long short answer.
    first = canned_questions(QuestionType.SHORT_ANSWER, 4)
    first["questions"][0]["quote"] = "The process takes place\nin chloroplasts."  # page 1's, citing page 2
    first["questions"][1].update(page=2)  # quotes page 3's sentence
    first["questions"][2]["quote"] = "Light intensity, CO2 and temperature limit photosynthesis."
    first["questions"][3]["answer"] = "glyceraldehyde-3-phosphate"
    again = canned_questions(QuestionType.SHORT_ANSWER, 2, title="ignored")
    for item in again["questions"]:
        item["question"] += " (again)"
    gemini.script(fake_gemini.ok(first), fake_gemini.ok(again))
    world = World(llm, PdfiumPageText())
    member = await world.member()
    pdf = fixtures_dir / "photosynthesis.pdf"
    source = await world.source(member, data=pdf.read_bytes(), name=pdf.name)
    set_id = await world.create(world.request(member, source, count=4, kind=QuestionType.SHORT_ANSWER))

    assert await world.run_worker() is Outcome.COMPLETE

    async with world.db.unit_of_work() as uow:
        stored = await uow.questions.for_set(set_id)
    assert [(q.page, q.quote) for q in stored] == [
        (1, "The process takes place in chloroplasts."),  # shown to the learner without the line break
        (3, PHOTOSYNTHESIS_QUOTES[3]),
        (2, PHOTOSYNTHESIS_QUOTES[2]),
        (3, PHOTOSYNTHESIS_QUOTES[3]),
    ]
    retold = parts(gemini.generate_calls[1])[-1]["text"]
    assert "Write exactly 2 short-answer" in retold
    assert "'Question 3 about chloroplasts?': its quote is not written on the page it cites" in retold
    assert "'Question 4 about chloroplasts?': its answer was longer than 20 characters" in retold
    assert "'Question 1 about chloroplasts?'" in retold.split("already in the set")[1]
