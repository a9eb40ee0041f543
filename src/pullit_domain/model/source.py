"""Study material: the PDFs a member uploads, the folder they sit in, and object-key rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pullit_domain.model.random_hex import random_hex_id

PDF = "application/pdf"
PDF_MAGIC = b"%PDF-"
DEFAULT_SOURCE_FOLDER_NAME = "기본 폴더"
KEY_PREFIX = "learning-sources"

_KEY = re.compile(rf"^{KEY_PREFIX}/\d{{4}}/\d{{2}}/\d{{2}}/member-(?P<member>\d+)/(?P<upload>[0-9a-f]{{32}})\.pdf$")


class SourceStatus(StrEnum):
    UPLOADED = "UPLOADED"
    READY = "READY"
    FAILED = "FAILED"
    DELETED = "DELETED"


@dataclass(eq=False)
class SourceFolder:
    """Where a member's study material sits; distinct from the common folders of question sets."""

    member_id: int
    name: str
    is_default: bool = True
    id: int | None = field(default=None)


@dataclass(eq=False)
class LearningSource:
    """One uploaded PDF.

    ``page_count`` stays ``None`` while the document waits to be read (``UPLOADED``) and
    also after reading when the PDF is encrypted or unreadable: such a source is
    ``READY`` (it can be listed, downloaded and deleted) and generation later refuses it
    with a clear reason, which is kinder than hiding a file the member just uploaded.
    """

    member_id: int
    folder_id: int
    object_key: str
    original_name: str
    content_type: str
    size_bytes: int
    created_at: datetime
    status: SourceStatus = SourceStatus.UPLOADED
    page_count: int | None = None
    deleted_at: datetime | None = None
    id: int | None = field(default=None)

    def read(self, page_count: int | None) -> None:
        """The document was read: it is usable, with its page count when one could be found."""
        if self.status is SourceStatus.UPLOADED:
            self.status = SourceStatus.READY
            self.page_count = page_count

    def lose(self) -> None:
        """The stored object vanished before it could be read."""
        if self.status is SourceStatus.UPLOADED:
            self.status = SourceStatus.FAILED

    def delete(self, at: datetime) -> None:
        # The row stays so question sets made from it keep their reference.
        self.status = SourceStatus.DELETED
        self.deleted_at = at


@dataclass(eq=False)
class PendingObjectDeletion:
    """An object the store still has to forget; retried by background work until it succeeds."""

    object_key: str
    created_at: datetime
    attempts: int = 0
    id: int | None = field(default=None)


@dataclass(frozen=True)
class SourceSummary:
    """A source as the member's list shows it, with what later features know about it."""

    source: LearningSource
    folder_name: str
    question_set_count: int = 0
    recent_question_generated_at: datetime | None = None


def object_key(member_id: int, upload_id: str, on: datetime) -> str:
    # The date from its fields: strftime costs more than the rest of the key together.
    return f"{KEY_PREFIX}/{on.year:04d}/{on.month:02d}/{on.day:02d}/member-{member_id}/{upload_id}.pdf"


def new_upload_id() -> str:
    # 128 random bits in 32 hex digits, as uuid4().hex but without building a UUID object.
    return random_hex_id()


def key_belongs_to(key: str, member_id: int, upload_id: str) -> bool:
    """Whether ``key`` is a source key of this member for this upload (and nothing else)."""
    match = _KEY.fullmatch(key)
    return match is not None and match["member"] == str(member_id) and match["upload"] == upload_id
