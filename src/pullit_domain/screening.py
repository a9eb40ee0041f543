"""Keeping only the questions that follow the rules and quote their page truly.

One ``Screening`` per generation job: it remembers the questions already kept, so a
question asked again in the second request counts as a duplicate, reads each page it needs
once (``JobPages``), and tallies what the writer wrote for logs and metrics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pullit_domain.generation import QuestionRejected, check_question, same_text_key
from pullit_domain.job_pages import JobPages
from pullit_domain.model.question import QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, RejectedQuestion, RejectReason


@dataclass
class ScreeningTally:
    """What one job's writer wrote and what became of it (no learner text: safe to log)."""

    writer: str
    written: int = 0
    grounded: int = 0
    corrected_pages: int = 0
    reasked: int = 0
    rejected: Counter[RejectReason] = field(default_factory=Counter)

    def fields(self) -> dict[str, object]:
        return {
            "writer": self.writer,
            "written": self.written,
            "grounded": self.grounded,
            "correctedPages": self.corrected_pages,
            "reasked": self.reasked,
            "rejected": {reason.value: count for reason, count in sorted(self.rejected.items())},
        }


class Screening:
    def __init__(self, kind: QuestionType, pages: JobPages, writer: str) -> None:
        self._kind = kind
        self._pages = pages
        self._taken: set[str] = set()
        self.kept: list[GeneratedQuestion] = []
        self.tally = ScreeningTally(writer)

    async def screen(self, questions: Sequence[GeneratedQuestion], unreadable: int = 0) -> list[RejectedQuestion]:
        """Keep the good ones of ``questions``, in order; return the others with why."""
        rejected: list[RejectedQuestion] = []
        if unreadable:
            self.tally.written += unreadable
            self.tally.rejected[RejectReason.UNREADABLE] += unreadable
        self.tally.written += len(questions)
        checked: list[tuple[GeneratedQuestion, GeneratedQuestion]] = []
        for question in questions:
            try:
                checked.append((question, self._checked(question)))
            except QuestionRejected as rejection:
                self._reject(rejected, question, rejection.reason)
        found = await self._pages.locate_all([(q.quote, q.source_id or 0, q.page or 0) for _, q in checked])
        for (question, candidate), page in zip(checked, found, strict=True):
            key = same_text_key(candidate.text)
            if page is None:
                self._reject(rejected, question, RejectReason.QUOTE_NOT_FOUND)
            elif key in self._taken:
                self._reject(rejected, question, RejectReason.DUPLICATE)
            else:
                self._taken.add(key)
                self.tally.grounded += 1
                if page != candidate.page:
                    self.tally.corrected_pages += 1
                self.kept.append(replace(candidate, page=page))
        return rejected

    def _checked(self, question: GeneratedQuestion) -> GeneratedQuestion:
        checked = check_question(self._kind, question)
        if checked.source_id not in self._pages.index:
            raise QuestionRejected(RejectReason.NO_CITATION)
        return checked

    def _reject(self, rejected: list[RejectedQuestion], question: GeneratedQuestion, reason: RejectReason) -> None:
        self.tally.rejected[reason] += 1
        rejected.append(RejectedQuestion(question.text, reason))
