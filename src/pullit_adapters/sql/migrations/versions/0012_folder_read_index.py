"""An index for the pages that show one folder: the wrong-answer note's folder filter and the
question-set list of a folder.

Checked with EXPLAIN on MariaDB (docs/performance.md): without it a folder's live sets are found
by intersecting the folder's foreign-key index with every live set of the member, then sorted
through a temporary table; with it they are one index range in id order. The other new reads
(the source list, the whole note, learning stats, daily stats) are served by existing indexes.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Ends in the primary key, so a folder's live sets come newest first without a sort.
    op.create_index(
        "ix_question_sets_member_id_folder_id_deleted_at", "question_sets", ["member_id", "folder_id", "deleted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_question_sets_member_id_folder_id_deleted_at", table_name="question_sets")
