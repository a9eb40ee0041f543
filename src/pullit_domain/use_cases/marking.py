"""Marking a submission: check every answer, update the wrong-answer note, record the event.

A submission marked by rule alone is read, marked and written in one transaction. When the
model must mark written SUBJECTIVE answers, it does so between a read and the writing
transaction, so no transaction waits on it. Either way the note, the review cards, the stats
and the ``AnswersMarked`` event (outbox, recorded already applied) commit together or not at
all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pullit_domain.errors import Code, Conflict, InvalidInput, NotFound, Unavailable
from pullit_domain.model.marking import (
    MarkedAnswer,
    MarkingResult,
    SubmittedAnswer,
    check_fits,
    correct_answer,
    is_correct_by_rule,
    needs_model,
)
from pullit_domain.model.question_set import Question
from pullit_domain.model.review import ReviewCard, ReviewOrigin, rating_for
from pullit_domain.model.stats import AnswersMarked
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.llm import LLM, GenerationFailed, GenerationImpossible
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from pullit_domain.use_cases.card_reviews import Answered, CardReviewer, desired_retention_of
from pullit_domain.use_cases.member_turns import MemberTurns
from pullit_domain.use_cases.stats import ProjectLearningEvents

MAX_ANSWERS = 200


class MarkAnswers:
    """``POST /api/marking``.

    A member's submissions take turns (``MemberTurns``) before they open their transaction, so
    a member's burst of submissions waits without holding database connections.

    ``grader`` marks written SUBJECTIVE answers (score >= ``pass_score`` is correct); with
    no grader such answers are refused and the learner sends a self-assessment instead.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        grader: LLM | None,
        pass_score: float,
        projector: ProjectLearningEvents | None = None,
        reviewer: CardReviewer | None = None,
        turns: MemberTurns | None = None,
    ) -> None:
        self._uow = uow
        # Shared by every marking of the process; without one, each marking takes its own.
        self._turns = turns or MemberTurns()
        self._reviewer = reviewer
        self._clock = clock
        self._grader = grader
        self._pass_score = pass_score
        self._projector = projector

    async def __call__(self, member_id: int, answers: Sequence[SubmittedAnswer], reviewing: bool) -> MarkingResult:
        self._check_submission(answers)
        try:
            async with self._turns.turn(member_id), self._uow() as uow:
                questions = await self._owned_questions(uow, member_id, answers)
                for answer in answers:
                    check_fits(questions[answer.question_id], answer)
                if not any(needs_model(questions[a.question_id], a) for a in answers):
                    # Every answer is marked by rule: read, mark and write in one transaction.
                    return MarkingResult(await self._record_in(uow, member_id, questions, answers, {}, reviewing))
        except Conflict:
            # A unique key caught a concurrent writer (the member's lock leaves this to writers
            # outside it): mark again from what is there now.
            return MarkingResult(await self._record(member_id, answers, {}, reviewing))
        graded = await self._model_verdicts(questions, answers)
        try:
            results = await self._record(member_id, answers, graded, reviewing)
        except Conflict:
            results = await self._record(member_id, answers, graded, reviewing)
        return MarkingResult(results)

    async def _record(
        self, member_id: int, answers: Sequence[SubmittedAnswer], graded: dict[int, bool], reviewing: bool
    ) -> list[MarkedAnswer]:
        async with self._turns.turn(member_id), self._uow() as uow:
            # Read again: a question deleted while the model was marking is not marked.
            questions = await self._owned_questions(uow, member_id, answers)
            return await self._record_in(uow, member_id, questions, answers, graded, reviewing)

    async def _record_in(
        self,
        uow: UnitOfWork,
        member_id: int,
        questions: dict[int, Question],
        answers: Sequence[SubmittedAnswer],
        graded: dict[int, bool],
        reviewing: bool,
    ) -> list[MarkedAnswer]:
        """Write the submission, its reviews and its effect on the stats, and commit them together.

        The member's lock comes first: their other submissions and reviews wait for this commit,
        so the cards and stats read below are current and nothing another writer did is lost.
        Every write after it is one statement for the whole submission, so the lock is held for
        a fixed number of round trips whatever the number of answers; and every read comes
        before the first write, so a store may send the writes together. (The review settings
        are read before the lock: a change to them racing a submission may apply from the next
        one.)
        """
        retention = await desired_retention_of(uow, member_id) if self._reviewer else 0.0
        await uow.members.lock(member_id)
        now = self._clock.now()
        results = [self._result(questions[a.question_id], a, graded) for a in answers]
        cards = await self._cards_of(uow, member_id, results)
        await self._update_note(uow, member_id, results, reviewing, now)
        await self._review_cards(uow, member_id, results, cards, reviewing, now, retention)
        set_ids = tuple(dict.fromkeys(r.question_set_id for r in results))
        marked = AnswersMarked(member_id, set_ids, len(results), sum(r.is_correct for r in results), reviewing, now)
        if self._projector is not None:
            # The stats change in the same transaction, so they are never behind the marking.
            await self._projector.record_applied(uow, marked.event())
        else:
            await uow.domain_events.record(marked.event())
        await uow.commit()
        return results

    @staticmethod
    def _check_submission(answers: Sequence[SubmittedAnswer]) -> None:
        if not answers:
            raise InvalidInput("submit at least one answer")
        if len(answers) > MAX_ANSWERS:
            raise InvalidInput("at most {max_count} answers at once", max_count=MAX_ANSWERS)
        ids = [a.question_id for a in answers]
        if len(set(ids)) != len(ids):
            raise InvalidInput("each question may be answered once per submission")

    @staticmethod
    async def _owned_questions(
        uow: UnitOfWork, member_id: int, answers: Sequence[SubmittedAnswer]
    ) -> dict[int, Question]:
        ids = [a.question_id for a in answers]
        found = {q.id: q for q in await uow.questions.live_for_ids(member_id, ids) if q.id is not None}
        for question_id in ids:
            if question_id not in found:
                raise NotFound("question {question_id} not found", Code.QUESTION_NOT_FOUND, question_id=question_id)
        return found

    async def _model_verdicts(
        self, questions: dict[int, Question], answers: Sequence[SubmittedAnswer]
    ) -> dict[int, bool]:
        verdicts: dict[int, bool] = {}
        for answer in answers:
            question = questions[answer.question_id]
            if not needs_model(question, answer):
                continue
            if not answer.text.strip():
                verdicts[answer.question_id] = False
                continue
            if self._grader is None:
                raise InvalidInput(
                    "question {question_id}: no model marks written answers here; "
                    "send your own verdict with memberAnswerType boolean",
                    question_id=answer.question_id,
                )
            try:
                grade = await self._grader.grade(question.text, question.answer, answer.text)
            except (GenerationFailed, GenerationImpossible) as error:
                raise Unavailable("the model could not mark the written answers now: {error}", error=error) from error
            verdicts[answer.question_id] = grade.score >= self._pass_score
        return verdicts

    @staticmethod
    def _result(question: Question, answer: SubmittedAnswer, graded: dict[int, bool]) -> MarkedAnswer:
        assert question.id is not None
        correct = graded[question.id] if question.id in graded else is_correct_by_rule(question, answer)
        return MarkedAnswer(
            question.id,
            correct,
            correct_answer(question),
            question.explanation,
            question.question_set_id,
            question.quote,
        )

    @staticmethod
    async def _update_note(
        uow: UnitOfWork, member_id: int, results: list[MarkedAnswer], reviewing: bool, now: datetime
    ) -> None:
        """A wrong answer enters the note (or counts again there); in review mode a right one
        marks its entry reviewed."""
        wrong = [(r.question_id, r.question_set_id) for r in results if not r.is_correct]
        if wrong:
            await uow.wrong_answers.answered_wrong(member_id, wrong, now)
        right = [r.question_id for r in results if r.is_correct]
        if reviewing and right:
            await uow.wrong_answers.reviewed_correctly(member_id, right, now)

    async def _cards_of(self, uow: UnitOfWork, member_id: int, results: list[MarkedAnswer]) -> dict[int, ReviewCard]:
        if self._reviewer is None:
            return {}
        found = await uow.review_cards.for_questions(member_id, [r.question_id for r in results])
        return {card.question_id: card for card in found}

    async def _review_cards(
        self,
        uow: UnitOfWork,
        member_id: int,
        results: list[MarkedAnswer],
        cards: dict[int, ReviewCard],
        reviewing: bool,
        now: datetime,
        retention: float,
    ) -> None:
        """Every answer is also a review of the member's card for the question (made on the first)."""
        if self._reviewer is None:
            return
        origin = ReviewOrigin.WRONG_ANSWER_REVIEW if reviewing else ReviewOrigin.MARKING
        answered = [
            (
                cards.get(r.question_id),
                Answered(
                    member_id, r.question_id, r.question_set_id, r.is_correct, rating_for(r.is_correct), origin, now
                ),
            )
            for r in results
        ]
        await self._reviewer.review_all(uow, answered, retention)
