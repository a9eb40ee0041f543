"""Question sets, their questions and generation jobs.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pullit_adapters.sql.tables import MYSQL, Id
from pullit_adapters.sql.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "question_sets",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("question_type", sa.String(20), nullable=False),
        sa.Column("difficulty", sa.String(10), nullable=False),
        sa.Column("question_count", sa.Integer, nullable=False),
        sa.Column("source_ids", sa.JSON, nullable=False),
        sa.Column("folder_id", Id, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("failure_reason", sa.String(500), nullable=True),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.Column("input_tokens", sa.Integer, nullable=False),
        sa.Column("output_tokens", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_question_sets"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_question_sets_member_id_members", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["folder_id"], ["common_folders.id"], name="fk_question_sets_folder_id_common_folders"),
        **MYSQL,
    )
    op.create_index("ix_question_sets_member_id_idempotency_key", "question_sets", ["member_id", "idempotency_key"])
    op.create_index("ix_question_sets_status_created_at", "question_sets", ["status", "created_at"])
    op.create_table(
        "questions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("question_set_id", Id, nullable=False),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("question_type", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("options", sa.JSON, nullable=True),
        sa.Column("source_id", Id, nullable=True),
        sa.Column("page", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_questions"),
        sa.ForeignKeyConstraint(
            ["question_set_id"],
            ["question_sets.id"],
            name="fk_questions_question_set_id_question_sets",
            ondelete="CASCADE",
        ),
        **MYSQL,
    )
    op.create_index("ix_questions_question_set_id_position", "questions", ["question_set_id", "position"])
    op.create_index("ix_questions_member_id", "questions", ["member_id"])
    op.create_table(
        "generation_jobs",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("question_set_id", Id, nullable=False),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("available_at", UTCDateTime(), nullable=False),
        sa.Column("lease_owner", sa.String(100), nullable=True),
        sa.Column("lease_expires_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_generation_jobs"),
        sa.UniqueConstraint("question_set_id", name="uq_generation_jobs_question_set_id"),
        sa.ForeignKeyConstraint(
            ["question_set_id"],
            ["question_sets.id"],
            name="fk_generation_jobs_question_set_id_question_sets",
            ondelete="CASCADE",
        ),
        **MYSQL,
    )
    op.create_index("ix_generation_jobs_status_available_at", "generation_jobs", ["status", "available_at"])


def downgrade() -> None:
    op.drop_table("generation_jobs")
    op.drop_table("questions")
    op.drop_table("question_sets")
