"""Entities and value objects."""

from pullit_domain.model.folder import CommonFolder, FolderScope, FolderType
from pullit_domain.model.member import ExternalIdentity, Member, Role
from pullit_domain.model.question import Difficulty, QuestionType

__all__ = [
    "CommonFolder",
    "Difficulty",
    "ExternalIdentity",
    "FolderScope",
    "FolderType",
    "Member",
    "QuestionType",
    "Role",
]
