"""Solving (contract "Solving"): mark a submission of answers."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from pullit_domain.model.marking import AnswerKind, SubmittedAnswer
from pullit_domain.use_cases.marking import MarkAnswers
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.ids import Id
from pullit_web.http.openapi import SIGNED_IN_SECURITY, problems

# Written answers go to the model as they are; this bounds the prompt.
MAX_ANSWER_LENGTH = 5000


class AnswerItem(msgspec.Struct, rename="camel"):
    question_id: Id
    member_answer: Annotated[str, msgspec.Meta(max_length=MAX_ANSWER_LENGTH)] | bool
    member_answer_type: AnswerKind


class MarkedItem(msgspec.Struct, rename="camel"):
    question_id: int
    is_correct: bool
    correct_answer: str | bool
    explanation: str
    quote: str | None = None


class MarkingResponse(msgspec.Struct, rename="camel"):
    results: list[MarkedItem]
    total_questions: int
    correct_count: int


class MarkingController(Controller):
    path = "/api/marking"
    tags = ["solving"]
    security = SIGNED_IN_SECURITY

    @post(
        "/",
        status_code=200,
        summary="Mark answers; wrong ones enter the wrong-answer note",
        description="TRUE_FALSE takes `memberAnswerType: boolean`, MULTIPLE_CHOICE and SHORT_ANSWER take "
        "`string`. A SUBJECTIVE answer sent as `string` is marked by the model; sent as `boolean` it is the "
        "learner's own verdict (self-assessment). With `isReviewing=true` a correct answer marks its "
        "note entry reviewed and a wrong one makes it unreviewed again.",
        responses=problems(404, 413),
    )
    async def mark(
        self,
        data: JSONBody[list[AnswerItem]],
        request: SignedInRequest,
        mark_answers: NamedDependency[MarkAnswers],
        is_reviewing: Annotated[bool, QueryParameter(name="isReviewing")] = False,
    ) -> MarkingResponse:
        answers = [SubmittedAnswer(a.question_id, a.member_answer, a.member_answer_type) for a in data]
        result = await mark_answers(request.user.member_id, answers, reviewing=is_reviewing)
        return MarkingResponse(
            results=[
                MarkedItem(r.question_id, r.is_correct, r.correct_answer, r.explanation, r.quote)
                for r in result.results
            ],
            total_questions=result.total_questions,
            correct_count=result.correct_count,
        )
