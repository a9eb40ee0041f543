"""The rules every generator's output must meet (pullit_domain.generation)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from pullit_domain.generation import InvalidGeneratedOutput, spread_answer_positions, validate_generated
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, GeneratedQuestionSet, GenerationFailed, GenerationSpec

MC = QuestionType.MULTIPLE_CHOICE


def spec(kind: QuestionType, count: int) -> GenerationSpec:
    return GenerationSpec(kind, Difficulty.EASY, count)


def mc(n: int, answer_at: int = 0) -> GeneratedQuestion:
    options = [f"option {n}-{i}" for i in range(4)]
    return GeneratedQuestion(MC, f"Question {n}?", options[answer_at], "because", tuple(options), 7, 1)


def question(kind: QuestionType, n: int, answer: str) -> GeneratedQuestion:
    return GeneratedQuestion(kind, f"Question {n}?", answer, "because", None, 7, 1)


def one_set(*questions: GeneratedQuestion) -> GeneratedQuestionSet:
    return GeneratedQuestionSet(title=" A title ", questions=questions)


def test_answers_of_a_multiple_choice_set_are_spread_evenly_over_the_positions() -> None:
    # Every model loves option A: all eight answers arrive first.
    generated = validate_generated(spec(MC, 8), one_set(*(mc(n) for n in range(8))))

    positions = [q.options.index(q.answer) for q in generated.questions if q.options]
    assert Counter(positions) == {0: 2, 1: 2, 2: 2, 3: 2}
    for original, moved in zip((mc(n) for n in range(8)), generated.questions, strict=True):
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


def test_a_valid_set_comes_back_normalised() -> None:
    generated = validate_generated(
        spec(QuestionType.TRUE_FALSE, 3),
        one_set(
            question(QuestionType.TRUE_FALSE, 1, " True "),
            question(QuestionType.TRUE_FALSE, 2, "false"),
            question(QuestionType.TRUE_FALSE, 3, "X"),
        ),
    )

    assert [q.answer for q in generated.questions] == ["true", "false", "false"]
    assert generated.title == "A title"


def test_a_multiple_choice_answer_is_written_exactly_as_its_option() -> None:
    loose = replace(mc(1, answer_at=1), answer="  OPTION 1-1 ")

    generated = validate_generated(spec(MC, 1), one_set(loose))

    assert generated.questions[0].answer == "option 1-1"


@pytest.mark.parametrize(
    ("kind", "broken", "why"),
    [
        (MC, replace(mc(1), options=("a", "b", "c")), "4 non-empty options"),
        (MC, replace(mc(1), options=("a", "A", "b", "c"), answer="b"), "duplicate options"),
        (MC, replace(mc(1), answer="none of these"), "not exactly one of the options"),
        (MC, replace(mc(1), options=("a", "b", "c", " ")), "4 non-empty options"),
        (QuestionType.TRUE_FALSE, question(QuestionType.TRUE_FALSE, 1, "maybe"), "not a boolean"),
        (QuestionType.SHORT_ANSWER, question(QuestionType.SHORT_ANSWER, 1, "x" * 21), "1..20 characters"),
        (QuestionType.SHORT_ANSWER, question(QuestionType.SHORT_ANSWER, 1, " "), "1..20 characters"),
        (QuestionType.SUBJECTIVE, question(QuestionType.SUBJECTIVE, 1, ""), "no model answer"),
        (QuestionType.SHORT_ANSWER, question(QuestionType.SUBJECTIVE, 1, "a"), "not SHORT_ANSWER"),
        (QuestionType.SHORT_ANSWER, replace(question(QuestionType.SHORT_ANSWER, 1, "a"), text=" "), "no text"),
        (QuestionType.SHORT_ANSWER, replace(question(QuestionType.SHORT_ANSWER, 1, "a"), page=0), "page 0"),
    ],
)
def test_a_question_breaking_the_contract_is_refused(kind: QuestionType, broken: GeneratedQuestion, why: str) -> None:
    with pytest.raises(InvalidGeneratedOutput, match=why):
        validate_generated(spec(kind, 1), one_set(broken))


def test_a_short_answer_of_exactly_twenty_characters_is_allowed() -> None:
    generated = validate_generated(
        spec(QuestionType.SHORT_ANSWER, 1), one_set(question(QuestionType.SHORT_ANSWER, 1, "광합성" * 6 + "작용"))
    )

    assert len(generated.questions[0].answer) == 20


def test_the_exact_count_is_required() -> None:
    with pytest.raises(InvalidGeneratedOutput, match="expected 3 questions, got 2"):
        validate_generated(spec(MC, 3), one_set(mc(1), mc(2)))


def test_two_questions_with_the_same_text_are_refused() -> None:
    with pytest.raises(InvalidGeneratedOutput, match="same text"):
        validate_generated(spec(MC, 2), one_set(mc(1), replace(mc(2), text="question 1?")))


def test_invalid_output_is_a_transient_generation_failure() -> None:
    # A model that wrote a bad set may write a good one: the job system retries it.
    assert issubclass(InvalidGeneratedOutput, GenerationFailed)
