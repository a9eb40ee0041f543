"""Manual question CRUD: a member edits the questions of their own sets."""

from __future__ import annotations

from dataclasses import dataclass

from pullit_domain.errors import Code, InvalidInput, NotFound
from pullit_domain.generation import MAX_SHORT_ANSWER_LENGTH, OPTION_COUNT
from pullit_domain.model.question import QuestionType
from pullit_domain.model.question_set import Question, QuestionSetStatus
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class QuestionDraft:
    question_type: QuestionType
    text: str
    answer: str
    explanation: str = ""
    options: list[str] | None = None


def checked(draft: QuestionDraft) -> QuestionDraft:
    """The same rules generated questions obey, with messages for a person."""
    text, answer = draft.text.strip(), draft.answer.strip()
    if not text:
        raise InvalidInput("questionText must not be empty")
    options = None
    if draft.question_type is QuestionType.MULTIPLE_CHOICE:
        options = [option.strip() for option in draft.options or []]
        if len(options) != OPTION_COUNT or len({o.casefold() for o in options}) != OPTION_COUNT or not all(options):
            raise InvalidInput(
                "a multiple-choice question needs {option_count} distinct, non-empty options", option_count=OPTION_COUNT
            )
        if answer not in options:
            raise InvalidInput("the answer must be one of the options")
    elif draft.options:
        raise InvalidInput("only multiple-choice questions have options")
    if draft.question_type is QuestionType.TRUE_FALSE:
        if answer.lower() not in ("true", "false"):
            raise InvalidInput("a true/false answer is true or false")
        answer = answer.lower()
    if draft.question_type is QuestionType.SHORT_ANSWER and len(answer) > MAX_SHORT_ANSWER_LENGTH:
        raise InvalidInput(
            "a short answer has at most {max_length} characters",
            max_length=MAX_SHORT_ANSWER_LENGTH,
        )
    if not answer:
        raise InvalidInput("answer must not be empty")
    return QuestionDraft(draft.question_type, text, answer, draft.explanation.strip(), options)


class ManageQuestions:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def create(self, member_id: int, set_id: int, draft: QuestionDraft) -> Question:
        draft = checked(draft)
        async with self._uow() as uow:
            question_set = await uow.question_sets.get(member_id, set_id)
            if question_set is None:
                raise NotFound("question set {set_id} not found", Code.QUESTION_SET_NOT_FOUND, set_id=set_id)
            if question_set.status is not QuestionSetStatus.COMPLETE:
                raise InvalidInput("questions can be added to a COMPLETE set only", Code.QUESTION_SET_PENDING)
            if draft.question_type is not question_set.question_type:
                raise InvalidInput("this set holds {question_type} questions", question_type=question_set.question_type)
            existing = await uow.questions.for_set(set_id)
            question = Question(
                question_set_id=set_id,
                member_id=member_id,
                question_type=draft.question_type,
                text=draft.text,
                answer=draft.answer,
                explanation=draft.explanation,
                position=max((q.position for q in existing), default=-1) + 1,
                options=draft.options,
            )
            await uow.questions.add(question)
            question_set.question_count = len(existing) + 1
            question_set.updated_at = self._clock.now()
            await uow.commit()
        return question

    async def get(self, member_id: int, question_id: int) -> Question:
        async with self._uow() as uow:
            return await self._owned(uow, member_id, question_id)

    async def update(self, member_id: int, question_id: int, draft: QuestionDraft) -> Question:
        draft = checked(draft)
        async with self._uow() as uow:
            question = await self._owned(uow, member_id, question_id)
            if draft.question_type is not question.question_type:
                raise InvalidInput("a question keeps its type")
            question.text, question.answer, question.explanation = draft.text, draft.answer, draft.explanation
            question.options = draft.options
            await uow.commit()
        return question

    async def delete(self, member_id: int, question_id: int) -> None:
        async with self._uow() as uow:
            question = await self._owned(uow, member_id, question_id)
            question_set = await uow.question_sets.get(member_id, question.question_set_id)
            await uow.questions.delete(question)
            if question_set is not None:
                question_set.question_count = max(0, question_set.question_count - 1)
                question_set.updated_at = self._clock.now()
            await uow.commit()

    @staticmethod
    async def _owned(uow: UnitOfWork, member_id: int, question_id: int) -> Question:
        question = await uow.questions.get(member_id, question_id)
        if question is None or await uow.question_sets.get(member_id, question.question_set_id) is None:
            raise NotFound("question {question_id} not found", Code.QUESTION_NOT_FOUND, question_id=question_id)
        return question
