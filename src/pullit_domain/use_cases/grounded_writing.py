"""Asking the writer for a set and keeping only the questions its material supports.

The writer is asked once; every question is checked (``pullit_domain.screening``). When
some are dropped, the writer is asked once more for the missing number, told which were
rejected and why. What is kept after that is the set, however many it holds: the caller
decides whether that is enough.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pullit_domain.generation import spread_answer_positions
from pullit_domain.job_pages import JobPages
from pullit_domain.model.question import QuestionType
from pullit_domain.ports.llm import (
    LLM,
    GeneratedQuestion,
    GenerationFailed,
    GenerationImpossible,
    GenerationSpec,
    SourceDocument,
)
from pullit_domain.screening import Screening, ScreeningTally

log = logging.getLogger("pullit.generation")


@dataclass(frozen=True)
class WrittenSet:
    title: str
    questions: tuple[GeneratedQuestion, ...]
    requested: int
    input_tokens: int
    output_tokens: int

    @property
    def delivered(self) -> int:
        return len(self.questions)

    @property
    def enough(self) -> bool:
        """At least half the request: worth giving the learner rather than failing."""
        return self.delivered * 2 >= self.requested


class WriteGroundedSet:
    def __init__(self, llm: LLM, on_screened: Callable[[ScreeningTally], None] = lambda _: None) -> None:
        self._llm = llm
        self._on_screened = on_screened

    async def __call__(
        self, documents: Sequence[SourceDocument], pages: JobPages, spec: GenerationSpec, set_id: int | None
    ) -> WrittenSet:
        screening = Screening(spec.question_type, pages, self._llm.name)
        first = await self._llm.generate(documents, spec)
        rejected = await screening.screen(first.questions, first.unreadable)
        input_tokens, output_tokens = first.input_tokens, first.output_tokens
        missing = spec.count - len(screening.kept)
        if missing > 0:
            screening.tally.reasked += 1
            again = replace(
                spec, count=missing, exclude=tuple(q.text for q in screening.kept), rejected=tuple(rejected)
            )
            try:
                second = await self._llm.generate(documents, again)
            except (GenerationFailed, GenerationImpossible) as error:
                # Half a set is still a set; with less, the job's own retry rules apply.
                if len(screening.kept) * 2 < spec.count:
                    self._report(screening.tally, set_id)
                    raise
                log.info("asking again for questions failed", extra={"fields": {"questionSetId": set_id}})
                log.debug("the second request failed: %s", error)
            else:
                await screening.screen(second.questions, second.unreadable)
                input_tokens += second.input_tokens
                output_tokens += second.output_tokens
        self._report(screening.tally, set_id)
        questions = tuple(screening.kept[: spec.count])
        if spec.question_type is QuestionType.MULTIPLE_CHOICE:
            questions = spread_answer_positions(questions)
        return WrittenSet(first.title.strip(), questions, spec.count, input_tokens, output_tokens)

    def _report(self, tally: ScreeningTally, set_id: int | None) -> None:
        # Counts and reason labels only: the questions are the learner's material.
        log.info("questions screened", extra={"fields": {"questionSetId": set_id, **tally.fields()}})
        self._on_screened(tally)
