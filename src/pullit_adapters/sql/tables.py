"""The schema, as SQLAlchemy Core tables. Alembic migrations must produce exactly this."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, Enum, ForeignKey, Index, Integer, MetaData, String, Table, UniqueConstraint

from pullit_adapters.sql.types import UTCDateTime
from pullit_domain.model.folder import FolderScope, FolderType
from pullit_domain.model.member import Role

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only auto-increments INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")
MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin", "mysql_engine": "InnoDB"}


def enum_column(enum: type[StrEnum], length: int = 32) -> Enum:
    """Enums stored as their value in a plain VARCHAR, so adding a member needs no migration."""
    return Enum(
        enum, native_enum=False, create_constraint=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


members = Table(
    "members",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("email", String(255), nullable=False),
    Column("role", enum_column(Role, 16), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("provider_subject", String(128), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("email"),
    UniqueConstraint("provider", "provider_subject"),
    **MYSQL,
)

common_folders = Table(
    "common_folders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("type", enum_column(FolderType, 20), nullable=False),
    Column("scope", enum_column(FolderScope, 10), nullable=False),
    Column("sort_order", Integer, nullable=False),
    Index(None, "member_id", "type"),
    **MYSQL,
)
