"""Common folders: how a member sorts question sets and wrong answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FolderType(StrEnum):
    QUESTION_SET = "QUESTION_SET"
    WRONG_ANSWER = "WRONG_ANSWER"


class FolderScope(StrEnum):
    ALL = "ALL"
    CUSTOM = "CUSTOM"


ALL_FOLDER_NAME = "전체"


@dataclass(eq=False)
class CommonFolder:
    member_id: int
    name: str
    type: FolderType
    scope: FolderScope
    sort_order: int = 0
    id: int | None = field(default=None)

    @classmethod
    def default_for(cls, member_id: int, folder_type: FolderType) -> CommonFolder:
        """The ``ALL`` folder every member owns for each folder type."""
        return cls(member_id=member_id, name=ALL_FOLDER_NAME, type=folder_type, scope=FolderScope.ALL)
