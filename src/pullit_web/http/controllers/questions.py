"""Manual question CRUD (contract "Question sets"): owner only."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from pullit_domain.model.question import QuestionType
from pullit_domain.use_cases.questions import ManageQuestions, QuestionDraft
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.controllers.question_sets import QuestionView
from pullit_web.http.ids import MAX_ID, PathId, between
from pullit_web.http.openapi import NOT_BLANK, SIGNED_IN_SECURITY, checked_by_use_case, problems

Text = Annotated[str, msgspec.Meta(max_length=4000)]


class QuestionBody(msgspec.Struct, rename="camel"):
    question_type: QuestionType
    question_text: Annotated[Text, checked_by_use_case(min_length=1, pattern=NOT_BLANK)]
    answer: Annotated[str, msgspec.Meta(max_length=1000)] | bool
    explanation: Text = ""
    options: Annotated[list[Annotated[str, msgspec.Meta(max_length=500)]], msgspec.Meta(max_length=4)] | None = None

    def draft(self) -> QuestionDraft:
        answer = str(self.answer).lower() if isinstance(self.answer, bool) else self.answer
        return QuestionDraft(self.question_type, self.question_text, answer, self.explanation, self.options)


class NewQuestionBody(QuestionBody):
    # 0 (left out) names no set: 404 like any set that is not the caller's.
    question_set_id: Annotated[int, between(0, MAX_ID)] = 0


class QuestionController(Controller):
    path = "/api/question"
    tags = ["questions"]
    security = SIGNED_IN_SECURITY

    @post("/", status_code=201, summary="Add a question to one of your COMPLETE sets", responses=problems(404, 413))
    async def create(
        self,
        data: JSONBody[NewQuestionBody],
        request: SignedInRequest,
        manage_questions: NamedDependency[ManageQuestions],
    ) -> Response[QuestionView]:
        question = await manage_questions.create(request.user.member_id, data.question_set_id, data.draft())
        return Response(
            QuestionView.of(question), status_code=201, headers={"Location": f"/api/question/{question.id}"}
        )

    @get("/{question_id:int}", summary="One of your questions", responses=problems(404))
    async def get_one(
        self,
        question_id: PathId,
        request: SignedInRequest,
        manage_questions: NamedDependency[ManageQuestions],
    ) -> QuestionView:
        return QuestionView.of(await manage_questions.get(request.user.member_id, question_id))

    @put("/{question_id:int}", summary="Rewrite one of your questions (its type stays)", responses=problems(404, 413))
    async def replace(
        self,
        question_id: PathId,
        data: JSONBody[QuestionBody],
        request: SignedInRequest,
        manage_questions: NamedDependency[ManageQuestions],
    ) -> QuestionView:
        return QuestionView.of(await manage_questions.update(request.user.member_id, question_id, data.draft()))

    @delete("/{question_id:int}", status_code=204, summary="Delete one of your questions", responses=problems(404))
    async def remove(
        self,
        question_id: PathId,
        request: SignedInRequest,
        manage_questions: NamedDependency[ManageQuestions],
    ) -> None:
        await manage_questions.delete(request.user.member_id, question_id)
