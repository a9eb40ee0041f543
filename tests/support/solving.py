"""Question sets ready to solve, written straight through a unit of work (no generation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from litestar import Litestar

from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import Question, QuestionSet, QuestionSetStatus
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.question_sets import all_folder
from tests.support.members import SignedIn, sign_in

CREATED = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    """One question: its type, answer and (multiple choice) options."""

    kind: QuestionType
    answer: str
    options: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ReadySet:
    id: int
    question_ids: list[int]


def short(answer: str) -> Spec:
    return Spec(QuestionType.SHORT_ANSWER, answer)


def choice(answer: str, *others: str) -> Spec:
    return Spec(QuestionType.MULTIPLE_CHOICE, answer, (answer, *others))


def true_false(answer: bool) -> Spec:
    return Spec(QuestionType.TRUE_FALSE, "true" if answer else "false")


def subjective(model_answer: str) -> Spec:
    return Spec(QuestionType.SUBJECTIVE, model_answer)


async def ready_set(
    uow_factory: UnitOfWorkFactory,
    member_id: int,
    specs: Sequence[Spec],
    *,
    title: str = "Photosynthesis",
    folder_id: int | None = None,
    status: QuestionSetStatus = QuestionSetStatus.COMPLETE,
) -> ReadySet:
    """A question set of the member (in the ALL folder unless told) with these questions."""
    async with uow_factory() as uow:
        question_set = QuestionSet(
            member_id=member_id,
            title=title,
            question_type=specs[0].kind if specs else QuestionType.SHORT_ANSWER,
            difficulty=Difficulty.EASY,
            question_count=len(specs),
            source_ids=[],
            folder_id=folder_id if folder_id is not None else await all_folder(uow, member_id),
            created_at=CREATED,
            updated_at=CREATED,
            status=status,
        )
        await uow.question_sets.add(question_set)
        assert question_set.id is not None
        questions = []
        for position, spec in enumerate(specs):
            question = Question(
                question_set_id=question_set.id,
                member_id=member_id,
                question_type=spec.kind,
                text=f"Question {position + 1}?",
                answer=spec.answer,
                explanation=f"Because {spec.answer}.",
                quote=f"The material says {spec.answer}.",
                position=position,
                options=list(spec.options) if spec.options is not None else None,
            )
            await uow.questions.add(question)
            assert question.id is not None
            questions.append(question.id)
        await uow.commit()
    return ReadySet(question_set.id, questions)


async def signed_in(app: Litestar, uow_factory: UnitOfWorkFactory, name: str = "Learner") -> SignedIn:
    """A brand-new member, made through ``uow_factory``, with a valid access token."""
    return await sign_in(app, name, uow_factory)
