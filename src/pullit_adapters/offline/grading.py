"""Marking a free-text answer without a model: key-term overlap with the model answer."""

from __future__ import annotations

from functools import cache

from pullit_adapters.i18n import CatalogMessages
from pullit_adapters.offline.text import content_keys
from pullit_domain.messages import msg
from pullit_domain.ports.llm import Grade


def overlap_grade(model_answer: str, answer: str, language: str = "ko") -> Grade:
    """Score = the share of the model answer's key terms that the answer also uses.

    Key terms are those of ``text.terms_of`` (Latin words of 4+ letters, acronyms, Hangul
    noun stems with their particles cut), so word order, spacing, case and particles do
    not matter. The score is rounded to two decimals: the same texts always get the same
    score. A model answer without key terms is matched by exact text, ignoring spaces and case.
    The feedback comes from the message catalogs in ``language`` (English when there is none).
    """
    expected = content_keys(model_answer)
    if not expected:
        same = "".join(model_answer.split()).casefold() == "".join(answer.split()).casefold()
        return Grade(score=1.0 if same else 0.0, feedback="")
    found = expected & content_keys(answer)
    missing = sorted(expected - found)
    score = round(len(found) / len(expected), 2)
    feedback = msg(
        "You used {found} of the {expected} key terms of the model answer.", found=len(found), expected=len(expected)
    )
    if missing:
        feedback = msg("{used} Missing: {terms}", used=feedback, terms=", ".join(missing[:5]))
    return Grade(score=score, feedback=_catalogs().render(feedback, language))


@cache
def _catalogs() -> CatalogMessages:
    return CatalogMessages(default_language="en")
