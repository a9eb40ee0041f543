from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
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


class RejectReason(StrEnum):
    """Why a written question was not kept; a stable label for logs, metrics and the writer's prompt."""

    UNREADABLE = "unreadable"
    WRONG_TYPE = "wrong_type"
    NO_TEXT = "no_text"
    UNEXPECTED_OPTIONS = "unexpected_options"
    BAD_OPTIONS = "bad_options"
    ANSWER_NOT_AN_OPTION = "answer_not_an_option"
    NOT_A_BOOLEAN = "not_a_boolean"
    SHORT_ANSWER_LENGTH = "short_answer_length"
    NO_ANSWER = "no_answer"
    DUPLICATE = "duplicate"
    NO_CITATION = "no_citation"
    NO_QUOTE = "no_quote"
    QUOTE_TOO_LONG = "quote_too_long"
    QUOTE_NOT_FOUND = "quote_not_found"


@dataclass(frozen=True)
class RejectedQuestion:
    text: str
    reason: RejectReason


@dataclass(frozen=True)
class GenerationSpec:
    """What to write. On a second request for a set, ``count`` is the number still missing,
    ``exclude`` the texts of the questions already kept (never to be repeated) and
    ``rejected`` the questions of the first answer that were not kept, with why."""

    question_type: QuestionType
    difficulty: Difficulty
    count: int
    language: str = "ko"
    exclude: tuple[str, ...] = ()
    rejected: tuple[RejectedQuestion, ...] = ()


@dataclass(frozen=True)
class GeneratedQuestion:
    question_type: QuestionType
    text: str
    answer: str
    explanation: str
    options: tuple[str, ...] | None = None
    source_id: int | None = None
    page: int | None = None
    # A verbatim passage of the cited page that supports the answer (see ``pullit_domain.grounding``).
    quote: str = ""


@dataclass(frozen=True)
class GeneratedQuestionSet:
    """``unreadable`` counts the items of the answer the writer could not even read as questions."""

    title: str
    questions: tuple[GeneratedQuestion, ...]
    input_tokens: int = 0
    output_tokens: int = 0
    unreadable: int = 0


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
    - ``generate`` returns up to ``spec.count`` questions of ``spec.question_type``, each
      citing a document and page and quoting (``quote``, at most 300 characters) the
      passage of that page that supports its answer. Implementations only translate what
      the writer wrote: the generation use case checks every question (form, duplicates,
      the quote against the page's text) and drops the ones that break a rule, so one bad
      question costs one question, not the set.
    - The set records the provider's token usage (0 when no model was used).
    - It raises ``GenerationFailed`` for transient trouble (rate limits, 5xx, timeouts,
      an answer that is not the JSON asked for) and ``GenerationImpossible`` for causes a
      retry cannot fix.
    - ``grade`` marks a free-text answer against the model answer as rubric.
    - ``name`` is a short fixed label of the writer ("gemini", "offline") for metrics.
    """

    name: str

    async def generate(self, documents: Sequence[SourceDocument], spec: GenerationSpec) -> GeneratedQuestionSet: ...

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade: ...
