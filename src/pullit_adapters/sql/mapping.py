"""Imperative mapping: the domain's plain dataclasses stay free of SQLAlchemy."""

from __future__ import annotations

from sqlalchemy.orm import registry

from pullit_adapters.sql import tables
from pullit_domain.model.folder import CommonFolder
from pullit_domain.model.member import Member

mapper_registry = registry(metadata=tables.metadata)
_started = False


def start_mappers() -> None:
    """Map the domain classes once per process; later calls do nothing."""
    global _started
    if _started:
        return
    mapper_registry.map_imperatively(Member, tables.members)
    mapper_registry.map_imperatively(CommonFolder, tables.common_folders)
    _started = True
