"""Question sets (contract "Question sets"): ask for one, read, list, edit, delete, retry."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, JSONBody, QueryParameter

from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import MAX_QUESTIONS, Question, QuestionSetStatus
from pullit_domain.ports.question_set_reads import QuestionRead, QuestionSetRead
from pullit_domain.use_cases.question_sets import (
    CreateQuestionSet,
    DeleteQuestionSet,
    ListQuestionSets,
    NewQuestionSet,
    QuestionSetPage,
    RetryQuestionSet,
    UpdateQuestionSet,
)
from pullit_domain.use_cases.wrong_answers import OpenQuestionSet
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.ids import MAX_ID, Id, PathId, between, query_between
from pullit_web.http.openapi import SIGNED_IN_SECURITY, empty, integer_items, problems
from pullit_web.http.rate_limits import Budget, rate_limited

MAX_PAGE_SIZE = 100


class CreateQuestionSetRequest(msgspec.Struct, rename="camel", forbid_unknown_fields=False):
    source_ids: Annotated[
        list[Id],
        msgspec.Meta(min_length=1, max_length=20, extra_json_schema={"extra": {"items": integer_items(1, MAX_ID)}}),
    ]
    type: QuestionType
    difficulty: Difficulty
    question_count: Annotated[int, between(1, MAX_QUESTIONS)]
    common_folder_id: Id | None = None
    title: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    # The language to write this set in (``en``, ``ko-KR``); else PULLIT_QUESTION_LANGUAGE, else the member's.
    language: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")] | None = None


class UpdateQuestionSetRequest(msgspec.Struct, rename="camel"):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    common_folder_id: Id | None = None


class QuestionSource(msgspec.Struct, rename="camel"):
    source_id: int
    page: int | None
    # The passage of that page the answer rests on; null only for questions from before grounding.
    quote: str | None = None


class QuestionView(msgspec.Struct, rename="camel", omit_defaults=True):
    id: int
    question_type: QuestionType
    question_text: str
    answer: str | bool
    explanation: str
    options: list[str] | None = None
    source: QuestionSource | None = None

    @classmethod
    def of(cls, question: Question | QuestionRead) -> QuestionView:
        assert question.id is not None
        answer: str | bool = question.answer
        if question.question_type is QuestionType.TRUE_FALSE:
            answer = question.answer.lower() == "true"
        return cls(
            id=question.id,
            question_type=question.question_type,
            question_text=question.text,
            answer=answer,
            explanation=question.explanation,
            options=list(question.options) if question.options is not None else None,
            source=QuestionSource(question.source_id, question.page, question.quote)
            if question.source_id is not None
            else None,
        )


class QuestionSetView(msgspec.Struct, rename="camel"):
    id: int
    source_ids: list[int]
    owner_id: int = msgspec.field(name="ownerID")
    title: str = ""
    questions: list[QuestionView] = msgspec.field(default_factory=list)
    difficulty: Difficulty = Difficulty.EASY
    type: QuestionType = QuestionType.MULTIPLE_CHOICE
    question_length: int = 0
    status: QuestionSetStatus = QuestionSetStatus.COMPLETE
    common_folder_id: int = 0
    common_folder_name: str = ""
    create_time: datetime | None = None
    update_time: datetime | None = None
    requested: int = 0
    delivered: int = 0


class QuestionSetSummary(msgspec.Struct, rename="camel"):
    question_set_id: int
    title: str
    source_ids: list[int]
    source_names: list[str]
    question_count: int
    difficulty_type: Difficulty
    question_type: QuestionType
    status: QuestionSetStatus
    common_folder_id: int
    common_folder_name: str
    created_at: datetime
    requested: int
    delivered: int


class SummaryPage(msgspec.Struct, rename="camel"):
    content: list[QuestionSetSummary]
    next_cursor: int | None
    has_next: bool
    size: int


class QuestionSetList(msgspec.Struct, rename="camel"):
    question_sets: SummaryPage
    learning_progress: int


def summaries(page: QuestionSetPage) -> list[QuestionSetSummary]:
    return [_summary(item, page) for item in page.items]


def _summary(item: QuestionSetRead, page: QuestionSetPage) -> QuestionSetSummary:
    return QuestionSetSummary(
        question_set_id=item.id,
        title=item.title,
        source_ids=list(item.source_ids),
        source_names=[page.source_names.get(source_id, "") for source_id in item.source_ids],
        question_count=item.question_count,
        difficulty_type=item.difficulty,
        question_type=item.question_type,
        status=item.status,
        common_folder_id=item.folder_id,
        common_folder_name=item.folder_name,
        created_at=item.created_at,
        requested=item.question_count,
        delivered=item.delivered,
    )


class QuestionSetController(Controller):
    path = "/api/question-set"
    tags = ["question sets"]
    security = SIGNED_IN_SECURITY

    @post(
        "/",
        status_code=201,
        summary="Ask for a question set; it is written in the background",
        description="Returns 201 with `Location` at once; the set is PENDING until a worker settles it. "
        "The same `Idempotency-Key` within 24 h returns the same set and creates nothing; "
        "the same key with a different body is 409 `COMMON_008`.",
        middleware=rate_limited(Budget.QUESTION_SETS),
        responses=problems(404, 409, 413, 429) | empty(201, "Accepted for writing; `Location` names the new set"),
    )
    async def create(
        self,
        data: JSONBody[CreateQuestionSetRequest],
        request: SignedInRequest,
        create_question_set: NamedDependency[CreateQuestionSet],
        idempotency_key: Annotated[str | None, HeaderParameter(name="Idempotency-Key", max_length=100)] = None,
    ) -> Response[bytes]:
        set_id = await create_question_set(
            NewQuestionSet(
                member_id=request.user.member_id,
                source_ids=data.source_ids,
                question_type=data.type,
                difficulty=data.difficulty,
                question_count=data.question_count,
                folder_id=data.common_folder_id,
                title=data.title,
                idempotency_key=idempotency_key,
                language=data.language,
            )
        )
        return Response(b"", status_code=201, headers={"Location": f"/api/question-set/{set_id}"})

    @get("/all", summary="Every question set of the caller, newest first", responses=problems())
    async def list_all(
        self, request: SignedInRequest, list_question_sets: NamedDependency[ListQuestionSets]
    ) -> list[QuestionSetSummary]:
        return summaries(await list_question_sets.all(request.user.member_id))

    @get("/", summary="A cursor page of the caller's question sets, newest first", responses=problems(404))
    async def list_page(
        self,
        request: SignedInRequest,
        list_question_sets: NamedDependency[ListQuestionSets],
        cursor: Annotated[int | None, query_between(1, MAX_ID)] = None,
        size: Annotated[int, query_between(1, MAX_PAGE_SIZE)] = 10,
        folder_id: Annotated[int | None, query_between(1, MAX_ID, "folderId")] = None,
    ) -> QuestionSetList:
        page = await list_question_sets.page(request.user.member_id, folder_id, cursor, size)
        return QuestionSetList(
            question_sets=SummaryPage(
                content=summaries(page), next_cursor=page.next_cursor, has_next=page.next_cursor is not None, size=size
            ),
            learning_progress=page.learning_progress,
        )

    @get("/{set_id:int}", summary="One question set with its questions", responses=problems(404, 422))
    async def get_one(
        self,
        set_id: PathId,
        request: SignedInRequest,
        open_question_set: NamedDependency[OpenQuestionSet],
        is_reviewing: Annotated[bool, QueryParameter(name="isReviewing")] = False,
    ) -> QuestionSetView:
        view = await open_question_set(request.user.member_id, set_id, reviewing=is_reviewing)
        item = view.question_set
        return QuestionSetView(
            id=item.id,
            source_ids=list(item.source_ids),
            owner_id=item.member_id,
            title=item.title,
            questions=[QuestionView.of(q) for q in view.questions],
            difficulty=item.difficulty,
            type=item.question_type,
            question_length=len(view.questions),
            status=item.status,
            common_folder_id=item.folder_id,
            common_folder_name=view.folder_name,
            create_time=item.created_at,
            update_time=item.updated_at,
            requested=item.question_count,
            delivered=item.delivered,
        )

    @patch(
        "/{set_id:int}",
        summary="Rename a set or move it to another folder",
        responses=problems(404, 413) | empty(200, "Renamed or moved"),
    )
    async def update(
        self,
        set_id: PathId,
        data: JSONBody[UpdateQuestionSetRequest],
        request: SignedInRequest,
        update_question_set: NamedDependency[UpdateQuestionSet],
    ) -> Response[bytes]:
        await update_question_set(request.user.member_id, set_id, data.title, data.common_folder_id)
        return Response(b"")

    @delete(
        "/{set_id:int}",
        status_code=200,
        summary="Delete a set (soft delete)",
        responses=problems(404) | empty(200, "Deleted"),
    )
    async def remove(
        self,
        set_id: PathId,
        request: SignedInRequest,
        delete_question_set: NamedDependency[DeleteQuestionSet],
    ) -> Response[bytes]:
        await delete_question_set(request.user.member_id, set_id)
        return Response(b"")

    @post(
        "/{set_id:int}/retry",
        status_code=202,
        summary="Send a FAILED set back to PENDING",
        responses=problems(404, 409) | empty(202, "Back to PENDING; a worker picks it up"),
    )
    async def retry(
        self,
        set_id: PathId,
        request: SignedInRequest,
        retry_question_set: NamedDependency[RetryQuestionSet],
    ) -> Response[bytes]:
        await retry_question_set(request.user.member_id, set_id)
        return Response(b"", status_code=202)
