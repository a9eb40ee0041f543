"""Offline questions are worth answering and written in one language: the document's own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pullit_adapters.offline import OfflineLLM
from pullit_adapters.offline.generator import material_of
from pullit_adapters.offline.quality import has_related_pair, quality_of
from pullit_adapters.offline.questions import with_particle, write_questions
from pullit_adapters.offline.terms import detect_language, related
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, GenerationSpec, SourceDocument

HANGUL = re.compile(r"[가-힣]")
FIXTURES = ["photosynthesis.pdf", "networking-ko.pdf", "long-120-pages.pdf"]


def every_question(path: Path) -> list[GeneratedQuestion]:
    """All short-answer and multiple-choice questions the writer can find, EASY and HARD."""
    material = material_of(path.read_bytes(), path.name, 1, max_pages=1000)
    return [
        question
        for kind in (QuestionType.SHORT_ANSWER, QuestionType.MULTIPLE_CHOICE)
        for difficulty in Difficulty
        for question in write_questions([material], GenerationSpec(kind, difficulty, 10_000))
    ]


async def generated(path: Path, kind: QuestionType, count: int, learner_language: str) -> list[GeneratedQuestion]:
    data = path.read_bytes()

    async def read() -> bytes:
        return data

    document = SourceDocument(1, path.name, "application/pdf", len(data), read)
    spec = GenerationSpec(kind, Difficulty.EASY, count, learner_language)
    return list((await OfflineLLM().generate([document], spec)).questions)


@pytest.mark.parametrize("name", FIXTURES)
def test_few_answers_are_common_words_and_no_options_are_related(fixtures_dir: Path, name: str) -> None:
    quality = quality_of(every_question(fixtures_dir / name))

    assert quality.answers >= 20 and quality.option_lists >= 4
    assert quality.common_share <= 0.10
    assert quality.related_option_lists == 0


@pytest.mark.parametrize("kind", list(QuestionType))
async def test_an_english_document_gives_english_questions_even_to_a_korean_learner(
    fixtures_dir: Path, kind: QuestionType
) -> None:
    questions = await generated(fixtures_dir / "photosynthesis.pdf", kind, 6, "ko")

    for q in questions:
        written = " ".join([q.text, q.answer, q.explanation, *(q.options or ())])
        assert not HANGUL.search(written), written


@pytest.mark.parametrize("kind", list(QuestionType))
async def test_a_korean_document_gives_korean_questions_even_to_an_english_learner(
    fixtures_dir: Path, kind: QuestionType
) -> None:
    path = fixtures_dir / "networking-ko.pdf"
    text = " ".join(s.text for s in material_of(path.read_bytes(), "x", 1, 100).sentences)
    document_words = set(re.findall(r"[A-Za-z]+", text))

    questions = await generated(path, kind, 6, "en")

    for q in questions:
        assert HANGUL.search(q.text) and HANGUL.search(q.explanation)
        # Latin words come from the material itself ("TCP"), never from our wording.
        added = set(re.findall(r"[A-Za-z]+", q.text + q.explanation)) - document_words
        assert added == set(), q.text


async def test_options_are_distinct_and_of_the_answers_kind(fixtures_dir: Path) -> None:
    for name in ("photosynthesis.pdf", "networking-ko.pdf"):
        for q in await generated(fixtures_dir / name, QuestionType.MULTIPLE_CHOICE, 8, "ko"):
            assert q.options is not None
            assert len({" ".join(o.casefold().split()) for o in q.options}) == 4
            assert not has_related_pair(q.options), q.options
            assert len({bool(HANGUL.search(o)) for o in q.options}) == 1, q.options


def test_related_terms_are_inflections_containment_and_case() -> None:
    assert related("molecules", "molecule")
    assert related("Carbon", "carbon dioxide")
    assert related("계층", "전송 계층")
    assert related("reaction", "Reactions")
    assert not related("stroma", "stomata")
    assert not related("TCP", "UDP")


def test_the_documents_language_is_detected_from_its_letters() -> None:
    assert detect_language("캡슐화(encapsulation)는 데이터가 상위 계층에서 하위 계층으로 내려간다. TCP와 UDP") == "ko"
    assert detect_language("Photosynthesis takes place in chloroplasts.") == "en"


def test_a_swapped_korean_noun_takes_the_matching_particle() -> None:
    assert with_particle("하위은 세그먼트를", "하위") == "하위는 세그먼트를"
    assert with_particle("프레임를 전달한다", "프레임") == "프레임을 전달한다"
    assert with_particle("계층가 보낸다", "계층") == "계층이 보낸다"
    assert with_particle("계층로 보낸다", "계층") == "계층으로 보낸다"
    assert with_particle("하위이다.", "하위") == "하위이다."
    assert with_particle("UDP는", "UDP") == "UDP는"
