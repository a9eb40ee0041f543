"""Indexes for the pages a learner opens most: the question-set list and its learning progress.

Checked with EXPLAIN on MariaDB (docs/performance.md): without them the list page reads every
set of the member and sorts them (``Using filesort``) to show ten; the progress count reads
each set's row for its status.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # (member_id, deleted_at) ends in the primary key, so a member's live sets come newest first.
    op.create_index("ix_question_sets_member_id_deleted_at", "question_sets", ["member_id", "deleted_at"])
    op.create_index(
        "ix_question_sets_member_id_status_deleted_at", "question_sets", ["member_id", "status", "deleted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_question_sets_member_id_status_deleted_at", table_name="question_sets")
    op.drop_index("ix_question_sets_member_id_deleted_at", table_name="question_sets")
