"""Marking answers: how a submitted answer is checked against a question.

Objective questions are marked here, by rule. A SUBJECTIVE answer is either marked by a
model (a score against the model answer as rubric) or by the learner themself, who sends
their verdict as a boolean (``memberAnswerType: "boolean"``) after comparing their answer
with the model answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pullit_domain.errors import InvalidInput
from pullit_domain.model.question import QuestionType
from pullit_domain.model.question_set import Question


class AnswerKind(StrEnum):
    STRING = "string"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class SubmittedAnswer:
    question_id: int
    answer: str | bool
    kind: AnswerKind

    @property
    def text(self) -> str:
        return self.answer if isinstance(self.answer, str) else str(self.answer).lower()

    @property
    def verdict(self) -> bool:
        """The boolean an answer of kind ``boolean`` stands for."""
        if isinstance(self.answer, bool):
            return self.answer
        return self.answer.strip().lower() == "true"


@dataclass(frozen=True)
class MarkedAnswer:
    question_id: int
    is_correct: bool
    correct_answer: str | bool
    explanation: str
    question_set_id: int
    # The passage of the material the answer rests on (None for questions from before grounding).
    quote: str | None = None


@dataclass(frozen=True)
class MarkingResult:
    results: list[MarkedAnswer]

    @property
    def total_questions(self) -> int:
        return len(self.results)

    @property
    def correct_count(self) -> int:
        return sum(1 for result in self.results if result.is_correct)


def check_fits(question: Question, submitted: SubmittedAnswer) -> None:
    """Refuse an answer whose kind the question cannot take (nothing is marked then)."""
    if submitted.kind is AnswerKind.BOOLEAN:
        if not isinstance(submitted.answer, bool) and submitted.answer.strip().lower() not in ("true", "false"):
            raise InvalidInput(
                "question {question_id}: a boolean answer must be true or false", question_id=submitted.question_id
            )
        if question.question_type not in (QuestionType.TRUE_FALSE, QuestionType.SUBJECTIVE):
            raise InvalidInput(
                "question {question_id} is {question_type}: memberAnswerType must be string",
                question_id=submitted.question_id,
                question_type=question.question_type,
            )
        return
    if not isinstance(submitted.answer, str):
        raise InvalidInput(
            "question {question_id}: memberAnswerType string needs a string answer", question_id=submitted.question_id
        )
    if question.question_type is QuestionType.TRUE_FALSE:
        raise InvalidInput(
            "question {question_id} is TRUE_FALSE: memberAnswerType must be boolean", question_id=submitted.question_id
        )


def true_false_answer(question: Question) -> bool:
    return question.answer.strip().lower() == "true"


def correct_answer(question: Question) -> str | bool:
    """The answer as the contract shows it: boolean for true/false, else the text."""
    if question.question_type is QuestionType.TRUE_FALSE:
        return true_false_answer(question)
    return question.answer


def _without_spaces(text: str) -> str:
    return "".join(text.split()).casefold()


def is_correct_by_rule(question: Question, submitted: SubmittedAnswer) -> bool:
    """Marks every objective question, and a SUBJECTIVE one the learner assessed themself."""
    kind = question.question_type
    if kind is QuestionType.TRUE_FALSE:
        return submitted.verdict == true_false_answer(question)
    if kind is QuestionType.MULTIPLE_CHOICE:
        return submitted.text.strip().casefold() == question.answer.strip().casefold()
    if kind is QuestionType.SHORT_ANSWER:
        return _without_spaces(submitted.text) == _without_spaces(question.answer)
    # SUBJECTIVE marked by rule is the learner's own verdict.
    return submitted.kind is AnswerKind.BOOLEAN and submitted.verdict


def needs_model(question: Question, submitted: SubmittedAnswer) -> bool:
    """A written answer to a SUBJECTIVE question is marked by the model."""
    return question.question_type is QuestionType.SUBJECTIVE and submitted.kind is AnswerKind.STRING
