"""An LLM decorator that times every call and counts the provider's tokens, for ``/metrics``."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from pullit_adapters.metrics import llm_duration, llm_tokens
from pullit_domain.ports.llm import (
    LLM,
    GeneratedQuestionSet,
    GenerationFailed,
    GenerationImpossible,
    GenerationSpec,
    Grade,
    SourceDocument,
)

T = TypeVar("T")


def _outcome(error: BaseException | None) -> str:
    if error is None:
        return "ok"
    if isinstance(error, GenerationImpossible):
        return "impossible"
    if isinstance(error, GenerationFailed):
        return "failed"
    return "error"


class InstrumentedLLM:
    def __init__(self, inner: LLM) -> None:
        self.inner = inner

    @property
    def name(self) -> str:
        return self.inner.name

    async def _timed(self, operation: str, call: Callable[[], Awaitable[T]]) -> T:
        started = time.perf_counter()
        error: BaseException | None = None
        try:
            return await call()
        except BaseException as raised:
            error = raised
            raise
        finally:
            llm_duration.labels(operation, _outcome(error)).observe(time.perf_counter() - started)

    async def generate(self, documents: Sequence[SourceDocument], spec: GenerationSpec) -> GeneratedQuestionSet:
        generated = await self._timed("generate", lambda: self.inner.generate(documents, spec))
        llm_tokens.labels("input").inc(max(generated.input_tokens, 0))
        llm_tokens.labels("output").inc(max(generated.output_tokens, 0))
        return generated

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade:
        return await self._timed("grade", lambda: self.inner.grade(question, model_answer, answer))

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()
