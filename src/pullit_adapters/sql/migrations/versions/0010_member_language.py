"""A member's language, for text sent without a request (notifications, failure reasons), and the
language a question set was asked for.

Revision ID: 0010
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL: never chosen, so the service's PULLIT_DEFAULT_LANGUAGE applies.
    op.add_column("members", sa.Column("language", sa.String(16), nullable=True))
    # NULL: the request named no language for the set's questions.
    op.add_column("question_sets", sa.Column("language", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("question_sets", "language")
    op.drop_column("members", "language")
