"""Spaced review: FSRS cards per member and question, the append-only review log, settings.

Revision ID: 0009
Revises: 0006
Depends on: 0006 (cards refer to questions and question sets)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pullit_adapters.sql.tables import MYSQL, Id
from pullit_adapters.sql.types import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _member_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["member_id"], ["members.id"], name=f"fk_{table}_member_id_members", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "review_cards",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("question_id", Id, nullable=False),
        sa.Column("question_set_id", Id, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("step", sa.Integer, nullable=True),
        sa.Column("stability", sa.Double, nullable=False),
        sa.Column("difficulty", sa.Double, nullable=False),
        sa.Column("due", UTCDateTime(), nullable=False),
        sa.Column("last_review", UTCDateTime(), nullable=False),
        sa.Column("reps", sa.Integer, nullable=False),
        sa.Column("lapses", sa.Integer, nullable=False),
        sa.Column("is_new", sa.Boolean(create_constraint=False), nullable=False),
        sa.Column("introduced_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_review_cards"),
        _member_fk("review_cards"),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name="fk_review_cards_question_id_questions", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["question_set_id"],
            ["question_sets.id"],
            name="fk_review_cards_question_set_id_question_sets",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("member_id", "question_id", name="uq_review_cards_member_id_question_id"),
        **MYSQL,
    )
    op.create_index("ix_review_cards_member_id_is_new_due", "review_cards", ["member_id", "is_new", "due"])
    op.create_index("ix_review_cards_member_id_introduced_at", "review_cards", ["member_id", "introduced_at"])
    op.create_index("ix_review_cards_member_id_state_due", "review_cards", ["member_id", "state", "due"])
    op.create_table(
        "review_log",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("question_id", Id, nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("correct", sa.Boolean(create_constraint=False), nullable=False),
        sa.Column("origin", sa.String(24), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=False),
        sa.Column("state_before", sa.String(12), nullable=True),
        sa.Column("state_after", sa.String(12), nullable=False),
        sa.Column("due_after", UTCDateTime(), nullable=False),
        sa.Column("stability_after", sa.Double, nullable=False),
        sa.Column("difficulty_after", sa.Double, nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_review_log"),
        _member_fk("review_log"),
        sa.UniqueConstraint("member_id", "idempotency_key", name="uq_review_log_member_id_idempotency_key"),
        **MYSQL,
    )
    op.create_index("ix_review_log_member_id_reviewed_at", "review_log", ["member_id", "reviewed_at"])
    op.create_table(
        "review_settings",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("desired_retention", sa.Double, nullable=False),
        sa.Column("max_new_per_day", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_settings"),
        _member_fk("review_settings"),
        sa.UniqueConstraint("member_id", name="uq_review_settings_member_id"),
        **MYSQL,
    )


def downgrade() -> None:
    for table in ("review_settings", "review_log", "review_cards"):
        op.drop_table(table)
