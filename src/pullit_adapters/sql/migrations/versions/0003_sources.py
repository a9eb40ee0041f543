"""Learning sources, their folders and owed store deletions.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pullit_adapters.sql.tables import MYSQL, Id
from pullit_adapters.sql.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_folders",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("is_default", sa.Boolean(create_constraint=False), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source_folders"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_source_folders_member_id_members", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("member_id", "name", name="uq_source_folders_member_id_name"),
        **MYSQL,
    )
    op.create_table(
        "learning_sources",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("folder_id", Id, nullable=False),
        sa.Column("object_key", sa.String(255), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("page_count", sa.Integer, nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_learning_sources"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_learning_sources_member_id_members", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["folder_id"], ["source_folders.id"], name="fk_learning_sources_folder_id_source_folders"
        ),
        sa.UniqueConstraint("object_key", name="uq_learning_sources_object_key"),
        **MYSQL,
    )
    op.create_index("ix_learning_sources_member_id_created_at", "learning_sources", ["member_id", "created_at"])
    op.create_index("ix_learning_sources_status", "learning_sources", ["status"])
    op.create_table(
        "pending_object_deletions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("object_key", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pending_object_deletions"),
        **MYSQL,
    )


def downgrade() -> None:
    op.drop_table("pending_object_deletions")
    op.drop_table("learning_sources")
    op.drop_table("source_folders")
