"""``GeminiLLM``: question sets and marking through Gemini's REST ``generateContent``."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Sequence
from contextlib import AsyncExitStack
from typing import Any, TypeVar

import httpx

from pullit_adapters.gemini import files, prompts
from pullit_adapters.gemini.responses import Answer, error_from, read_answer
from pullit_adapters.gemini.schema import (
    REPLY_TYPES,
    GradeReply,
    decode_grade,
    decode_reply,
    gemini_schema,
    to_question_set,
)
from pullit_domain.ports.llm import (
    GeneratedQuestionSet,
    GenerationFailed,
    GenerationSpec,
    Grade,
    SourceDocument,
)

T = TypeVar("T")

DEFAULT_MODEL = "gemini-3.8-flash"
DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com"
# Inline data travels base64 (4/3 larger) inside a request Gemini caps at 20 MB.
DEFAULT_INLINE_LIMIT = 14 * 1024 * 1024


class GeminiLLM:
    """The ``LLM`` port on Gemini. One HTTP client for the adapter's lifetime: call ``aclose``.

    Documents go to Gemini as a URL it fetches itself when the store can presign one
    (``SourceDocument.download_url``), else inline up to ``inline_limit`` bytes, else
    through the Files API. No call is retried here: ``GenerationFailed`` lets the job
    system retry with its own backoff (see ``responses.py`` for the mapping of outcomes).
    The questions are translated as Gemini wrote them; the generation use case checks them.
    """

    name = "gemini"

    def __init__(
        self,
        *,
        api_key: str,
        model: str = DEFAULT_MODEL,
        base_url: str = DEFAULT_BASE_URL,
        timeout_seconds: float = 120.0,
        inline_limit: int = DEFAULT_INLINE_LIMIT,
        language: str = "ko",
        file_poll_seconds: float = 1.0,
        file_polls: int = 30,
    ) -> None:
        if not api_key:
            raise ValueError("GeminiLLM needs an API key")
        self._model = model
        self._inline_limit = inline_limit
        self._language = language
        self._file_poll_seconds = file_poll_seconds
        self._file_polls = file_polls
        # The key lives only in the client's default headers: never in URLs, so never in access logs.
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"x-goog-api-key": api_key},
            timeout=httpx.Timeout(timeout_seconds),
        )

    def __repr__(self) -> str:
        return f"GeminiLLM(model={self._model!r}, base_url={str(self._http.base_url)!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def generate(self, documents: Sequence[SourceDocument], spec: GenerationSpec) -> GeneratedQuestionSet:
        async with AsyncExitStack() as uploads:
            parts = [
                part
                for n, document in enumerate(documents, start=1)
                for part in await self._parts(n, document, uploads)
            ]
            parts.append({"text": prompts.generation_request(spec, documents)})
            answer = await self._generate_content(
                instruction=prompts.setter_instruction(spec.language),
                parts=parts,
                schema=gemini_schema(REPLY_TYPES[spec.question_type], spec.count),
            )
        reply = decode_reply(answer.text)
        return to_question_set(reply, spec.question_type, documents, answer.input_tokens, answer.output_tokens)

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade:
        reply = await self._generate_content(
            instruction=prompts.marker_instruction(self._language),
            parts=[{"text": prompts.grading_request(question, model_answer, answer)}],
            schema=gemini_schema(GradeReply),
        )
        return decode_grade(reply.text)

    async def _parts(self, number: int, document: SourceDocument, uploads: AsyncExitStack) -> list[dict[str, Any]]:
        label = {"text": f"Document {number}: {document.name}"}
        if document.download_url:
            return [label, {"fileData": {"mimeType": document.content_type, "fileUri": document.download_url}}]
        data = await document.read()
        if len(data) <= self._inline_limit:
            encoded = base64.b64encode(data).decode("ascii")
            return [label, {"inlineData": {"mimeType": document.content_type, "data": encoded}}]
        uploaded = await self._call(
            files.upload(
                self._http,
                data,
                document.content_type,
                document.name,
                poll_seconds=self._file_poll_seconds,
                polls=self._file_polls,
            )
        )
        uploads.push_async_callback(files.delete, self._http, uploaded)
        return [label, {"fileData": {"mimeType": uploaded.mime_type or document.content_type, "fileUri": uploaded.uri}}]

    async def _generate_content(
        self, *, instruction: str, parts: list[dict[str, Any]], schema: dict[str, Any]
    ) -> Answer:
        body = {
            "systemInstruction": {"parts": [{"text": instruction}]},
            "contents": [{"role": "user", "parts": parts}],
            "generationConfig": {"responseMimeType": "application/json", "responseJsonSchema": schema},
        }
        response = await self._call(self._http.post(f"/v1beta/models/{self._model}:generateContent", json=body))
        if response.is_error:
            raise error_from(response)
        return read_answer(response)

    @staticmethod
    async def _call(call: Awaitable[T]) -> T:
        """Await an HTTP exchange, turning transport trouble into ``GenerationFailed``."""
        try:
            return await call
        except httpx.TimeoutException:
            raise GenerationFailed("Gemini did not answer in time") from None
        except httpx.TransportError as error:
            raise GenerationFailed("cannot reach Gemini ({kind})", kind=type(error).__name__) from None
