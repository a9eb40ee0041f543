"""Common folders: list, create, read, rename, delete (moving its sets to ALL) and the delete warning."""

from __future__ import annotations

from pullit_domain.errors import Code, InvalidInput, NotFound
from pullit_domain.model.folder import CommonFolder, FolderScope, FolderType
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

MAX_NAME = 100


def _clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_NAME:
        raise InvalidInput("a folder name has 1 to {max_length} characters", max_length=MAX_NAME)
    return cleaned


async def _owned(uow: UnitOfWork, member_id: int, folder_id: int) -> CommonFolder:
    folder = await uow.folders.get(member_id, folder_id)
    if folder is None:
        raise NotFound("folder {folder_id} not found", Code.FOLDER_NOT_FOUND, folder_id=folder_id)
    return folder


class ListFolders:
    """The ALL folder first, then the member's own folders in sort order."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int, folder_type: FolderType) -> list[CommonFolder]:
        async with self._uow() as uow:
            return await uow.folders.list(member_id, folder_type)


class CreateFolder:
    """A CUSTOM folder placed after the member's other folders of its type."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int, name: str, folder_type: FolderType) -> CommonFolder:
        cleaned = _clean_name(name)
        async with self._uow() as uow:
            existing = await uow.folders.list(member_id, folder_type)
            last = max((f.sort_order for f in existing if f.scope is FolderScope.CUSTOM), default=0)
            folder = CommonFolder(
                member_id=member_id, name=cleaned, type=folder_type, scope=FolderScope.CUSTOM, sort_order=last + 1
            )
            await uow.folders.add(folder)
            await uow.commit()
        return folder


class GetFolder:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int, folder_id: int) -> CommonFolder:
        async with self._uow() as uow:
            return await _owned(uow, member_id, folder_id)


class UpdateFolder:
    """Rename a CUSTOM folder and/or move it in the order; the ALL folder stays as it is."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int, folder_id: int, name: str | None, sort_order: int | None) -> CommonFolder:
        cleaned = _clean_name(name) if name is not None else None
        if sort_order is not None and sort_order < 1:
            raise InvalidInput("sortOrder starts at 1")
        async with self._uow() as uow:
            folder = await _owned(uow, member_id, folder_id)
            if folder.scope is FolderScope.ALL:
                raise InvalidInput("the ALL folder cannot be renamed", Code.FOLDER_ALL_UNRENAMABLE)
            if cleaned is not None:
                folder.name = cleaned
            if sort_order is not None:
                folder.sort_order = sort_order
            await uow.commit()
        return folder


class DeleteFolder:
    """Delete a CUSTOM folder; its question sets (deleted ones too) move to the ALL folder."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int, folder_id: int) -> None:
        async with self._uow() as uow:
            folder = await _owned(uow, member_id, folder_id)
            if folder.scope is FolderScope.ALL:
                raise InvalidInput("the ALL folder cannot be deleted", Code.FOLDER_ALL_UNDELETABLE)
            if folder.type is FolderType.QUESTION_SET:
                everything = next(
                    f for f in await uow.folders.list(member_id, folder.type) if f.scope is FolderScope.ALL
                )
                assert everything.id is not None
                await uow.question_sets.move_folder(member_id, folder_id, everything.id)
            await uow.folders.delete(folder)
            await uow.commit()


class FolderDeleteWarning:
    """How many (non-deleted) question sets deleting the folder would move to ALL."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int, folder_id: int) -> int:
        async with self._uow() as uow:
            folder = await _owned(uow, member_id, folder_id)
            if folder.type is not FolderType.QUESTION_SET:
                return 0
            return await uow.question_sets.count_in_folder(member_id, folder_id)
