"""The schema, as SQLAlchemy Core tables. Alembic migrations must produce exactly this."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Double,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pullit_adapters.sql.types import UTCDateTime
from pullit_domain.model.folder import FolderScope, FolderType
from pullit_domain.model.generation_job import JobStatus
from pullit_domain.model.member import Role
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.model.review import CardState, Rating, ReviewOrigin
from pullit_domain.model.source import SourceStatus

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only auto-increments INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")
MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin", "mysql_engine": "InnoDB"}


def enum_column(enum: type[StrEnum], length: int = 32) -> Enum:
    """Enums stored as their value in a plain VARCHAR, so adding a member needs no migration."""
    return Enum(
        enum, native_enum=False, create_constraint=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


members = Table(
    "members",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("email", String(255), nullable=False),
    Column("role", enum_column(Role, 16), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("provider_subject", String(128), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("language", String(16), nullable=True),
    UniqueConstraint("email"),
    UniqueConstraint("provider", "provider_subject"),
    **MYSQL,
)

common_folders = Table(
    "common_folders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("type", enum_column(FolderType, 20), nullable=False),
    Column("scope", enum_column(FolderScope, 10), nullable=False),
    Column("sort_order", Integer, nullable=False),
    Index(None, "member_id", "type"),
    **MYSQL,
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("family_id", String(32), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("issued_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("rotated_at", UTCDateTime(), nullable=True),
    Column("revoked_at", UTCDateTime(), nullable=True),
    UniqueConstraint("token_hash"),
    Index(None, "family_id"),
    Index(None, "member_id"),
    **MYSQL,
)

used_login_codes = Table(
    "used_login_codes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code_id", String(64), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    UniqueConstraint("code_id"),
    Index(None, "expires_at"),
    **MYSQL,
)

source_folders = Table(
    "source_folders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("is_default", Boolean(create_constraint=False), nullable=False),
    UniqueConstraint("member_id", "name"),
    **MYSQL,
)

learning_sources = Table(
    "learning_sources",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("folder_id", Id, ForeignKey("source_folders.id"), nullable=False),
    Column("object_key", String(255), nullable=False),
    Column("original_name", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("status", enum_column(SourceStatus, 16), nullable=False),
    Column("page_count", Integer, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("deleted_at", UTCDateTime(), nullable=True),
    UniqueConstraint("object_key"),
    Index(None, "member_id", "created_at"),
    Index(None, "status"),
    **MYSQL,
)

pending_object_deletions = Table(
    "pending_object_deletions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("object_key", String(255), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    **MYSQL,
)

# The notification outbox: ``seq`` numbers a member's events (their SSE ids); ``published_at``
# stays NULL until the relay has handed the event to the notifier.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("name", String(64), nullable=False),
    Column("data", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("published_at", UTCDateTime(), nullable=True),
    UniqueConstraint("member_id", "seq"),
    Index(None, "published_at", "id"),
    **MYSQL,
)

# Question sets keep their source ids as a JSON list: sources are soft-deleted, never
# removed, and a set must go on naming them.
question_sets = Table(
    "question_sets",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("question_type", enum_column(QuestionType, 20), nullable=False),
    Column("difficulty", enum_column(Difficulty, 10), nullable=False),
    Column("question_count", Integer, nullable=False),
    Column("source_ids", JSON, nullable=False),
    Column("folder_id", Id, ForeignKey("common_folders.id"), nullable=False),
    Column("status", enum_column(QuestionSetStatus, 16), nullable=False),
    Column("failure_reason", String(500), nullable=True),
    Column("idempotency_key", String(100), nullable=True),
    Column("language", String(16), nullable=True),
    Column("input_tokens", Integer, nullable=False),
    Column("output_tokens", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("completed_at", UTCDateTime(), nullable=True),
    Column("deleted_at", UTCDateTime(), nullable=True),
    Column("delivered_count", Integer, nullable=True),
    Index(None, "member_id", "idempotency_key"),
    Index(None, "status", "created_at"),
    # The list page (newest live sets of a member) and its learning progress (migration 0011).
    Index(None, "member_id", "deleted_at"),
    Index(None, "member_id", "status", "deleted_at"),
    # One folder's live sets: its list page and the wrong-answer note's folder filter (0012).
    Index(None, "member_id", "folder_id", "deleted_at"),
    **MYSQL,
)

questions = Table(
    "questions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("question_set_id", Id, ForeignKey("question_sets.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", Id, nullable=False),
    Column("question_type", enum_column(QuestionType, 20), nullable=False),
    Column("text", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("options", JSON, nullable=True),
    Column("source_id", Id, nullable=True),
    Column("page", Integer, nullable=True),
    Column("quote", Text, nullable=True),
    Index(None, "question_set_id", "position"),
    Index(None, "member_id"),
    **MYSQL,
)

# Claimed with SELECT ... FOR UPDATE SKIP LOCKED and leased; see GenerationJob.
generation_jobs = Table(
    "generation_jobs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("question_set_id", Id, ForeignKey("question_sets.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", Id, nullable=False),
    Column("status", enum_column(JobStatus, 12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("available_at", UTCDateTime(), nullable=False),
    Column("lease_owner", String(100), nullable=True),
    Column("lease_expires_at", UTCDateTime(), nullable=True),
    Column("last_error", String(500), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    # Optimistic lock: a lease taken on a stale read fails instead of overwriting another's.
    Column("version", Integer, nullable=False),
    UniqueConstraint("question_set_id"),
    Index(None, "status", "available_at"),
    **MYSQL,
)

# Solving (README "Solving and stats"): the wrong-answer note, the domain-event outbox and
# the learning-stats read model the projector fills from it.
wrong_answers = Table(
    "wrong_answers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", Id, ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
    Column("question_set_id", Id, ForeignKey("question_sets.id", ondelete="CASCADE"), nullable=False),
    Column("incorrect_count", Integer, nullable=False),
    Column("reviewed", Boolean(create_constraint=False), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("member_id", "question_id"),
    Index(None, "member_id", "reviewed", "question_set_id"),
    **MYSQL,
)

domain_events = Table(
    "domain_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("occurred_at", UTCDateTime(), nullable=False),
    Column("processed_at", UTCDateTime(), nullable=True),
    Index(None, "processed_at", "id"),
    Index(None, "member_id", "processed_at"),
    **MYSQL,
)

# Which events the read model has applied: the key that makes projecting idempotent.
processed_events = Table(
    "processed_events",
    metadata,
    Column("event_id", Id, primary_key=True, autoincrement=False),
    Column("processed_at", UTCDateTime(), nullable=False),
    **MYSQL,
)

learning_stats = Table(
    "learning_stats",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("solved_set_count", Integer, nullable=False),
    Column("solved_question_count", Integer, nullable=False),
    Column("correct_question_count", Integer, nullable=False),
    Column("weekly_solved_question_count", Integer, nullable=False),
    Column("week_of", Date, nullable=True),
    Column("streak", Integer, nullable=False),
    Column("last_active_on", Date, nullable=True),
    UniqueConstraint("member_id"),
    **MYSQL,
)

daily_stats = Table(
    "daily_stats",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("solved_question_count", Integer, nullable=False),
    UniqueConstraint("member_id", "day"),
    **MYSQL,
)

solved_question_sets = Table(
    "solved_question_sets",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("question_set_id", Id, ForeignKey("question_sets.id", ondelete="CASCADE"), nullable=False),
    Column("first_solved_at", UTCDateTime(), nullable=False),
    UniqueConstraint("member_id", "question_set_id"),
    **MYSQL,
)

# Remembered Idempotency-Keys of every route that takes one (pullit_domain.idempotency); the
# unique key is what makes a repeated key create nothing even when requests race.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("scope", String(40), nullable=False),
    Column("idempotency_key", String(100), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("resource_id", Id, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("member_id", "scope", "idempotency_key"),
    **MYSQL,
)

# Spaced review (docs/api.md "Review"): one FSRS card per member and question. The due queue
# reads a member's cards in due order, new and introduced ones apart: (member_id, is_new, due)
# plus InnoDB's implicit id serves "ORDER BY due, id LIMIT n" without a sort and covers the counts.
review_cards = Table(
    "review_cards",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", Id, ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
    Column("question_set_id", Id, ForeignKey("question_sets.id", ondelete="CASCADE"), nullable=False),
    Column("state", enum_column(CardState, 12), nullable=False),
    Column("step", Integer, nullable=True),
    Column("stability", Double, nullable=False),
    Column("difficulty", Double, nullable=False),
    Column("due", UTCDateTime(), nullable=False),
    Column("last_review", UTCDateTime(), nullable=False),
    Column("reps", Integer, nullable=False),
    Column("lapses", Integer, nullable=False),
    Column("is_new", Boolean(create_constraint=False), nullable=False),
    Column("introduced_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=True),
    UniqueConstraint("member_id", "question_id"),
    Index(None, "member_id", "is_new", "due"),
    Index(None, "member_id", "introduced_at"),
    Index(None, "member_id", "state", "due"),
    **MYSQL,
)

# Append-only: rows outlive their card and question, so a later parameter fit sees every
# review. The unique key makes a retried request with the same Idempotency-Key lose the race.
review_log = Table(
    "review_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", Id, nullable=False),
    Column("rating", enum_column(Rating, 8), nullable=False),
    Column("correct", Boolean(create_constraint=False), nullable=False),
    Column("origin", enum_column(ReviewOrigin, 24), nullable=False),
    Column("reviewed_at", UTCDateTime(), nullable=False),
    Column("state_before", enum_column(CardState, 12), nullable=True),
    Column("state_after", enum_column(CardState, 12), nullable=False),
    Column("due_after", UTCDateTime(), nullable=False),
    Column("stability_after", Double, nullable=False),
    Column("difficulty_after", Double, nullable=False),
    Column("idempotency_key", String(100), nullable=True),
    Column("fingerprint", String(64), nullable=True),
    UniqueConstraint("member_id", "idempotency_key"),
    Index(None, "member_id", "reviewed_at"),
    **MYSQL,
)

review_settings = Table(
    "review_settings",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("desired_retention", Double, nullable=False),
    Column("max_new_per_day", Integer, nullable=False),
    UniqueConstraint("member_id"),
    **MYSQL,
)
