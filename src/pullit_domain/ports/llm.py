from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pullit_domain.messages import Message
from pullit_domain.model.question import Difficulty, QuestionType


@dataclass(frozen=True)
class SourceDocument:
    """A study PDF handed to a generator.

    ``download_url`` is a short-lived URL the model's service may fetch itself (object
    storage); ``read`` loads the bytes when the generator needs them locally.
    """

    source_id: int
    name: str
    content_type: str
    size: int
    read: Callable[[], Awaitable[bytes]]
    download_url: str | None = None


@dataclass(frozen=True)
class GenerationSpec:
    question_type: QuestionType
    difficulty: Difficulty
    count: int
    language: str = "ko"


@dataclass(frozen=True)
class GeneratedQuestion:
    question_type: QuestionType
    text: str
    answer: str
    explanation: str
    options: tuple[str, ...] | None = None
    source_id: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class GeneratedQuestionSet:
    title: str
    questions: tuple[GeneratedQuestion, ...]
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True)
class Grade:
    """A model's marking of a free-text answer: ``score`` in [0, 1]."""

    score: float
    feedback: str


class GenerationFailed(Exception):
    """A generation attempt failed but may succeed if tried again later.

    ``retry_after`` (seconds) is the provider's own hint, when it gave one.
    """

    def __init__(self, template: str, /, retry_after: float | None = None, **params: Any) -> None:
        self.message = Message(template, params)
        self.reason = str(self.message)
        self.retry_after = retry_after
        super().__init__(self.reason)


class GenerationImpossible(Exception):
    """Generation can never succeed for this input (unreadable or encrypted document,
    too many pages, daily quota spent, content blocked): do not retry."""

    def __init__(self, template: str, /, **params: Any) -> None:
        self.message = Message(template, params)
        self.reason = str(self.message)
        super().__init__(self.reason)


class LLM(Protocol):
    """Writes question sets from study documents and grades free-text answers.

    Contract:
    - ``generate`` returns exactly ``spec.count`` questions of ``spec.question_type`` that
      are answerable from the documents: multiple choice has four distinct options and the
      answer is one of them; true/false answers are ``"true"``/``"false"``; short answers
      are at most 20 characters; subjective questions carry a model answer. Implementations
      check this with ``pullit_domain.generation.validate_generated``, which also spreads
      multiple-choice answer positions evenly over the set.
    - The set records the provider's token usage (0 when no model was used).
    - It raises ``GenerationFailed`` for transient trouble (rate limits, 5xx, timeouts,
      malformed output) and ``GenerationImpossible`` for causes a retry cannot fix.
    - ``grade`` marks a free-text answer against the model answer as rubric.
    """

    async def generate(self, documents: Sequence[SourceDocument], spec: GenerationSpec) -> GeneratedQuestionSet: ...

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade: ...
