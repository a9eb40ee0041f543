"""Idempotency keys with a unique (member, scope, key): a repeated key creates nothing, even in a race.

A new table rather than a unique index on ``question_sets``: databases that ran the racy
version may hold duplicate keys there, and review answers will take keys too.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pullit_adapters.sql.tables import MYSQL, Id
from pullit_adapters.sql.types import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("scope", sa.String(40), nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("resource_id", Id, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_idempotency_keys"),
        sa.UniqueConstraint(
            "member_id", "scope", "idempotency_key", name="uq_idempotency_keys_member_id_scope_idempotency_key"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_idempotency_keys_member_id_members", ondelete="CASCADE"
        ),
        **MYSQL,
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
