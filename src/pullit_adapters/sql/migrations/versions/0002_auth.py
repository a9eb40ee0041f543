"""Refresh tokens (hashed, in families) and used one-time login codes.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pullit_adapters.sql.tables import MYSQL, Id
from pullit_adapters.sql.types import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refresh_tokens",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("family_id", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("rotated_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_refresh_tokens_member_id_members", ondelete="CASCADE"
        ),
        **MYSQL,
    )
    op.create_index("ix_refresh_tokens_family_id", "refresh_tokens", ["family_id"])
    op.create_index("ix_refresh_tokens_member_id", "refresh_tokens", ["member_id"])
    op.create_table(
        "used_login_codes",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("code_id", sa.String(64), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_used_login_codes"),
        sa.UniqueConstraint("code_id", name="uq_used_login_codes_code_id"),
        **MYSQL,
    )
    op.create_index("ix_used_login_codes_expires_at", "used_login_codes", ["expires_at"])


def downgrade() -> None:
    op.drop_table("used_login_codes")
    op.drop_table("refresh_tokens")
