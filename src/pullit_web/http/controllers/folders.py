"""Common folders (contract "Wrong-answer note, folders, stats")."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from pullit_domain.model.folder import CommonFolder, FolderScope, FolderType
from pullit_domain.use_cases.folders import (
    MAX_NAME,
    CreateFolder,
    DeleteFolder,
    FolderDeleteWarning,
    GetFolder,
    ListFolders,
    UpdateFolder,
)
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.ids import PathId, between
from pullit_web.http.openapi import SIGNED_IN_SECURITY, problems

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NAME)]
# The column is a 32-bit INTEGER on MariaDB.
MAX_SORT_ORDER = 2**31 - 1


class FolderBody(msgspec.Struct, rename="camel"):
    id: int
    name: str
    type: FolderType
    scope: FolderScope
    sort_order: int

    @classmethod
    def of(cls, folder: CommonFolder) -> FolderBody:
        assert folder.id is not None
        return cls(id=folder.id, name=folder.name, type=folder.type, scope=folder.scope, sort_order=folder.sort_order)


class CreateFolderRequest(msgspec.Struct, rename="camel"):
    name: Name
    type: FolderType


class UpdateFolderRequest(msgspec.Struct, rename="camel"):
    name: Name | None = None
    sort_order: Annotated[int, between(1, MAX_SORT_ORDER)] | None = None


class DeleteWarningBody(msgspec.Struct, rename="camel"):
    question_set_count: int


class FoldersController(Controller):
    path = "/api/common-folders"
    tags = ["folders"]
    security = SIGNED_IN_SECURITY

    @get("/", summary="The ALL folder, then the caller's own folders in sort order", responses=problems())
    async def list_folders(
        self,
        request: SignedInRequest,
        list_folders: NamedDependency[ListFolders],
        folder_type: Annotated[FolderType, QueryParameter(name="type")] = FolderType.QUESTION_SET,
    ) -> list[FolderBody]:
        return [FolderBody.of(f) for f in await list_folders(request.user.member_id, folder_type)]

    @post("/", status_code=201, summary="Create a folder after the caller's others", responses=problems(413))
    async def create(
        self,
        data: JSONBody[CreateFolderRequest],
        request: SignedInRequest,
        create_folder: NamedDependency[CreateFolder],
    ) -> Response[FolderBody]:
        folder = await create_folder(request.user.member_id, data.name, data.type)
        return Response(FolderBody.of(folder), status_code=201, headers={"Location": f"{self.path}/{folder.id}"})

    @get("/{folder_id:int}", summary="One folder", responses=problems(404))
    async def get_one(
        self, folder_id: PathId, request: SignedInRequest, get_folder: NamedDependency[GetFolder]
    ) -> FolderBody:
        return FolderBody.of(await get_folder(request.user.member_id, folder_id))

    @patch(
        "/{folder_id:int}",
        status_code=200,
        summary="Rename or reorder a folder (not the ALL folder: CF_002)",
        responses=problems(404, 413),
    )
    async def update(
        self,
        folder_id: PathId,
        data: JSONBody[UpdateFolderRequest],
        request: SignedInRequest,
        update_folder: NamedDependency[UpdateFolder],
    ) -> FolderBody:
        return FolderBody.of(await update_folder(request.user.member_id, folder_id, data.name, data.sort_order))

    @delete(
        "/{folder_id:int}",
        status_code=204,
        summary="Delete a folder; its question sets move to ALL (not the ALL folder: CF_001)",
        responses=problems(404),
    )
    async def remove(
        self,
        folder_id: PathId,
        request: SignedInRequest,
        delete_folder: NamedDependency[DeleteFolder],
    ) -> None:
        await delete_folder(request.user.member_id, folder_id)

    @get(
        "/{folder_id:int}/delete-warning",
        summary="How many question sets deleting the folder would move",
        responses=problems(404),
    )
    async def delete_warning(
        self,
        folder_id: PathId,
        request: SignedInRequest,
        folder_delete_warning: NamedDependency[FolderDeleteWarning],
    ) -> DeleteWarningBody:
        return DeleteWarningBody(await folder_delete_warning(request.user.member_id, folder_id))
