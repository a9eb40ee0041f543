"""``OfflineLLM``: the generator used when no Gemini key is configured."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import PurePath

from pullit_adapters.offline.grading import overlap_grade
from pullit_adapters.offline.pdf import read_pages
from pullit_adapters.offline.questions import Material, write_questions
from pullit_adapters.offline.terms import detect_language, document_terms
from pullit_adapters.offline.text import Sentence, split_sentences
from pullit_domain.ports.llm import (
    GeneratedQuestionSet,
    GenerationImpossible,
    GenerationSpec,
    Grade,
    SourceDocument,
)

DEFAULT_MAX_PAGES = 100


def material_of(data: bytes, name: str, source_id: int, max_pages: int) -> Material:
    """A document's sentences, language and key terms (CPU-bound: run it in a thread)."""
    pages = read_pages(data, name, max_pages)
    sentences = [
        Sentence(source_id, number, text)
        for number, page in enumerate(pages, start=1)
        for text in split_sentences(page)
    ]
    text = "\n".join(sentence.text for sentence in sentences)
    language = detect_language(text)
    return Material(language, sentences, document_terms(text, language))


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
        materials: list[Material] = []
        for document in documents:
            data = await document.read()
            # pypdf, yake and Kiwi are CPU-bound: keep the event loop free.
            material = await asyncio.to_thread(material_of, data, document.name, document.source_id, self._max_pages)
            if material.sentences:
                materials.append(material)
        if not materials:
            raise GenerationImpossible("the documents have no readable text (scanned images?)")
        skip = {*spec.exclude, *(rejected.text for rejected in spec.rejected)}
        questions = await asyncio.to_thread(write_questions, materials, spec, skip)
        title = PurePath(documents[0].name).stem
        return GeneratedQuestionSet(title=title, questions=tuple(questions))

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade:
        return overlap_grade(model_answer, answer, self._language)

    async def aclose(self) -> None:
        """Nothing to release; present so the container treats every generator alike."""
