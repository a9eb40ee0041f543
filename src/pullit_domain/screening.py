"""Keeping only the questions that follow the rules and quote their page truly.

One ``Screening`` per generation job: it remembers the questions already kept, so a
question asked again in the second request counts as a duplicate, and tallies what the
writer wrote for logs and metrics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from pullit_domain.generation import QuestionRejected, check_question, same_text_key
from pullit_domain.grounding import PageIndex
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
    def __init__(self, kind: QuestionType, pages: PageIndex, writer: str) -> None:
        self._kind = kind
        self._pages = pages
        self._taken: set[str] = set()
        self.kept: list[GeneratedQuestion] = []
        self.tally = ScreeningTally(writer)

    def screen(self, questions: Iterable[GeneratedQuestion], unreadable: int = 0) -> list[RejectedQuestion]:
        """Keep the good ones of ``questions``; return the others with why."""
        rejected: list[RejectedQuestion] = []
        if unreadable:
            self.tally.written += unreadable
            self.tally.rejected[RejectReason.UNREADABLE] += unreadable
        for question in questions:
            self.tally.written += 1
            try:
                kept = self._grounded(question)
            except QuestionRejected as rejection:
                self.tally.rejected[rejection.reason] += 1
                rejected.append(RejectedQuestion(question.text, rejection.reason))
                continue
            self.tally.grounded += 1
            self.kept.append(kept)
        return rejected

    def _grounded(self, question: GeneratedQuestion) -> GeneratedQuestion:
        checked = check_question(self._kind, question)
        key = same_text_key(checked.text)
        if key in self._taken:
            raise QuestionRejected(RejectReason.DUPLICATE)
        assert checked.source_id is not None and checked.page is not None
        if checked.source_id not in self._pages:
            raise QuestionRejected(RejectReason.NO_CITATION)
        page = self._pages.locate(checked.quote, checked.source_id, checked.page)
        if page is None:
            raise QuestionRejected(RejectReason.QUOTE_NOT_FOUND)
        self._taken.add(key)
        if page != checked.page:
            self.tally.corrected_pages += 1
            return replace(checked, page=page)
        return checked
