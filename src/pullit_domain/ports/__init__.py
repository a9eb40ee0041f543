"""The ports: what the domain needs from the outside world, as ``typing.Protocol``s."""

from pullit_domain.ports.clock import Clock
from pullit_domain.ports.file_store import FileStore, PresignedDownload, PresignedUpload, StoredObject
from pullit_domain.ports.identity import AuthorizationRequest, IdentityProvider
from pullit_domain.ports.llm import (
    LLM,
    GeneratedQuestion,
    GeneratedQuestionSet,
    GenerationFailed,
    GenerationImpossible,
    GenerationSpec,
    Grade,
    SourceDocument,
)
from pullit_domain.ports.notifier import MemberEvent, Notifier, Subscription
from pullit_domain.ports.repository import (
    FolderRepository,
    MemberRepository,
    UnitOfWork,
    UnitOfWorkFactory,
)
from pullit_domain.ports.tokens import AccessClaims, AccessTokens

__all__ = [
    "LLM",
    "AccessClaims",
    "AccessTokens",
    "AuthorizationRequest",
    "Clock",
    "FileStore",
    "FolderRepository",
    "GeneratedQuestion",
    "GeneratedQuestionSet",
    "GenerationFailed",
    "GenerationImpossible",
    "GenerationSpec",
    "Grade",
    "IdentityProvider",
    "MemberEvent",
    "MemberRepository",
    "Notifier",
    "PresignedDownload",
    "PresignedUpload",
    "SourceDocument",
    "StoredObject",
    "Subscription",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
