"""Rules every written question must meet, as pure functions.

The generation use case runs ``check_question`` on each question a writer (Gemini, offline)
returned: a question that breaks a rule is dropped with a ``RejectReason``, and only that
question is lost. ``spread_answer_positions`` then evens out multiple-choice answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from pullit_domain.model.question import QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, RejectReason

MAX_SHORT_ANSWER_LENGTH = 20
MAX_QUOTE_LENGTH = 300
OPTION_COUNT = 4
TRUE = "true"
FALSE = "false"
_BOOLEAN_WORDS = {"true": TRUE, "false": FALSE, "o": TRUE, "x": FALSE, "참": TRUE, "거짓": FALSE}


class QuestionRejected(Exception):
    def __init__(self, reason: RejectReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


def check_question(kind: QuestionType, question: GeneratedQuestion) -> GeneratedQuestion:
    """``question`` normalised, or ``QuestionRejected`` naming the first rule it breaks.

    Normalising trims texts, writes true/false answers as ``"true"``/``"false"``, a
    multiple-choice answer exactly as its option, and the quote with single spaces. Whether
    the quote is really on the cited page is ``pullit_domain.grounding``'s question, asked
    afterwards.
    """
    if question.question_type is not kind:
        raise QuestionRejected(RejectReason.WRONG_TYPE)
    # The quote is shown to the learner: the PDF's line breaks inside it are layout, not content.
    text, answer, quote = question.text.strip(), question.answer.strip(), " ".join(question.quote.split())
    if not text:
        raise QuestionRejected(RejectReason.NO_TEXT)
    if kind is not QuestionType.MULTIPLE_CHOICE and question.options:
        raise QuestionRejected(RejectReason.UNEXPECTED_OPTIONS)
    options: tuple[str, ...] | None = None
    if kind is QuestionType.MULTIPLE_CHOICE:
        options, answer = _checked_choice(question.options or (), answer)
    elif kind is QuestionType.TRUE_FALSE:
        boolean = _BOOLEAN_WORDS.get(answer.casefold())
        if boolean is None:
            raise QuestionRejected(RejectReason.NOT_A_BOOLEAN)
        answer = boolean
    elif kind is QuestionType.SHORT_ANSWER:
        if not answer or len(answer) > MAX_SHORT_ANSWER_LENGTH:
            raise QuestionRejected(RejectReason.SHORT_ANSWER_LENGTH)
    elif not answer:
        raise QuestionRejected(RejectReason.NO_ANSWER)
    if question.source_id is None or question.page is None or question.page < 1:
        raise QuestionRejected(RejectReason.NO_CITATION)
    if not quote:
        raise QuestionRejected(RejectReason.NO_QUOTE)
    if len(quote) > MAX_QUOTE_LENGTH:
        raise QuestionRejected(RejectReason.QUOTE_TOO_LONG)
    return replace(
        question, text=text, answer=answer, explanation=question.explanation.strip(), options=options, quote=quote
    )


def _checked_choice(raw: Sequence[str], answer: str) -> tuple[tuple[str, ...], str]:
    options = tuple(option.strip() for option in raw)
    if len(options) != OPTION_COUNT or not all(options):
        raise QuestionRejected(RejectReason.BAD_OPTIONS)
    if len({option.casefold() for option in options}) != OPTION_COUNT:
        raise QuestionRejected(RejectReason.BAD_OPTIONS)
    matches = [option for option in options if option.casefold() == answer.casefold()]
    if len(matches) != 1:
        raise QuestionRejected(RejectReason.ANSWER_NOT_AN_OPTION)
    return options, matches[0]


def same_text_key(text: str) -> str:
    """What makes two questions the same question for the duplicate rule."""
    return " ".join(text.split()).casefold()


def spread_answer_positions(questions: Sequence[GeneratedQuestion]) -> tuple[GeneratedQuestion, ...]:
    """Move each multiple-choice answer so positions are used evenly over the set.

    The positions 0..3 are shuffled once per set, deterministically from the questions'
    texts, and question ``i`` gets its answer at ``positions[i % 4]``: counts per position
    differ by at most one, the pattern is not a visible 1-2-3-4 staircase, and the same
    input always gives the same output. The other options keep their relative order.
    Questions that are not multiple choice pass through unchanged.
    """
    positions = _shuffled_positions("\n".join(q.text for q in questions))
    spread: list[GeneratedQuestion] = []
    index = 0
    for question in questions:
        multiple_choice = question.question_type is QuestionType.MULTIPLE_CHOICE
        if not multiple_choice or not question.options or question.answer not in question.options:
            spread.append(question)
            continue
        others = [option for option in question.options if option != question.answer]
        others.insert(positions[index % OPTION_COUNT], question.answer)
        spread.append(replace(question, options=tuple(others)))
        index += 1
    return tuple(spread)


def _shuffled_positions(seed_text: str) -> list[int]:
    # A digest instead of random.Random: the order must not depend on the interpreter's seed.
    digest = hashlib.sha256(seed_text.encode()).digest()
    positions = list(range(OPTION_COUNT))
    for i in range(OPTION_COUNT - 1, 0, -1):
        j = digest[i] % (i + 1)
        positions[i], positions[j] = positions[j], positions[i]
    return positions
