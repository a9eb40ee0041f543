"""Imperative mapping: the domain's plain dataclasses stay free of SQLAlchemy."""

from __future__ import annotations

from sqlalchemy.orm import registry

from pullit_adapters.sql import tables
from pullit_adapters.sql.repositories_marking import map_marking
from pullit_adapters.sql.repositories_reviews import map_reviews
from pullit_adapters.sql.repositories_sources import map_sources
from pullit_adapters.sql.repositories_stats import map_stats
from pullit_domain.model.folder import CommonFolder
from pullit_domain.model.generation_job import GenerationJob
from pullit_domain.model.member import Member
from pullit_domain.model.question_set import Question, QuestionSet

mapper_registry = registry(metadata=tables.metadata)
_started = False


def start_mappers() -> None:
    """Map the domain classes once per process; later calls do nothing."""
    global _started
    if _started:
        return
    mapper_registry.map_imperatively(Member, tables.members)
    mapper_registry.map_imperatively(CommonFolder, tables.common_folders)
    map_sources(mapper_registry)
    mapper_registry.map_imperatively(QuestionSet, tables.question_sets)
    mapper_registry.map_imperatively(Question, tables.questions)
    # SQLite has no row locks; the version check makes a racing second lease fail (Conflict).
    mapper_registry.map_imperatively(
        GenerationJob, tables.generation_jobs, version_id_col=tables.generation_jobs.c.version
    )
    map_marking(mapper_registry)
    map_stats(mapper_registry)
    map_reviews(mapper_registry)
    _started = True
