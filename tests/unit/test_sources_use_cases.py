"""Study-material use cases on the in-memory fakes: permits, verified completion, deletion
that is owed durably when the store is down, and background page counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullit_adapters.memory import InMemoryDatabase, InMemoryFileStore, ManualClock
from pullit_adapters.memory.source_reads import UnitOfWorkSourceReads
from pullit_adapters.pdf import PypdfPageCounter
from pullit_domain.errors import Code, InvalidInput, NotFound, Unavailable
from pullit_domain.model.source import SourceStatus
from pullit_domain.use_cases.sources import (
    CompleteUpload,
    DeleteSource,
    IssueUploadPermit,
    ListSources,
    ReadPageCounts,
    RetryObjectDeletions,
    UploadPermit,
)

PDF = b"%PDF-1.4\n" + b"x" * 100
MEMBER, OTHER = 1, 2


class FlakyStore(InMemoryFileStore):
    """A store whose deletions fail while ``down`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False

    async def delete(self, key: str) -> None:
        if self.down:
            raise Unavailable("store down")
        await super().delete(key)


@pytest.fixture
def db() -> InMemoryDatabase:
    return InMemoryDatabase()


@pytest.fixture
def store() -> FlakyStore:
    return FlakyStore()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


async def uploaded(
    db: InMemoryDatabase, store: FlakyStore, clock: ManualClock, data: bytes = PDF, member: int = MEMBER
) -> tuple[UploadPermit, int]:
    issue = IssueUploadPermit(store, clock, max_size=1_000_000)
    permit = await issue(member, "notes.pdf", "application/pdf", len(data))
    store.put(permit.file_path, data, "application/pdf")
    recorded = await CompleteUpload(db.unit_of_work, store, clock)(
        member, permit.upload_id, permit.file_path, "notes.pdf", "application/pdf", len(data)
    )
    return permit, recorded.id


async def test_a_permit_names_a_fresh_key_under_the_members_prefix(store: FlakyStore, clock: ManualClock) -> None:
    issue = IssueUploadPermit(store, clock, max_size=1000)

    first = await issue(MEMBER, "a.pdf", "Application/PDF; charset=binary", 10)
    second = await issue(MEMBER, "a.pdf", "application/pdf", 10)

    assert first.file_path == f"learning-sources/2026/01/05/member-1/{first.upload_id}.pdf"
    assert first.file_path != second.file_path
    assert first.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("content_type", "size", "code"),
    [
        ("text/plain", 10, Code.FILE_TYPE),
        ("application/pdf", 0, Code.FILE_SIZE),
        ("application/pdf", 1001, Code.FILE_SIZE),
    ],
)
async def test_a_permit_is_refused_for_other_types_and_sizes(
    store: FlakyStore, clock: ManualClock, content_type: str, size: int, code: Code
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await IssueUploadPermit(store, clock, max_size=1000)(MEMBER, "a.pdf", content_type, size)
    assert refused.value.code is code


async def test_a_permit_names_the_file_by_the_last_segment_of_a_client_path(
    store: FlakyStore, clock: ManualClock
) -> None:
    issue = IssueUploadPermit(store, clock, max_size=1000)

    permit = await issue(MEMBER, "C:\\notes\\ 강의 1.pdf ", "application/pdf", 10)

    assert permit.original_name == "강의 1.pdf"


@pytest.mark.parametrize("file_name", ["", "dir/", "a\x00.pdf", "a\n.pdf", "a\x1f.pdf", "a" * 252 + ".pdf"])
async def test_a_permit_is_refused_for_names_that_are_blank_too_long_or_hold_control_characters(
    store: FlakyStore, clock: ManualClock, file_name: str
) -> None:
    with pytest.raises(InvalidInput):
        await IssueUploadPermit(store, clock, max_size=1000)(MEMBER, file_name, "application/pdf", 10)


async def test_the_first_upload_creates_the_default_source_folder_once(
    db: InMemoryDatabase, store: FlakyStore, clock: ManualClock
) -> None:
    await uploaded(db, store, clock)
    await uploaded(db, store, clock)

    listed = await ListSources(UnitOfWorkSourceReads(db.unit_of_work))(MEMBER)
    assert len(listed) == 2
    assert {s.folder_name for s in listed} == {"기본 폴더"}
    assert len(db.tables["source_folders"].rows) == 1


async def test_completing_a_deleted_upload_again_is_refused(
    db: InMemoryDatabase, store: FlakyStore, clock: ManualClock
) -> None:
    permit, source_id = await uploaded(db, store, clock)
    await DeleteSource(db.unit_of_work, store, clock)(MEMBER, source_id)
    store.put(permit.file_path, PDF, "application/pdf")

    with pytest.raises(InvalidInput) as refused:
        await CompleteUpload(db.unit_of_work, store, clock)(
            MEMBER, permit.upload_id, permit.file_path, "notes.pdf", "application/pdf", len(PDF)
        )
    assert refused.value.code is Code.FILE_MISMATCH


async def test_a_deletion_the_store_refuses_is_retried_later(
    db: InMemoryDatabase, store: FlakyStore, clock: ManualClock
) -> None:
    permit, source_id = await uploaded(db, store, clock)
    store.down = True

    await DeleteSource(db.unit_of_work, store, clock)(MEMBER, source_id)

    assert await ListSources(UnitOfWorkSourceReads(db.unit_of_work))(MEMBER) == []
    assert permit.file_path in store.objects
    assert await RetryObjectDeletions(db.unit_of_work, store)() == 0
    store.down = False
    assert await RetryObjectDeletions(db.unit_of_work, store)() == 1
    assert permit.file_path not in store.objects
    assert db.tables["pending_deletions"].rows == {}


async def test_deleting_someone_elses_source_is_not_found(
    db: InMemoryDatabase, store: FlakyStore, clock: ManualClock
) -> None:
    permit, source_id = await uploaded(db, store, clock)

    with pytest.raises(NotFound) as missing:
        await DeleteSource(db.unit_of_work, store, clock)(OTHER, source_id)
    assert missing.value.code is Code.SOURCE_NOT_FOUND
    assert permit.file_path in store.objects


async def test_page_counts_settle_waiting_sources(
    db: InMemoryDatabase, store: FlakyStore, clock: ManualClock, fixtures_dir: Path
) -> None:
    _, readable = await uploaded(db, store, clock, (fixtures_dir / "photosynthesis.pdf").read_bytes())
    _, corrupt = await uploaded(db, store, clock, (fixtures_dir / "truncated.pdf").read_bytes())
    vanished_permit, vanished = await uploaded(db, store, clock)
    await store.delete(vanished_permit.file_path)

    assert await ReadPageCounts(db.unit_of_work, store, PypdfPageCounter())() == 3

    by_id = {s.id: s for s in await ListSources(UnitOfWorkSourceReads(db.unit_of_work))(MEMBER)}
    assert (by_id[readable].status, by_id[readable].page_count) == (SourceStatus.READY, 3)
    assert (by_id[corrupt].status, by_id[corrupt].page_count) == (SourceStatus.READY, None)
    assert by_id[vanished].status is SourceStatus.FAILED
    assert await ReadPageCounts(db.unit_of_work, store, PypdfPageCounter())() == 0
