"""Question vocabulary shared by generation, solving and the LLM port."""

from __future__ import annotations

from enum import StrEnum


class QuestionType(StrEnum):
    MULTIPLE_CHOICE = "MULTIPLE_CHOICE"
    TRUE_FALSE = "TRUE_FALSE"
    SHORT_ANSWER = "SHORT_ANSWER"
    SUBJECTIVE = "SUBJECTIVE"


class Difficulty(StrEnum):
    EASY = "EASY"
    HARD = "HARD"
