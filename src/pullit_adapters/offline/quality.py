"""How worth answering a set of offline questions is, in two numbers (bench and tests share them).

- common answers: the share of blanked answers (short answer, multiple choice) that are common
  words of their language, wordfreq Zipf >= 5 ("process", "과정"); target at most 10 %;
- related options: the share of option lists with two options that are the same word after
  normalisation, one inside the other, or inflections of one stem; target 0.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from pullit_adapters.offline.terms import COMMON_ZIPF, related, zipf_of
from pullit_domain.model.question import QuestionType
from pullit_domain.ports.llm import GeneratedQuestion

CLOZE = (QuestionType.SHORT_ANSWER, QuestionType.MULTIPLE_CHOICE)


@dataclass(frozen=True)
class Quality:
    answers: int
    common_answers: int
    option_lists: int
    related_option_lists: int

    @property
    def common_share(self) -> float:
        return self.common_answers / self.answers if self.answers else 0.0

    @property
    def related_share(self) -> float:
        return self.related_option_lists / self.option_lists if self.option_lists else 0.0


def has_related_pair(options: Sequence[str]) -> bool:
    return any(related(a, b) for a, b in itertools.combinations(options, 2))


def quality_of(questions: Sequence[GeneratedQuestion]) -> Quality:
    cloze = [q for q in questions if q.question_type in CLOZE]
    with_options = [q.options for q in questions if q.options]
    return Quality(
        answers=len(cloze),
        common_answers=sum(1 for q in cloze if zipf_of(q.answer) >= COMMON_ZIPF),
        option_lists=len(with_options),
        related_option_lists=sum(1 for options in with_options if has_related_pair(options)),
    )
