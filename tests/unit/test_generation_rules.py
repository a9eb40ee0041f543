"""The rules every written question must meet (pullit_domain.generation)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from pullit_domain.generation import QuestionRejected, check_question, spread_answer_positions
from pullit_domain.model.question import QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, RejectReason

MC = QuestionType.MULTIPLE_CHOICE


QUOTE = "A sentence of the material."


def mc(n: int, answer_at: int = 0) -> GeneratedQuestion:
    options = [f"option {n}-{i}" for i in range(4)]
    return GeneratedQuestion(MC, f"Question {n}?", options[answer_at], "because", tuple(options), 7, 1, QUOTE)


def question(kind: QuestionType, n: int, answer: str) -> GeneratedQuestion:
    return GeneratedQuestion(kind, f"Question {n}?", answer, "because", None, 7, 1, QUOTE)


def test_answers_of_a_multiple_choice_set_are_spread_evenly_over_the_positions() -> None:
    # Every model loves option A: all eight answers arrive first.
    spread = spread_answer_positions([mc(n) for n in range(8)])

    positions = [q.options.index(q.answer) for q in spread if q.options]
    assert Counter(positions) == {0: 2, 1: 2, 2: 2, 3: 2}
    for original, moved in zip((mc(n) for n in range(8)), spread, strict=True):
        assert sorted(moved.options or ()) == sorted(original.options or ())
        assert moved.answer == original.answer


@pytest.mark.parametrize("count", [1, 3, 5, 10, 13])
def test_position_counts_never_differ_by_more_than_one(count: int) -> None:
    spread = spread_answer_positions([mc(n, answer_at=n % 2) for n in range(count)])

    counts = Counter(q.options.index(q.answer) for q in spread if q.options)
    assert max(counts.values()) - min(counts.values(), default=0) <= 1
    assert len(counts) == min(count, 4)


def test_spreading_is_deterministic_and_keeps_the_wrong_options_in_order() -> None:
    questions = [mc(n, answer_at=2) for n in range(6)]

    first, second = spread_answer_positions(questions), spread_answer_positions(list(questions))

    assert first == second
    for before, after in zip(questions, first, strict=True):
        wrong_before = [o for o in before.options or () if o != before.answer]
        assert [o for o in after.options or () if o != after.answer] == wrong_before


def test_other_question_types_pass_through_spreading_unchanged() -> None:
    questions = [question(QuestionType.SHORT_ANSWER, n, f"term {n}") for n in range(3)]

    assert spread_answer_positions(questions) == tuple(questions)


def test_a_valid_question_comes_back_normalised() -> None:
    answers = [" True ", "false", "X"]

    checked = [check_question(QuestionType.TRUE_FALSE, question(QuestionType.TRUE_FALSE, 1, a)) for a in answers]

    assert [q.answer for q in checked] == ["true", "false", "false"]


def test_a_multiple_choice_answer_is_written_exactly_as_its_option() -> None:
    loose = replace(mc(1, answer_at=1), answer="  OPTION 1-1 ")

    assert check_question(MC, loose).answer == "option 1-1"


@pytest.mark.parametrize(
    ("kind", "broken", "why"),
    [
        (MC, replace(mc(1), options=("a", "b", "c")), RejectReason.BAD_OPTIONS),
        (MC, replace(mc(1), options=("a", "A", "b", "c"), answer="b"), RejectReason.BAD_OPTIONS),
        (MC, replace(mc(1), answer="none of these"), RejectReason.ANSWER_NOT_AN_OPTION),
        (MC, replace(mc(1), options=("a", "b", "c", " ")), RejectReason.BAD_OPTIONS),
        (QuestionType.TRUE_FALSE, question(QuestionType.TRUE_FALSE, 1, "maybe"), RejectReason.NOT_A_BOOLEAN),
        (QuestionType.SHORT_ANSWER, question(QuestionType.SHORT_ANSWER, 1, "x" * 21), RejectReason.SHORT_ANSWER_LENGTH),
        (QuestionType.SHORT_ANSWER, question(QuestionType.SHORT_ANSWER, 1, " "), RejectReason.SHORT_ANSWER_LENGTH),
        (QuestionType.SUBJECTIVE, question(QuestionType.SUBJECTIVE, 1, ""), RejectReason.NO_ANSWER),
        (QuestionType.SHORT_ANSWER, question(QuestionType.SUBJECTIVE, 1, "a"), RejectReason.WRONG_TYPE),
        (
            QuestionType.SHORT_ANSWER,
            replace(question(QuestionType.SHORT_ANSWER, 1, "a"), text=" "),
            RejectReason.NO_TEXT,
        ),
        (
            QuestionType.SHORT_ANSWER,
            replace(question(QuestionType.SHORT_ANSWER, 1, "a"), page=0),
            RejectReason.NO_CITATION,
        ),
        (
            QuestionType.SHORT_ANSWER,
            replace(question(QuestionType.SHORT_ANSWER, 1, "a"), source_id=None),
            RejectReason.NO_CITATION,
        ),
        (
            QuestionType.SHORT_ANSWER,
            replace(question(QuestionType.SHORT_ANSWER, 1, "a"), quote=" "),
            RejectReason.NO_QUOTE,
        ),
        (
            QuestionType.SHORT_ANSWER,
            replace(question(QuestionType.SHORT_ANSWER, 1, "a"), quote="q" * 301),
            RejectReason.QUOTE_TOO_LONG,
        ),
    ],
)
def test_a_question_breaking_the_contract_is_rejected_with_its_reason(
    kind: QuestionType, broken: GeneratedQuestion, why: RejectReason
) -> None:
    with pytest.raises(QuestionRejected) as rejected:
        check_question(kind, broken)
    assert rejected.value.reason is why


def test_a_short_answer_of_exactly_twenty_characters_is_allowed() -> None:
    checked = check_question(QuestionType.SHORT_ANSWER, question(QuestionType.SHORT_ANSWER, 1, "광합성" * 6 + "작용"))

    assert len(checked.answer) == 20
