"""``OfflineLLM``: the generator used when no Gemini key is configured."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import PurePath

from pullit_adapters.offline.grading import overlap_grade
from pullit_adapters.offline.pdf import read_pages
from pullit_adapters.offline.questions import write_questions
from pullit_adapters.offline.text import Sentence, split_sentences
from pullit_domain.ports.llm import (
    GeneratedQuestionSet,
    GenerationImpossible,
    GenerationSpec,
    Grade,
    SourceDocument,
)

DEFAULT_MAX_PAGES = 100


class OfflineLLM:
    """Writes questions from the PDFs' own sentences (see ``questions.py``) and grades by
    key-term overlap (see ``grading.py``). Deterministic: the same documents and spec give
    the same set. Never raises ``GenerationFailed``: nothing it does can get better by waiting.
    Asked again (``spec.exclude``/``spec.rejected``), it writes the next questions it would
    have written, skipping those texts; it may have fewer than asked, or none.
    """

    name = "offline"

    def __init__(self, max_pages: int = DEFAULT_MAX_PAGES, language: str = "ko") -> None:
        self._max_pages = max_pages
        self._language = language

    async def generate(self, documents: Sequence[SourceDocument], spec: GenerationSpec) -> GeneratedQuestionSet:
        if not documents:
            raise GenerationImpossible("no documents to write questions from")
        sentences: list[Sentence] = []
        for document in documents:
            data = await document.read()
            # pypdf is pure Python and slow on big files: keep the event loop free.
            pages = await asyncio.to_thread(read_pages, data, document.name, self._max_pages)
            sentences.extend(
                Sentence(document.source_id, number, text)
                for number, page in enumerate(pages, start=1)
                for text in split_sentences(page)
            )
        if not sentences:
            raise GenerationImpossible("the documents have no readable text (scanned images?)")
        skip = {*spec.exclude, *(rejected.text for rejected in spec.rejected)}
        questions = write_questions(sentences, spec, skip)
        title = PurePath(documents[0].name).stem
        return GeneratedQuestionSet(title=title, questions=tuple(questions))

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade:
        return overlap_grade(model_answer, answer, self._language)

    async def aclose(self) -> None:
        """Nothing to release; present so the container treats every generator alike."""
