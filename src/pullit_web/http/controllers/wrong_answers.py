"""The wrong-answer note (contract "Wrong-answer note, folders, stats")."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency

from pullit_domain.model.question import Difficulty
from pullit_domain.use_cases.wrong_answers import MAX_PAGE, ListWrongAnswers, WrongAnswerSummary
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.ids import MAX_ID, query_between
from pullit_web.http.openapi import SIGNED_IN_SECURITY, problems


class WrongAnswerItem(msgspec.Struct, rename="camel"):
    question_set_id: int
    question_set_title: str
    source_names: list[str]
    difficulty: Difficulty
    major_topic: str
    incorrect_count: int
    category: str

    @classmethod
    def of(cls, summary: WrongAnswerSummary) -> WrongAnswerItem:
        return cls(
            question_set_id=summary.question_set_id,
            question_set_title=summary.question_set_title,
            source_names=summary.source_names,
            difficulty=summary.difficulty,
            major_topic=summary.major_topic,
            incorrect_count=summary.incorrect_count,
            category=summary.category,
        )


class WrongAnswerPageBody(msgspec.Struct, rename="camel"):
    content: list[WrongAnswerItem]
    next_cursor: int | None
    has_next: bool
    size: int


class WrongAnswersController(Controller):
    path = "/api/wrong-answers"
    tags = ["wrong-answer note"]
    security = SIGNED_IN_SECURITY

    @get(
        "/",
        summary="Question sets with wrong answers to review, newest set first",
        description="`incorrectCount`: questions of the set waiting for review; `majorTopic`: the set's question "
        "type; `category`: the name of the folder the set is filed in. `cursor`: set ids strictly below.",
        responses=problems(),
    )
    async def page(
        self,
        request: SignedInRequest,
        list_wrong_answers: NamedDependency[ListWrongAnswers],
        cursor: Annotated[int | None, query_between(1, MAX_ID)] = None,
        size: Annotated[int, query_between(1, MAX_PAGE)] = 20,
    ) -> WrongAnswerPageBody:
        page = await list_wrong_answers.page(request.user.member_id, cursor, size)
        return WrongAnswerPageBody(
            content=[WrongAnswerItem.of(item) for item in page.items],
            next_cursor=page.next_cursor,
            has_next=page.next_cursor is not None,
            size=page.size,
        )

    @get(
        "/all",
        summary="Every question set with wrong answers to review; optionally of one folder",
        responses=problems(404),
    )
    async def all(
        self,
        request: SignedInRequest,
        list_wrong_answers: NamedDependency[ListWrongAnswers],
        folder_id: Annotated[int | None, query_between(1, MAX_ID, "folderId")] = None,
    ) -> list[WrongAnswerItem]:
        return [WrongAnswerItem.of(item) for item in await list_wrong_answers.all(request.user.member_id, folder_id)]
