"""Rules every question generator's output must meet, as pure functions.

Generators (Gemini, offline) call ``validate_generated`` on what they produced; a set that
breaks the contract of ``pullit_domain.ports.llm.LLM`` raises ``InvalidGeneratedOutput``,
which is a ``GenerationFailed``: a model that wrote a bad set may write a good one next time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from pullit_domain.model.question import QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, GeneratedQuestionSet, GenerationFailed, GenerationSpec

MAX_SHORT_ANSWER_LENGTH = 20
OPTION_COUNT = 4
TRUE = "true"
FALSE = "false"
_BOOLEAN_WORDS = {"true": TRUE, "false": FALSE, "o": TRUE, "x": FALSE, "참": TRUE, "거짓": FALSE}


class InvalidGeneratedOutput(GenerationFailed):
    """A generator's output breaks the question-set contract (count, options, answer form)."""


def validate_generated(spec: GenerationSpec, generated: GeneratedQuestionSet) -> GeneratedQuestionSet:
    """Check ``generated`` against ``spec`` and return it normalised.

    Normalising trims texts, writes true/false answers as ``"true"``/``"false"``, writes a
    multiple-choice answer exactly as its option, and spreads multiple-choice answer
    positions evenly (``spread_answer_positions``). An empty title stays empty: the caller
    keeps the first source's name then.
    Raises ``InvalidGeneratedOutput`` naming the first broken rule.
    """
    if len(generated.questions) != spec.count:
        raise InvalidGeneratedOutput(
            "expected {count} questions, got {questions_count}",
            count=spec.count,
            questions_count=len(generated.questions),
        )
    questions = tuple(_validated(spec.question_type, n, q) for n, q in enumerate(generated.questions, start=1))
    texts = [q.text.casefold() for q in questions]
    if len(set(texts)) != len(texts):
        raise InvalidGeneratedOutput("two questions have the same text")
    if spec.question_type is QuestionType.MULTIPLE_CHOICE:
        questions = spread_answer_positions(questions)
    return replace(generated, title=generated.title.strip(), questions=questions)


def _validated(kind: QuestionType, n: int, question: GeneratedQuestion) -> GeneratedQuestion:
    if question.question_type is not kind:
        raise InvalidGeneratedOutput(
            "question {n} is {question_type}, not {kind}", n=n, question_type=question.question_type, kind=kind
        )
    text, answer = question.text.strip(), question.answer.strip()
    if not text:
        raise InvalidGeneratedOutput("question {n} has no text", n=n)
    if kind is not QuestionType.MULTIPLE_CHOICE and question.options:
        raise InvalidGeneratedOutput("question {n} has options but is not multiple choice", n=n)
    if question.page is not None and question.page < 1:
        raise InvalidGeneratedOutput("question {n} cites page {page}", n=n, page=question.page)
    options: tuple[str, ...] | None = None
    if kind is QuestionType.MULTIPLE_CHOICE:
        options = tuple(option.strip() for option in question.options or ())
        if len(options) != OPTION_COUNT or not all(options):
            raise InvalidGeneratedOutput(
                "question {n} needs {option_count} non-empty options", n=n, option_count=OPTION_COUNT
            )
        if len({option.casefold() for option in options}) != OPTION_COUNT:
            raise InvalidGeneratedOutput("question {n} has duplicate options", n=n)
        matches = [option for option in options if option.casefold() == answer.casefold()]
        if len(matches) != 1:
            raise InvalidGeneratedOutput("question {n}: the answer is not exactly one of the options", n=n)
        answer = matches[0]
    elif kind is QuestionType.TRUE_FALSE:
        boolean = _BOOLEAN_WORDS.get(answer.casefold())
        if boolean is None:
            raise InvalidGeneratedOutput(
                "question {n}: true/false answer {answer} is not a boolean", n=n, answer=repr(answer)
            )
        answer = boolean
    elif kind is QuestionType.SHORT_ANSWER:
        if not answer or len(answer) > MAX_SHORT_ANSWER_LENGTH:
            raise InvalidGeneratedOutput(
                "question {n}: short answer must be 1..{max_length} characters",
                n=n,
                max_length=MAX_SHORT_ANSWER_LENGTH,
            )
    elif not answer:
        raise InvalidGeneratedOutput("question {n} has no model answer", n=n)
    return replace(question, text=text, answer=answer, explanation=question.explanation.strip(), options=options)


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
