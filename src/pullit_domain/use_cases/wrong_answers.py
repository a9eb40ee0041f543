"""Reading the wrong-answer note, and the review round of one question set.

The note lists question sets that still have unreviewed wrong answers, newest set first:
``incorrect_count`` is how many of the set's questions wait for review, ``major_topic``
is the set's question type and ``category`` the name of the folder the set is filed in.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pullit_domain.errors import Code, InvalidInput, NotFound
from pullit_domain.model.folder import FolderScope
from pullit_domain.model.question import Difficulty
from pullit_domain.ports.question_set_reads import QuestionRead, QuestionSetReads
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from pullit_domain.ports.wrong_answer_reads import WrongAnswerReads, WrongAnswerSetRead
from pullit_domain.use_cases.question_sets import GetQuestionSet, QuestionSetView

MAX_PAGE = 100


@dataclass(frozen=True)
class WrongAnswerSummary:
    question_set_id: int
    question_set_title: str
    source_names: list[str]
    difficulty: Difficulty
    major_topic: str
    incorrect_count: int
    category: str


@dataclass(frozen=True)
class WrongAnswerPage:
    items: list[WrongAnswerSummary]
    next_cursor: int | None
    size: int


class ListWrongAnswers:
    def __init__(self, reads: WrongAnswerReads) -> None:
        self._reads = reads

    async def page(self, member_id: int, cursor: int | None, size: int) -> WrongAnswerPage:
        if not 1 <= size <= MAX_PAGE:
            raise InvalidInput("size must be between 1 and {max_size}", max_size=MAX_PAGE)
        sets = await self._reads.sets(member_id, None, cursor, size + 1)
        has_next = len(sets) > size
        sets = sets[:size]
        next_cursor = sets[-1].question_set_id if has_next and sets else None
        return WrongAnswerPage([_summary(s) for s in sets], next_cursor, size)

    async def all(self, member_id: int, folder_id: int | None) -> list[WrongAnswerSummary]:
        """Every set of the note; with ``folder_id`` only the sets filed in that folder (an
        ALL folder, of either type, means every set)."""
        if folder_id is not None:
            scope = await self._reads.folder_scope(member_id, folder_id)
            if scope is None:
                raise NotFound("folder {folder_id} not found", Code.FOLDER_NOT_FOUND, folder_id=folder_id)
            if scope is FolderScope.ALL:
                folder_id = None
        return [_summary(s) for s in await self._reads.sets(member_id, folder_id, None, None)]


def _summary(read: WrongAnswerSetRead) -> WrongAnswerSummary:
    return WrongAnswerSummary(
        question_set_id=read.question_set_id,
        question_set_title=read.title,
        source_names=read.source_names,
        difficulty=read.difficulty,
        major_topic=read.question_type.value,
        incorrect_count=read.unreviewed_count,
        category=read.folder_name,
    )


async def only_unreviewed(
    uow: UnitOfWork, member_id: int, set_id: int, questions: list[QuestionRead]
) -> list[QuestionRead]:
    """The questions of a set whose wrong answers wait for review (``isReviewing=true``), in
    their order; none is 404 ``WAN_002``."""
    waiting = await uow.wrong_answers.unreviewed_question_ids(member_id, set_id)
    kept = [q for q in questions if q.id in waiting]
    if not kept:
        raise NotFound("this question set has no wrong answers to review", Code.NO_WRONG_ANSWERS)
    return kept


class ReviewQuestions:
    """``GET /api/question-set/{id}?isReviewing=true`` as a use case: the set as
    ``GetQuestionSet`` reads it, with only the questions that wait for review."""

    def __init__(self, uow: UnitOfWorkFactory, reads: QuestionSetReads) -> None:
        self._uow = uow
        self._get = GetQuestionSet(reads)

    async def __call__(self, member_id: int, set_id: int) -> QuestionSetView:
        view = await self._get(member_id, set_id)
        async with self._uow() as uow:
            questions = await only_unreviewed(uow, member_id, set_id, view.questions)
        return dataclasses.replace(view, questions=questions)


class OpenQuestionSet:
    """``GET /api/question-set/{id}``: the whole set to solve, or with ``reviewing`` only the
    questions whose wrong answers wait for review."""

    def __init__(self, uow: UnitOfWorkFactory, reads: QuestionSetReads) -> None:
        self._whole = GetQuestionSet(reads)
        self._review = ReviewQuestions(uow, reads)

    async def __call__(self, member_id: int, set_id: int, reviewing: bool = False) -> QuestionSetView:
        return await (self._review if reviewing else self._whole)(member_id, set_id)
