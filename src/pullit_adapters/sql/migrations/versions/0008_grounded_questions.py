"""Grounded questions: each question's supporting quote, and how many questions a set delivered.

Revision ID: 0008
Revises: 0006
Depends on: 0005 (questions and question sets)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: questions written before grounding have no quote, and old sets no count.
    op.add_column("questions", sa.Column("quote", sa.Text(), nullable=True))
    op.add_column("question_sets", sa.Column("delivered_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("question_sets", "delivered_count")
    op.drop_column("questions", "quote")
