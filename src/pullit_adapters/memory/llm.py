from __future__ import annotations

from collections.abc import Sequence

from pullit_domain.model.question import QuestionType
from pullit_domain.ports.llm import (
    GeneratedQuestion,
    GeneratedQuestionSet,
    GenerationSpec,
    Grade,
    SourceDocument,
)

CANNED_QUOTE = "Every canned question rests on this one sentence of page one."
CANNED_PAGE = f"Canned material\n{CANNED_QUOTE}\nNothing else is written here."


class CannedLLM:
    """Writes well-formed placeholder questions without reading the documents.

    For tests of the flow around generation; the offline generator in
    ``pullit_adapters.offline`` writes real questions from a PDF's text. Each question
    quotes ``quote`` from page 1: pair it with a page text that holds that sentence
    (``CANNED_PAGE``), as the generation use case checks every quote.
    """

    name = "canned"

    def __init__(self) -> None:
        self.calls: list[GenerationSpec] = []

    async def generate(self, documents: Sequence[SourceDocument], spec: GenerationSpec) -> GeneratedQuestionSet:
        self.calls.append(spec)
        first = documents[0] if documents else None
        questions = tuple(self._question(spec.question_type, n, first) for n in range(spec.count))
        return GeneratedQuestionSet(title=first.name if first else "Questions", questions=questions)

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade:
        same = "".join(answer.split()).lower() == "".join(model_answer.split()).lower()
        return Grade(score=1.0 if same else 0.0, feedback="exact match" if same else "differs")

    @staticmethod
    def _question(kind: QuestionType, n: int, document: SourceDocument | None) -> GeneratedQuestion:
        source_id = document.source_id if document else None
        if kind is QuestionType.MULTIPLE_CHOICE:
            options = tuple(f"option {n}-{i}" for i in range(4))
            return GeneratedQuestion(
                kind, f"Question {n + 1}?", options[n % 4], "canned", options, source_id, 1, CANNED_QUOTE
            )
        if kind is QuestionType.TRUE_FALSE:
            return GeneratedQuestion(
                kind,
                f"Statement {n + 1}.",
                "true" if n % 2 == 0 else "false",
                "canned",
                None,
                source_id,
                1,
                CANNED_QUOTE,
            )
        return GeneratedQuestion(
            kind, f"Question {n + 1}?", f"answer {n + 1}", "canned", None, source_id, 1, CANNED_QUOTE
        )
