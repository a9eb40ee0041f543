"""Marking: the contract's correctness rules, the wrong-answer note, review mode and refusals."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from pullit_adapters.memory import InMemoryDatabase, ManualClock
from pullit_adapters.memory.question_set_reads import UnitOfWorkQuestionSetReads
from pullit_adapters.memory.wrong_answer_reads import UnitOfWorkWrongAnswerReads
from pullit_domain.errors import Code, InvalidInput, NotFound, Unavailable
from pullit_domain.model.marking import AnswerKind, MarkingResult, SubmittedAnswer
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.ports.llm import GenerationFailed, Grade
from pullit_domain.use_cases.marking import MarkAnswers
from pullit_domain.use_cases.members import SignUpMember
from pullit_domain.use_cases.stats import ProjectLearningEvents
from pullit_domain.use_cases.wrong_answers import ListWrongAnswers, ReviewQuestions
from tests.support.solving import choice, ready_set, short, subjective, true_false

S, B = AnswerKind.STRING, AnswerKind.BOOLEAN


class ScriptedGrader:
    """Scores written answers as told and notes whether a transaction was open meanwhile."""

    def __init__(self, db: InMemoryDatabase, score: float = 1.0, fail: bool = False) -> None:
        self.db = db
        self.score = score
        self.fail = fail
        self.calls: list[tuple[str, str, str]] = []
        self.inside_transaction: list[bool] = []

    async def generate(self, documents: object, spec: object) -> object:
        raise NotImplementedError

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade:
        self.calls.append((question, model_answer, answer))
        self.inside_transaction.append(self.db.lock.locked())
        if self.fail:
            raise GenerationFailed("model overloaded")
        return Grade(self.score, "scripted")


class World:
    def __init__(self) -> None:
        self.db = InMemoryDatabase()
        self.clock = ManualClock(datetime(2026, 2, 2, 3, 0, tzinfo=UTC))
        self.grader: ScriptedGrader | None = None
        self.projector = ProjectLearningEvents(self.db.unit_of_work, self.clock, ZoneInfo("Asia/Seoul"))

    async def member(self) -> int:
        identity = ExternalIdentity("test", uuid.uuid4().hex, "Learner", f"{uuid.uuid4().hex}@example.test")
        member = (await SignUpMember(self.db.unit_of_work, self.clock)(identity)).member
        assert member.id is not None
        return member.id

    async def mark(
        self, member_id: int, answers: Sequence[tuple[int, str | bool, AnswerKind]], reviewing: bool = False
    ) -> MarkingResult:
        use_case = MarkAnswers(self.db.unit_of_work, self.clock, self.grader, 0.6, self.projector)
        return await use_case(member_id, [SubmittedAnswer(*a) for a in answers], reviewing)

    def rows(self, table: str) -> int:
        return len(self.db.tables[table].rows)


@pytest.fixture
def world() -> World:
    return World()


async def test_each_question_type_is_marked_by_the_contract_rules(world: World) -> None:
    me = await world.member()
    quiz = await ready_set(
        world.db.unit_of_work,
        me,
        [
            choice("Chlorophyll", "Glucose", "Oxygen", "Water"),
            choice("Chlorophyll", "Glucose", "Oxygen", "Water"),
            short("light reaction"),
            short("ATP"),
            true_false(True),
            true_false(False),
        ],
    )
    q = quiz.question_ids

    result = await world.mark(
        me,
        [
            (q[0], "  chlorophyll ", S),  # trimmed, any case
            (q[1], "Glucose", S),  # another option
            (q[2], "Light\tReaction ", S),  # whitespace and case do not matter
            (q[3], "ADP", S),
            (q[4], True, B),
            (q[5], "true", B),  # a boolean may come as its JSON-ish text
        ],
    )

    assert [r.is_correct for r in result.results] == [True, False, True, False, True, False]
    assert (result.total_questions, result.correct_count) == (6, 3)
    first, _, third, _, fifth, sixth = result.results
    assert (first.question_id, first.correct_answer, first.explanation) == (q[0], "Chlorophyll", "Because Chlorophyll.")
    assert third.correct_answer == "light reaction"
    assert fifth.correct_answer is True and sixth.correct_answer is False


async def test_wrong_answers_enter_the_note_once_and_review_mode_settles_them(world: World) -> None:
    me = await world.member()
    quiz = await ready_set(world.db.unit_of_work, me, [short("a"), short("b"), short("c")])
    q = quiz.question_ids
    review = ReviewQuestions(world.db.unit_of_work, UnitOfWorkQuestionSetReads(world.db.unit_of_work))
    notes = ListWrongAnswers(UnitOfWorkWrongAnswerReads(world.db.unit_of_work))

    await world.mark(me, [(q[0], "x", S), (q[1], "x", S), (q[2], "c", S)])
    await world.mark(me, [(q[0], "x", S)])
    assert world.rows("wrong_answers") == 2
    entries = {e.question_id: e for e in world.db.tables["wrong_answers"].rows.values()}
    assert entries[q[0]].incorrect_count == 2 and entries[q[1]].incorrect_count == 1
    assert [question.id for question in (await review(me, quiz.id)).questions] == [q[0], q[1]]
    assert [(s.question_set_id, s.incorrect_count) for s in (await notes.all(me, None))] == [(quiz.id, 2)]

    # Review: right on the first, wrong on the second.
    await world.mark(me, [(q[0], "a", S), (q[1], "y", S)], reviewing=True)
    assert [question.id for question in (await review(me, quiz.id)).questions] == [q[1]]
    assert [(s.question_set_id, s.incorrect_count) for s in (await notes.all(me, None))] == [(quiz.id, 1)]

    # A later wrong answer in review mode brings a reviewed question back.
    await world.mark(me, [(q[0], "z", S)], reviewing=True)
    assert [question.id for question in (await review(me, quiz.id)).questions] == [q[0], q[1]]

    await world.mark(me, [(q[0], "a", S), (q[1], "b", S)], reviewing=True)
    with pytest.raises(NotFound) as nothing_left:
        await review(me, quiz.id)
    assert nothing_left.value.code is Code.NO_WRONG_ANSWERS
    assert await notes.all(me, None) == []
    assert world.rows("wrong_answers") == 2  # reviewed entries stay in the note's history


async def test_a_correct_answer_outside_review_mode_leaves_the_note_alone(world: World) -> None:
    me = await world.member()
    quiz = await ready_set(world.db.unit_of_work, me, [short("a")])
    await world.mark(me, [(quiz.question_ids[0], "x", S)])
    await world.mark(me, [(quiz.question_ids[0], "a", S)])

    review = await ReviewQuestions(world.db.unit_of_work, UnitOfWorkQuestionSetReads(world.db.unit_of_work))(
        me, quiz.id
    )
    assert [question.id for question in review.questions] == quiz.question_ids


async def test_refused_submissions_write_nothing(world: World) -> None:
    me = await world.member()
    other = await world.member()
    mine = await ready_set(world.db.unit_of_work, me, [short("a"), true_false(True), choice("A", "B", "C", "D")])
    theirs = await ready_set(world.db.unit_of_work, other, [short("a")])
    q = mine.question_ids

    with pytest.raises(NotFound) as foreign:
        await world.mark(me, [(q[0], "x", S), (theirs.question_ids[0], "x", S)])
    assert foreign.value.code is Code.QUESTION_NOT_FOUND
    with pytest.raises(NotFound):
        await world.mark(me, [(q[0], "x", S), (999_999, "x", S)])
    with pytest.raises(InvalidInput):
        await world.mark(me, [])
    with pytest.raises(InvalidInput, match="must be boolean"):
        await world.mark(me, [(q[0], "x", S), (q[1], "true", S)])
    with pytest.raises(InvalidInput, match="must be string"):
        await world.mark(me, [(q[0], "x", S), (q[2], True, B)])
    with pytest.raises(InvalidInput, match="true or false"):
        await world.mark(me, [(q[1], "maybe", B)])
    with pytest.raises(InvalidInput, match="once per submission"):
        await world.mark(me, [(q[0], "x", S), (q[0], "y", S)])

    assert world.rows("wrong_answers") == 0
    assert world.rows("domain_events") == 0
    assert world.rows("learning_stats") == 0


async def test_written_subjective_answers_are_marked_by_the_model_outside_the_transaction(world: World) -> None:
    me = await world.member()
    quiz = await ready_set(
        world.db.unit_of_work, me, [subjective("Light energy becomes chemical energy."), subjective("Water splits.")]
    )
    q = quiz.question_ids
    world.grader = ScriptedGrader(world.db, score=0.6)

    passed = await world.mark(me, [(q[0], "Light turns into chemical energy", S)])
    world.grader.score = 0.59
    failed = await world.mark(me, [(q[1], "Something else", S)])

    assert passed.results[0].is_correct is True
    assert failed.results[0].is_correct is False
    assert failed.results[0].correct_answer == "Water splits."
    assert world.grader.calls[0] == (
        "Question 1?",
        "Light energy becomes chemical energy.",
        "Light turns into chemical energy",
    )
    assert world.grader.inside_transaction == [False, False]


async def test_subjective_self_assessment_and_no_model(world: World) -> None:
    me = await world.member()
    quiz = await ready_set(world.db.unit_of_work, me, [subjective("Model answer."), subjective("Another.")])
    q = quiz.question_ids

    # No model configured: the learner's own verdict marks the answer.
    result = await world.mark(me, [(q[0], True, B), (q[1], False, B)])
    assert [r.is_correct for r in result.results] == [True, False]

    with pytest.raises(InvalidInput, match="memberAnswerType boolean"):
        await world.mark(me, [(q[0], "my essay", S)])


async def test_a_model_outage_is_unavailable_and_writes_nothing(world: World) -> None:
    me = await world.member()
    quiz = await ready_set(world.db.unit_of_work, me, [subjective("Model answer."), short("a")])
    world.grader = ScriptedGrader(world.db, fail=True)

    with pytest.raises(Unavailable):
        await world.mark(me, [(quiz.question_ids[1], "x", S), (quiz.question_ids[0], "essay", S)])
    assert world.rows("wrong_answers") == 0
    assert world.rows("domain_events") == 0


async def test_questions_of_a_deleted_set_cannot_be_marked(world: World) -> None:
    me = await world.member()
    quiz = await ready_set(world.db.unit_of_work, me, [short("a")])
    async with world.db.unit_of_work() as uow:
        question_set = await uow.question_sets.get(me, quiz.id)
        assert question_set is not None
        question_set.delete(world.clock.now())
        await uow.commit()

    with pytest.raises(NotFound):
        await world.mark(me, [(quiz.question_ids[0], "a", S)])
