"""Study material (contract "Study material"): upload permits, verified uploads, the list,
download links and deletion. File bytes never come through here."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from pullit_domain.model.source import SourceStatus
from pullit_domain.ports.source_reads import SourceRead
from pullit_domain.use_cases.sources import (
    CompleteUpload,
    DeleteSource,
    GetDownloadLink,
    IssueUploadPermit,
    ListSources,
)
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.ids import PathId
from pullit_web.http.openapi import NOT_BLANK, SIGNED_IN_SECURITY, checked_by_use_case, problems
from pullit_web.http.rate_limits import Budget, rate_limited


class UploadRequest(msgspec.Struct, rename="camel"):
    file_name: Annotated[str, checked_by_use_case(min_length=1, pattern=NOT_BLANK)]
    content_type: Annotated[str, checked_by_use_case(min_length=1)]
    file_size: Annotated[int, checked_by_use_case(minimum=1)]


class UploadPermitResponse(msgspec.Struct, rename="camel"):
    upload_id: str
    upload_url: str
    file_path: str
    original_name: str
    content_type: str
    file_size_bytes: int
    expires_at: datetime


class UploadCompleteRequest(msgspec.Struct, rename="camel"):
    upload_id: Annotated[str, checked_by_use_case(min_length=1)]
    file_path: Annotated[str, checked_by_use_case(min_length=1)]
    original_name: Annotated[str, checked_by_use_case(min_length=1)]
    content_type: Annotated[str, checked_by_use_case(min_length=1)]
    file_size_bytes: Annotated[int, checked_by_use_case(minimum=1)]


class RecordedSourceResponse(msgspec.Struct):
    id: int
    status: SourceStatus


class SourceItem(msgspec.Struct, rename="camel"):
    id: int
    original_name: str
    source_folder_name: str
    status: SourceStatus
    question_set_count: int
    page_count: int | None
    file_size_bytes: int
    created_at: datetime
    recent_question_generated_at: datetime | None

    @classmethod
    def of(cls, source: SourceRead) -> SourceItem:
        return cls(
            id=source.id,
            original_name=source.original_name,
            source_folder_name=source.folder_name,
            status=source.status,
            question_set_count=source.question_set_count,
            page_count=source.page_count,
            file_size_bytes=source.size_bytes,
            created_at=source.created_at,
            recent_question_generated_at=source.recent_question_generated_at,
        )


class DownloadUrlResponse(msgspec.Struct, rename="camel"):
    url: str
    expires_at: datetime


class SourcesController(Controller):
    path = "/api/learning/source"
    tags = ["study material"]
    security = SIGNED_IN_SECURITY

    @post(
        "/upload",
        status_code=200,
        summary="A presigned PUT URL for one PDF (15 minutes)",
        middleware=rate_limited(Budget.UPLOAD_PERMITS),
        responses=problems(413, 429),
    )
    async def upload(
        self,
        data: JSONBody[UploadRequest],
        request: SignedInRequest,
        issue_upload_permit: NamedDependency[IssueUploadPermit],
    ) -> UploadPermitResponse:
        permit = await issue_upload_permit(request.user.member_id, data.file_name, data.content_type, data.file_size)
        return UploadPermitResponse(
            upload_id=permit.upload_id,
            upload_url=permit.upload_url,
            file_path=permit.file_path,
            original_name=permit.original_name,
            content_type=permit.content_type,
            file_size_bytes=permit.file_size_bytes,
            expires_at=permit.expires_at,
        )

    @post(
        "/upload-complete",
        status_code=200,
        summary="Record an upload the store confirms",
        responses=problems(413),
    )
    async def upload_complete(
        self,
        data: JSONBody[UploadCompleteRequest],
        request: SignedInRequest,
        complete_upload: NamedDependency[CompleteUpload],
    ) -> RecordedSourceResponse:
        recorded = await complete_upload(
            request.user.member_id,
            data.upload_id,
            data.file_path,
            data.original_name,
            data.content_type,
            data.file_size_bytes,
        )
        return RecordedSourceResponse(id=recorded.id, status=recorded.status)

    @get("/", summary="The member's study material, newest first", responses=problems())
    async def list_sources(
        self, request: SignedInRequest, list_sources: NamedDependency[ListSources]
    ) -> list[SourceItem]:
        return [SourceItem.of(source) for source in await list_sources(request.user.member_id)]

    @get("/{source_id:int}/download-url", summary="A presigned GET URL of the PDF", responses=problems(404))
    async def download_url(
        self,
        source_id: PathId,
        request: SignedInRequest,
        get_download_link: NamedDependency[GetDownloadLink],
    ) -> DownloadUrlResponse:
        link = await get_download_link(request.user.member_id, source_id)
        return DownloadUrlResponse(url=link.url, expires_at=link.expires_at)

    @delete(
        "/{source_id:int}",
        status_code=204,
        summary="Delete a source; question sets made from it survive",
        responses=problems(404),
    )
    async def delete_source(
        self,
        source_id: PathId,
        request: SignedInRequest,
        delete_source: NamedDependency[DeleteSource],
    ) -> None:
        await delete_source(request.user.member_id, source_id)
