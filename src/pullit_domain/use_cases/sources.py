"""Study material: upload permits, verified uploads, listing, downloads, deletion, and the
background work that reads page counts and retries store deletions.

File bytes never pass through these use cases on upload: the client PUTs straight to the
store with a short-lived permit, and ``CompleteUpload`` only asks the store what arrived.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pullit_domain.errors import Code, Conflict, InvalidInput, NotFound, Unavailable
from pullit_domain.events import SourceUploaded
from pullit_domain.model.source import (
    DEFAULT_SOURCE_FOLDER_NAME,
    PDF,
    PDF_MAGIC,
    LearningSource,
    PendingObjectDeletion,
    SourceFolder,
    SourceStatus,
    key_belongs_to,
    new_upload_id,
    object_key,
)
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.documents import PageCounter
from pullit_domain.ports.file_store import FileStore
from pullit_domain.ports.source_reads import SourceRead, SourceReads
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("pullit.sources")

UPLOAD_PERMIT_LIFETIME = timedelta(minutes=15)
DOWNLOAD_URL_LIFETIME = timedelta(minutes=10)
MAX_NAME_LENGTH = 255
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f]")


@dataclass(frozen=True)
class UploadPermit:
    upload_id: str
    upload_url: str
    file_path: str
    original_name: str
    content_type: str
    file_size_bytes: int
    expires_at: datetime


@dataclass(frozen=True)
class RecordedSource:
    id: int
    status: SourceStatus


@dataclass(frozen=True)
class DownloadLink:
    url: str
    expires_at: datetime


def _display_name(file_name: str) -> str:
    # Browsers may send a full client path; only the last segment means anything to us.
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or len(name) > MAX_NAME_LENGTH or _CONTROL_CHARACTER.search(name):
        raise InvalidInput("fileName must be 1..{max_length} printable characters", max_length=MAX_NAME_LENGTH)
    return name


def _check_content_type(content_type: str) -> str:
    if content_type.split(";", 1)[0].strip().lower() != PDF:
        raise InvalidInput(
            "only {pdf_type} files can be uploaded, not {content_type}",
            Code.FILE_TYPE,
            pdf_type=PDF,
            content_type=repr(content_type),
        )
    return PDF


class IssueUploadPermit:
    """A presigned PUT for one PDF of the declared size, valid for 15 minutes. Writes nothing."""

    def __init__(self, store: FileStore, clock: Clock, max_size: int) -> None:
        self._store = store
        self._clock = clock
        self._max_size = max_size

    async def __call__(self, member_id: int, file_name: str, content_type: str, file_size: int) -> UploadPermit:
        content_type = _check_content_type(content_type)
        if not 1 <= file_size <= self._max_size:
            raise InvalidInput(
                "fileSize must be between 1 and {max_size} bytes", Code.FILE_SIZE, max_size=self._max_size
            )
        name = _display_name(file_name)
        upload_id = new_upload_id()
        key = object_key(member_id, upload_id, self._clock.now())
        presigned = await self._store.presign_upload(key, content_type, file_size, UPLOAD_PERMIT_LIFETIME)
        return UploadPermit(upload_id, presigned.url, key, name, content_type, file_size, presigned.expires_at)


class CompleteUpload:
    """Record an upload once the store confirms it: this member's key, the declared size and
    type, and PDF bytes. Nothing is recorded otherwise; repeating a success returns the same source."""

    def __init__(self, uow: UnitOfWorkFactory, store: FileStore, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._clock = clock

    async def __call__(
        self, member_id: int, upload_id: str, file_path: str, original_name: str, content_type: str, file_size: int
    ) -> RecordedSource:
        if not key_belongs_to(file_path, member_id, upload_id):
            raise InvalidInput("filePath is not an upload of yours for this uploadId", Code.FILE_MISMATCH)
        name = _display_name(original_name)
        existing = await self._recorded(member_id, file_path)
        if existing is not None:
            return existing
        await self._verify(file_path, _check_content_type(content_type), file_size)
        source = LearningSource(
            member_id=member_id,
            folder_id=0,
            object_key=file_path,
            original_name=name,
            content_type=PDF,
            size_bytes=file_size,
            created_at=self._clock.now(),
        )
        try:
            return await self._record(source)
        except Conflict:
            # A concurrent completion of the same upload, or of the member's first folder, won.
            existing = await self._recorded(member_id, file_path)
            if existing is not None:
                return existing
            return await self._record(source)

    async def _recorded(self, member_id: int, key: str) -> RecordedSource | None:
        async with self._uow() as uow:
            source = await uow.sources.by_key(key)
        if source is None or source.member_id != member_id:
            return None
        if source.status is SourceStatus.DELETED:
            raise InvalidInput("this upload was recorded and has since been deleted", Code.FILE_MISMATCH)
        assert source.id is not None
        return RecordedSource(source.id, source.status)

    async def _verify(self, key: str, content_type: str, size: int) -> None:
        stored = await self._store.stat(key)
        if stored is None:
            raise InvalidInput("no uploaded file was found for this filePath", Code.FILE_MISMATCH)
        if stored.size != size:
            raise InvalidInput(
                "the uploaded file has {stored_size} bytes, not the declared {declared_size}",
                Code.FILE_MISMATCH,
                stored_size=stored.size,
                declared_size=size,
            )
        if (stored.content_type or "").split(";", 1)[0].strip().lower() != content_type:
            raise InvalidInput("the uploaded file was not stored as application/pdf", Code.FILE_MISMATCH)
        if await self._store.read_head(key, len(PDF_MAGIC)) != PDF_MAGIC:
            raise InvalidInput("the uploaded file is not a PDF document", Code.FILE_MISMATCH)

    async def _record(self, source: LearningSource) -> RecordedSource:
        async with self._uow() as uow:
            folder = await _default_folder(uow, source.member_id)
            assert folder.id is not None
            source.folder_id = folder.id
            await uow.sources.add(source)
            assert source.id is not None
            if source.status is SourceStatus.UPLOADED:
                uow.record(SourceUploaded(source.id))
            await uow.commit()
        return RecordedSource(source.id, source.status)


async def _default_folder(uow: UnitOfWork, member_id: int) -> SourceFolder:
    folder = await uow.sources.default_folder(member_id)
    if folder is None:
        folder = SourceFolder(member_id=member_id, name=DEFAULT_SOURCE_FOLDER_NAME)
        await uow.sources.add_folder(folder)
    return folder


class ListSources:
    def __init__(self, reads: SourceReads) -> None:
        self._reads = reads

    async def __call__(self, member_id: int) -> list[SourceRead]:
        return await self._reads.all(member_id)


class GetDownloadLink:
    """A presigned GET of the member's own source, offered under its original name."""

    def __init__(self, uow: UnitOfWorkFactory, store: FileStore) -> None:
        self._uow = uow
        self._store = store

    async def __call__(self, member_id: int, source_id: int) -> DownloadLink:
        async with self._uow() as uow:
            source = await uow.sources.get(member_id, source_id)
        if source is None:
            raise NotFound("learning source not found", Code.SOURCE_NOT_FOUND)
        link = await self._store.presign_download(source.object_key, DOWNLOAD_URL_LIFETIME, source.original_name)
        return DownloadLink(link.url, link.expires_at)


class DeleteSource:
    """Hide the source at once and remove its object; question sets made from it survive.

    The store deletion is owed durably: it is recorded in the same transaction as the
    status change, tried right away, and left to background work when the store is down.
    """

    def __init__(self, uow: UnitOfWorkFactory, store: FileStore, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._clock = clock

    async def __call__(self, member_id: int, source_id: int) -> None:
        async with self._uow() as uow:
            source = await uow.sources.get(member_id, source_id)
            if source is None:
                raise NotFound("learning source not found", Code.SOURCE_NOT_FOUND)
            now = self._clock.now()
            source.delete(now)
            pending = PendingObjectDeletion(object_key=source.object_key, created_at=now)
            await uow.sources.add_pending_deletion(pending)
            await uow.commit()
        await _delete_object(self._uow, self._store, pending)


async def _delete_object(uow_factory: UnitOfWorkFactory, store: FileStore, pending: PendingObjectDeletion) -> bool:
    try:
        await store.delete(pending.object_key)
    except Unavailable:
        log.warning("store deletion of %s deferred: the store is unavailable", pending.object_key)
        return False
    async with uow_factory() as uow:
        await uow.sources.remove_pending_deletion(pending)
        await uow.commit()
    return True


class RetryObjectDeletions:
    """Background work: delete objects whose deletion is still owed. Returns how many succeeded."""

    def __init__(self, uow: UnitOfWorkFactory, store: FileStore, batch: int = 50) -> None:
        self._uow = uow
        self._store = store
        self._batch = batch

    async def __call__(self) -> int:
        async with self._uow() as uow:
            owed = await uow.sources.pending_deletions(self._batch)
        done = 0
        for pending in owed:
            if not await _delete_object(self._uow, self._store, pending):
                break
            done += 1
        return done


class ReadPageCounts:
    """Background work: read uploaded documents and mark them READY with their page count.

    An encrypted or unreadable PDF becomes READY with no page count (see ``LearningSource``).
    A source whose object vanished becomes FAILED. When the store is unreachable the
    source stays UPLOADED and is tried again on the next round. Returns how many were settled.
    """

    def __init__(self, uow: UnitOfWorkFactory, store: FileStore, pages: PageCounter, batch: int = 10) -> None:
        self._uow = uow
        self._store = store
        self._pages = pages
        self._batch = batch

    async def __call__(self) -> int:
        async with self._uow() as uow:
            waiting = await uow.sources.awaiting_pages(self._batch)
        settled = 0
        for source in waiting:
            assert source.id is not None
            try:
                stored = await self._store.stat(source.object_key)
                page_count = (
                    None if stored is None else await self._pages.count_pages(await self._store.read(source.object_key))
                )
            except Unavailable:
                log.warning("page count of source %s deferred: the store is unavailable", source.id)
                break
            if stored is None:
                source.lose()
            else:
                source.read(page_count)
            async with self._uow() as uow:
                changed = await uow.sources.settle_upload(source.id, source.status, source.page_count)
                await uow.commit()
            settled += changed
        return settled
