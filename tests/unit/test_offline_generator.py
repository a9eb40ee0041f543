"""The offline generator writes real, answerable questions from a PDF's own text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from pullit_adapters.offline import OfflineLLM
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.ports.llm import (
    GeneratedQuestionSet,
    GenerationImpossible,
    GenerationSpec,
    RejectedQuestion,
    RejectReason,
    SourceDocument,
)

SOURCE_ID = 41
FIXTURES = [("photosynthesis.pdf", "en"), ("networking-ko.pdf", "ko")]


def document(path: Path, source_id: int = SOURCE_ID) -> SourceDocument:
    data = path.read_bytes()

    async def read() -> bytes:
        return data

    return SourceDocument(source_id, path.name, "application/pdf", len(data), read)


def page_texts(path: Path) -> dict[int, str]:
    """Each page's text with all whitespace runs as one space, read independently of the generator."""
    return {n: " ".join((page.extract_text() or "").split()) for n, page in enumerate(PdfReader(path).pages, start=1)}


async def generate(path: Path, kind: QuestionType, count: int, language: str, **options: int) -> GeneratedQuestionSet:
    return await OfflineLLM(**options).generate(
        [document(path)], GenerationSpec(kind, Difficulty.EASY, count, language)
    )


@pytest.mark.parametrize(("name", "language"), FIXTURES)
@pytest.mark.parametrize("kind", list(QuestionType))
async def test_questions_of_every_type_come_from_the_document(
    fixtures_dir: Path, name: str, language: str, kind: QuestionType
) -> None:
    path = fixtures_dir / name
    pages = page_texts(path)

    generated = await generate(path, kind, 6, language)

    assert len(generated.questions) == 6
    assert len({q.text for q in generated.questions}) == 6
    for q in generated.questions:
        assert q.question_type is kind
        assert q.source_id == SOURCE_ID
        assert q.page in pages
        page = pages[q.page or 0]
        # The quote is the sentence the question was built from, as the page writes it.
        assert 0 < len(q.quote) <= 300
        assert " ".join(q.quote.split()) in page, q.quote
        if kind is QuestionType.TRUE_FALSE:
            # A true statement is what the page says; a false one is not written there.
            assert (" ".join(q.text.split()) in page) == (q.answer == "true"), q.text
        else:
            assert " ".join(q.answer.split()) in page, q.answer
        if kind is QuestionType.MULTIPLE_CHOICE:
            assert q.options is not None
            assert len(q.options) == 4
            assert len({o.casefold() for o in q.options}) == 4
            assert q.answer in q.options
        else:
            assert q.options is None
        if kind is QuestionType.SHORT_ANSWER:
            assert len(q.answer) <= 20
        if kind in (QuestionType.SHORT_ANSWER, QuestionType.MULTIPLE_CHOICE):
            # The answer is blanked out of the question, not given away in it.
            assert "____" in q.text
            assert q.answer not in q.text


@pytest.mark.parametrize(("name", "language"), FIXTURES)
async def test_true_false_sets_mix_true_and_false_statements(fixtures_dir: Path, name: str, language: str) -> None:
    generated = await generate(fixtures_dir / name, QuestionType.TRUE_FALSE, 8, language)

    assert {q.answer for q in generated.questions} == {"true", "false"}


@pytest.mark.parametrize(("name", "language"), FIXTURES)
@pytest.mark.parametrize("kind", list(QuestionType))
async def test_the_same_document_gives_the_same_set(
    fixtures_dir: Path, name: str, language: str, kind: QuestionType
) -> None:
    first = await generate(fixtures_dir / name, kind, 5, language)
    second = await generate(fixtures_dir / name, kind, 5, language)

    assert first == second


@pytest.mark.parametrize(("name", "language"), FIXTURES)
async def test_hard_sets_ask_for_rarer_terms_than_easy_sets(fixtures_dir: Path, name: str, language: str) -> None:
    path = fixtures_dir / name
    text = " ".join(page_texts(path).values()).lower()
    llm = OfflineLLM()

    easy = await llm.generate([document(path)], GenerationSpec(QuestionType.SHORT_ANSWER, Difficulty.EASY, 6, language))
    hard = await llm.generate([document(path)], GenerationSpec(QuestionType.SHORT_ANSWER, Difficulty.HARD, 6, language))

    def mean_frequency(generated: GeneratedQuestionSet) -> float:
        return sum(text.count(q.answer.lower()) for q in generated.questions) / len(generated.questions)

    assert mean_frequency(hard) < mean_frequency(easy)


async def test_korean_questions_use_korean_terms_and_wording(fixtures_dir: Path) -> None:
    generated = await generate(fixtures_dir / "networking-ko.pdf", QuestionType.SHORT_ANSWER, 5, "ko")

    assert all(q.text.startswith("빈칸에") for q in generated.questions)
    # Terms are nouns without their particles: "계층", never "계층은".
    assert all(not q.answer.endswith(("은", "는", "을", "를")) for q in generated.questions)


async def test_the_title_is_the_first_documents_name(fixtures_dir: Path) -> None:
    generated = await generate(fixtures_dir / "photosynthesis.pdf", QuestionType.SUBJECTIVE, 2, "en")

    assert generated.title == "photosynthesis"


async def test_questions_cover_several_documents(fixtures_dir: Path) -> None:
    documents = [document(fixtures_dir / "photosynthesis.pdf", 1), document(fixtures_dir / "networking-ko.pdf", 2)]

    generated = await OfflineLLM().generate(documents, GenerationSpec(QuestionType.SHORT_ANSWER, Difficulty.EASY, 12))

    assert {q.source_id for q in generated.questions} == {1, 2}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("encrypted.pdf", "encrypted"),
        ("truncated.pdf", "damaged"),
        ("not-a-pdf.pdf", "not a PDF"),
    ],
)
async def test_unreadable_documents_are_impossible(fixtures_dir: Path, name: str, reason: str) -> None:
    with pytest.raises(GenerationImpossible, match=reason):
        await generate(fixtures_dir / name, QuestionType.MULTIPLE_CHOICE, 3, "en")


async def test_a_document_over_the_page_limit_is_impossible(fixtures_dir: Path) -> None:
    with pytest.raises(GenerationImpossible, match="120 pages; at most 100"):
        await generate(fixtures_dir / "long-120-pages.pdf", QuestionType.SHORT_ANSWER, 3, "en", max_pages=100)


async def test_a_long_document_within_the_limit_is_read(fixtures_dir: Path) -> None:
    generated = await generate(fixtures_dir / "long-120-pages.pdf", QuestionType.SHORT_ANSWER, 10, "en", max_pages=150)

    assert len(generated.questions) == 10


async def test_too_little_text_for_the_count_gives_what_the_text_holds(fixtures_dir: Path) -> None:
    generated = await generate(fixtures_dir / "photosynthesis.pdf", QuestionType.MULTIPLE_CHOICE, 100, "en")

    assert 0 < len(generated.questions) < 100


async def test_asked_again_it_writes_other_questions(fixtures_dir: Path) -> None:
    path = fixtures_dir / "photosynthesis.pdf"
    first = await generate(path, QuestionType.SHORT_ANSWER, 4, "en")

    again = await OfflineLLM().generate(
        [document(path)],
        GenerationSpec(
            QuestionType.SHORT_ANSWER,
            Difficulty.EASY,
            3,
            "en",
            exclude=tuple(q.text for q in first.questions[:2]),
            rejected=tuple(RejectedQuestion(q.text, RejectReason.QUOTE_NOT_FOUND) for q in first.questions[2:]),
        ),
    )

    assert len(again.questions) == 3
    assert not {q.text for q in again.questions} & {q.text for q in first.questions}


async def test_grading_scores_the_share_of_key_terms_used() -> None:
    llm = OfflineLLM(language="ko")
    model_answer = "라우터는 네트워크 계층에서 IP 주소를 보고 최적 경로로 패킷을 전달한다."

    full = await llm.grade(
        "라우터의 역할은?", model_answer, "네트워크 계층의 라우터가 IP 주소로 경로를 정해 패킷을 보낸다"
    )
    partial = await llm.grade("라우터의 역할은?", model_answer, "라우터가 패킷을 보낸다")
    empty = await llm.grade("라우터의 역할은?", model_answer, "")

    assert full.score == 1.0
    assert 0.0 < partial.score < full.score
    assert empty.score == 0.0
    assert "주소" in partial.feedback
    assert await llm.grade("라우터의 역할은?", model_answer, "라우터가 패킷을 보낸다") == partial
