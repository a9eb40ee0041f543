"""Members and their common folders.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pullit_adapters.sql.tables import MYSQL, Id
from pullit_adapters.sql.types import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("provider_subject", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_members"),
        sa.UniqueConstraint("email", name="uq_members_email"),
        sa.UniqueConstraint("provider", "provider_subject", name="uq_members_provider_provider_subject"),
        **MYSQL,
    )
    op.create_table(
        "common_folders",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("sort_order", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_common_folders"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_common_folders_member_id_members", ondelete="CASCADE"
        ),
        **MYSQL,
    )
    op.create_index("ix_common_folders_member_id_type", "common_folders", ["member_id", "type"])


def downgrade() -> None:
    op.drop_table("common_folders")
    op.drop_table("members")
