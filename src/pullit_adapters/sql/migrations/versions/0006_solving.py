"""Solving: the wrong-answer note, the domain-event outbox and the learning-stats read model.

Revision ID: 0006
Revises: 0005
Depends on: 0005 (the note refers to questions and question sets)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pullit_adapters.sql.tables import MYSQL, Id
from pullit_adapters.sql.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _member_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["member_id"], ["members.id"], name=f"fk_{table}_member_id_members", ondelete="CASCADE"
    )


def _set_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["question_set_id"], ["question_sets.id"], name=f"fk_{table}_question_set_id_question_sets", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "wrong_answers",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("question_id", Id, nullable=False),
        sa.Column("question_set_id", Id, nullable=False),
        sa.Column("incorrect_count", sa.Integer, nullable=False),
        sa.Column("reviewed", sa.Boolean(create_constraint=False), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_wrong_answers"),
        _member_fk("wrong_answers"),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name="fk_wrong_answers_question_id_questions", ondelete="CASCADE"
        ),
        _set_fk("wrong_answers"),
        sa.UniqueConstraint("member_id", "question_id", name="uq_wrong_answers_member_id_question_id"),
        **MYSQL,
    )
    op.create_index(
        "ix_wrong_answers_member_id_reviewed_question_set_id",
        "wrong_answers",
        ["member_id", "reviewed", "question_set_id"],
    )
    op.create_table(
        "domain_events",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_domain_events"),
        _member_fk("domain_events"),
        **MYSQL,
    )
    op.create_index("ix_domain_events_processed_at_id", "domain_events", ["processed_at", "id"])
    op.create_index("ix_domain_events_member_id_processed_at", "domain_events", ["member_id", "processed_at"])
    op.create_table(
        "processed_events",
        sa.Column("event_id", Id, primary_key=True, autoincrement=False),
        sa.Column("processed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_processed_events"),
        **MYSQL,
    )
    op.create_table(
        "learning_stats",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("solved_set_count", sa.Integer, nullable=False),
        sa.Column("solved_question_count", sa.Integer, nullable=False),
        sa.Column("correct_question_count", sa.Integer, nullable=False),
        sa.Column("weekly_solved_question_count", sa.Integer, nullable=False),
        sa.Column("week_of", sa.Date, nullable=True),
        sa.Column("streak", sa.Integer, nullable=False),
        sa.Column("last_active_on", sa.Date, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_learning_stats"),
        _member_fk("learning_stats"),
        sa.UniqueConstraint("member_id", name="uq_learning_stats_member_id"),
        **MYSQL,
    )
    op.create_table(
        "daily_stats",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("solved_question_count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_daily_stats"),
        _member_fk("daily_stats"),
        sa.UniqueConstraint("member_id", "day", name="uq_daily_stats_member_id_day"),
        **MYSQL,
    )
    op.create_table(
        "solved_question_sets",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("member_id", Id, nullable=False),
        sa.Column("question_set_id", Id, nullable=False),
        sa.Column("first_solved_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_solved_question_sets"),
        _member_fk("solved_question_sets"),
        _set_fk("solved_question_sets"),
        sa.UniqueConstraint("member_id", "question_set_id", name="uq_solved_question_sets_member_id_question_set_id"),
        **MYSQL,
    )


def downgrade() -> None:
    for table in ("solved_question_sets", "daily_stats", "learning_stats", "processed_events", "domain_events"):
        op.drop_table(table)
    op.drop_table("wrong_answers")
