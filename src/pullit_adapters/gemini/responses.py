"""Reading Gemini's answers: the ``generateContent`` body and Google's error envelope.

What each outcome means for the job that asked (see also the table in
tests/integration/test_gemini_adapter.py):

| Gemini says | raised | why |
|---|---|---|
| 429 with QuotaFailure ``quotaId`` containing ``PerDay`` | GenerationImpossible | the daily quota is spent |
| 429 otherwise | GenerationFailed(retry_after=RetryInfo.retryDelay) | per-minute limits pass |
| 5xx, timeout, connection error | GenerationFailed | the service recovers |
| 400/401/403/404 and other 4xx | GenerationFailed | key, model or request setup: an operator can fix it |
| 413 | GenerationImpossible | the document is too large for Gemini |
| ``promptFeedback.blockReason`` set | GenerationImpossible | the material itself is refused |
| ``finishReason`` SAFETY, RECITATION, PROHIBITED_CONTENT, SPII... | GenerationImpossible | same input, same refusal |
| ``finishReason`` MAX_TOKENS, OTHER, no candidate | GenerationFailed | another attempt may fit |
"""

from __future__ import annotations

import re

import httpx
import msgspec
from msgspec import Struct, field

from pullit_domain.messages import msg
from pullit_domain.ports.llm import GenerationFailed, GenerationImpossible

_REFUSALS = frozenset(
    {
        "SAFETY",
        "RECITATION",
        "PROHIBITED_CONTENT",
        "BLOCKLIST",
        "SPII",
        "IMAGE_SAFETY",
        "LANGUAGE",
        "IMAGE_PROHIBITED_CONTENT",
    }
)


class Part(Struct):
    text: str | None = None
    thought: bool = False


class Content(Struct):
    parts: list[Part] = []


class Candidate(Struct, rename="camel"):
    content: Content | None = None
    finish_reason: str | None = None


class PromptFeedback(Struct, rename="camel"):
    block_reason: str | None = None


class UsageMetadata(Struct, rename="camel"):
    prompt_token_count: int = 0
    candidates_token_count: int = 0
    thoughts_token_count: int = 0


class GenerateContentResponse(Struct, rename="camel"):
    candidates: list[Candidate] = []
    prompt_feedback: PromptFeedback | None = None
    usage_metadata: UsageMetadata = field(default_factory=UsageMetadata)


class Violation(Struct, rename="camel"):
    quota_id: str = ""


class ErrorDetail(Struct, rename="camel"):
    type: str = field(name="@type", default="")
    retry_delay: str | None = None
    violations: list[Violation] = []
    reason: str | None = None


class ErrorBody(Struct):
    code: int = 0
    message: str = ""
    status: str = ""
    details: list[ErrorDetail] = []


class ErrorEnvelope(Struct):
    error: ErrorBody = field(default_factory=ErrorBody)


class Answer(Struct, frozen=True):
    text: str
    input_tokens: int
    output_tokens: int


def read_answer(response: httpx.Response) -> Answer:
    """The model's text from a 200 ``generateContent`` response, or the matching error."""
    try:
        body = msgspec.json.decode(response.content, type=GenerateContentResponse)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise GenerationFailed("Gemini sent an unreadable response") from None
    if body.prompt_feedback and body.prompt_feedback.block_reason:
        raise GenerationImpossible(
            "Gemini refused the material ({block_reason})", block_reason=body.prompt_feedback.block_reason
        )
    if not body.candidates:
        raise GenerationFailed("Gemini returned no answer")
    candidate = body.candidates[0]
    reason = candidate.finish_reason or "STOP"
    if reason in _REFUSALS:
        raise GenerationImpossible("Gemini stopped writing ({reason})", reason=reason)
    if reason == "MAX_TOKENS":
        raise GenerationFailed("Gemini ran out of output tokens")
    if reason != "STOP":
        raise GenerationFailed("Gemini stopped writing ({reason})", reason=reason)
    parts = candidate.content.parts if candidate.content else []
    text = "".join(part.text or "" for part in parts if not part.thought)
    usage = body.usage_metadata
    # Thinking tokens are billed as output, so they count as output here too.
    return Answer(text, usage.prompt_token_count, usage.candidates_token_count + usage.thoughts_token_count)


def error_from(response: httpx.Response) -> GenerationFailed | GenerationImpossible:
    """The exception for a non-2xx answer of any Gemini endpoint."""
    try:
        error = msgspec.json.decode(response.content, type=ErrorEnvelope).error
    except (msgspec.DecodeError, msgspec.ValidationError):
        error = ErrorBody(code=response.status_code)
    status = response.status_code
    summary = msg("Gemini answered {status} {reason}", status=status, reason=error.status)
    if status == 429:
        if any("PerDay" in v.quota_id for detail in error.details for v in detail.violations):
            return GenerationImpossible("the Gemini daily quota is spent")
        delays = [_seconds(d.retry_delay) for d in error.details if d.retry_delay]
        retry_after = next((d for d in delays if d is not None), None) or _seconds(response.headers.get("retry-after"))
        return GenerationFailed("{summary}: rate limited", retry_after=retry_after, summary=summary)
    if status == 413:
        return GenerationImpossible("the document is too large for Gemini")
    if any(detail.reason == "API_KEY_INVALID" for detail in error.details):
        return GenerationFailed("Gemini rejected the configured API key")
    # The provider's own explanation is English and is passed on as written.
    return GenerationFailed("{summary}: {detail}", summary=summary, detail=error.message[:200] or "-")


def _seconds(value: str | None) -> float | None:
    """``"17s"`` / ``"0.5s"`` (protobuf Duration JSON) or ``"17"`` (Retry-After) as seconds."""
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)s?\s*", value)
    return float(match.group(1)) if match else None
