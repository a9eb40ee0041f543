"""The in-memory wrong-answer note."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pullit_domain.errors import Conflict
from pullit_domain.model.question_set import Question, QuestionSet
from pullit_domain.model.wrong_answer import WrongAnswer, WrongAnswerGroup

if TYPE_CHECKING:
    from pullit_adapters.memory.table import Table

MARKING_TABLES = ("wrong_answers",)


class InMemoryWrongAnswerRepository:
    def __init__(self, tables: dict[str, Table[Any]]) -> None:
        self._entries: Table[WrongAnswer] = tables["wrong_answers"]
        self._sets: Table[QuestionSet] = tables["question_sets"]
        self._questions: Table[Question] = tables["questions"]

    def _owned(self, member_id: int) -> list[WrongAnswer]:
        # SQL deletes an entry with its question (ON DELETE CASCADE); here it is just skipped.
        return [
            e for e in self._entries.rows.values() if e.member_id == member_id and e.question_id in self._questions.rows
        ]

    async def add(self, entry: WrongAnswer) -> None:
        if any(e.question_id == entry.question_id for e in self._owned(entry.member_id)):
            raise Conflict("this question is already in the note")
        self._entries.insert(entry)

    async def for_questions(self, member_id: int, question_ids: Sequence[int]) -> list[WrongAnswer]:
        wanted = set(question_ids)
        return [e for e in self._owned(member_id) if e.question_id in wanted]

    async def answered_wrong(self, member_id: int, answers: Sequence[tuple[int, int]], at: datetime) -> None:
        entries = {e.question_id: e for e in self._owned(member_id)}
        for question_id, set_id in answers:
            entry = entries.get(question_id)
            if entry is None:
                self._entries.insert(WrongAnswer(member_id, question_id, set_id, created_at=at, updated_at=at))
            else:
                entry.answered_wrong(at)

    async def reviewed_correctly(self, member_id: int, question_ids: Sequence[int], at: datetime) -> None:
        for entry in await self.for_questions(member_id, question_ids):
            entry.reviewed_correctly(at)

    async def unreviewed_question_ids(self, member_id: int, question_set_id: int) -> set[int]:
        return {
            e.question_id for e in self._owned(member_id) if e.question_set_id == question_set_id and not e.reviewed
        }

    async def unreviewed_groups(
        self, member_id: int, folder_id: int | None, cursor: int | None, limit: int | None
    ) -> list[WrongAnswerGroup]:
        counts = Counter(e.question_set_id for e in self._owned(member_id) if not e.reviewed)
        groups = []
        for set_id in sorted(counts, reverse=True):
            question_set = self._sets.rows.get(set_id)
            if question_set is None or question_set.deleted_at is not None:
                continue
            if folder_id is not None and question_set.folder_id != folder_id:
                continue
            if cursor is not None and set_id >= cursor:
                continue
            groups.append(WrongAnswerGroup(set_id, counts[set_id]))
        return groups if limit is None else groups[:limit]
