"""Marking a free-text answer without a model: key-term overlap with the model answer."""

from __future__ import annotations

from pullit_adapters.offline.text import content_keys
from pullit_domain.ports.llm import Grade


def overlap_grade(model_answer: str, answer: str, language: str = "ko") -> Grade:
    """Score = the share of the model answer's key terms that the answer also uses.

    Key terms are those of ``text.terms_of`` (Latin words of 4+ letters, acronyms, Hangul
    noun stems with their particles cut), so word order, spacing, case and particles do
    not matter. The score is rounded to two decimals: the same texts always get the same
    score. A model answer without key terms is matched by exact text, ignoring spaces and case.
    """
    expected = content_keys(model_answer)
    if not expected:
        same = "".join(model_answer.split()).casefold() == "".join(answer.split()).casefold()
        return Grade(score=1.0 if same else 0.0, feedback="")
    found = expected & content_keys(answer)
    missing = sorted(expected - found)
    score = round(len(found) / len(expected), 2)
    shown = ", ".join(missing[:5])
    if language == "ko":
        feedback = f"모범 답안의 핵심어 {len(expected)}개 중 {len(found)}개를 썼습니다."
        if missing:
            feedback += f" 빠진 핵심어: {shown}"
    else:
        feedback = f"You used {len(found)} of the {len(expected)} key terms of the model answer."
        if missing:
            feedback += f" Missing: {shown}"
    return Grade(score=score, feedback=feedback)
