"""Only questions whose quote is on their page reach the learner, on the real fixture PDFs.

A fake writer answers with a mix of true quotes, quotes from a neighbouring or a distant
page, paraphrases and inventions; the generation use case reads the PDF's text itself
(PDFium) and keeps what the material grounds.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pypdf import PdfWriter

from pullit_adapters.page_text import PdfiumPageText
from pullit_domain.model.question import QuestionType
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.ports.llm import (
    GeneratedQuestion,
    GeneratedQuestionSet,
    GenerationFailed,
    GenerationSpec,
    Grade,
    RejectReason,
    SourceDocument,
)
from pullit_domain.use_cases.generation import Outcome
from tests.support.generation import World

SHORT = QuestionType.SHORT_ANSWER


@dataclass(frozen=True)
class Cited:
    """A question the fake writer writes: its quote, the page it cites, and where the quote really is."""

    quote: str
    cited: int
    found: int | None
    answer: str = "a term"


ENGLISH = [
    Cited("The process takes place in chloroplasts.", 1, 1),
    Cited("The Calvin cycle, also called the light-independent reactions, occurs in the stroma.", 2, 2),
    # Line breaks inside the quote on the page: "concentration\nand temperature".
    Cited(
        "Limiting factors of photosynthesis are light intensity, carbon dioxide concentration and temperature.", 2, 3
    ),
    Cited("The light-dependent reactions occur in the thylakoid membranes.", 1, 2),
    Cited("The enzyme RuBisCO fixes carbon dioxide onto ribulose bisphosphate.", 3, 2),
    Cited("CAM plants such as cacti separate them in time, opening their stomata at night.", 1, None),  # page 3
    Cited("Photosynthesis happens inside the chloroplasts of green plant cells.", 1, None),  # paraphrase
    Cited("Photosynthesis was first described by Jan Ingenhousz in 1779.", 1, None),  # invention
]
ENGLISH_AGAIN = [
    Cited("Water is split (photolysis), releasing oxygen as a by-product", 2, 2),
    Cited("Chlorophyll absorbs green light and reflects red and blue light.", 1, None),  # words swapped
]
KOREAN = [
    Cited("TCP는 연결 지향적이며 3-way handshake로 연결을 맺는다.", 1, 1),
    Cited(
        "DNS는 도메인 이름을 IP 주소로 바꾸어 주는 응용 계층 프로토콜이며 기본적으로 UDP 53번 포트를 사용한다.", 2, 2
    ),
    Cited("게이트웨이는 서로 다른 프로토콜을 사용하는 네트워크를 연결하는 장치이다.", 1, 2),
    Cited("전송 계층은 세그먼트를, 네트워크 계층은 패킷을, 데이터 링크 계층은 프레임을 만든다.", 2, 1),
    Cited("라우터는 IP 주소를 보고 가장 좋은 경로로 패킷을 보낸다.", 2, None),  # paraphrase
    Cited("HTTP는 기본적으로 TCP 80번 포트를 사용하는 응용 계층 프로토콜이다.", 2, None),  # invention
]
KOREAN_AGAIN = [
    Cited("OSI 7계층 중 전송 계층은 종단 간 신뢰성 있는 전송을 담당하며 TCP와 UDP가 대표적인 프로토콜이다.", 1, 1),
    Cited("캡슐화는 데이터가 하위 계층에서 상위 계층으로 올라가면서 헤더가 떨어지는 과정이다.", 1, None),  # reversed
]


class MixedWriter:
    """Writes the scripted questions for each call, in order; remembers what it was asked."""

    name = "mixed"

    def __init__(self, *replies: Sequence[Cited] | Exception) -> None:
        self.replies = list(replies)
        self.specs: list[GenerationSpec] = []

    async def generate(self, documents: Sequence[SourceDocument], spec: GenerationSpec) -> GeneratedQuestionSet:
        self.specs.append(spec)
        reply = self.replies.pop(0) if self.replies else []
        if isinstance(reply, Exception):
            raise reply
        source_id = documents[0].source_id
        questions = tuple(
            GeneratedQuestion(
                SHORT, f"Question {len(self.specs)}-{n}?", c.answer, "explained", None, source_id, c.cited, c.quote
            )
            for n, c in enumerate(reply)
        )
        return GeneratedQuestionSet("Grounded", questions, input_tokens=100, output_tokens=50)

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade:
        return Grade(1.0, "")


async def run(world: World, pdf: Path, count: int) -> tuple[int, int, Outcome | None]:
    member = await world.member()
    source = await world.source(member, pages=3, data=pdf.read_bytes(), name=pdf.name)
    set_id = await world.create(world.request(member, source, count=count, kind=SHORT))
    return member, set_id, await world.run_worker()


@pytest.mark.parametrize(
    ("name", "first", "again"),
    [("photosynthesis.pdf", ENGLISH, ENGLISH_AGAIN), ("networking-ko.pdf", KOREAN, KOREAN_AGAIN)],
    ids=["english", "korean"],
)
async def test_only_grounded_questions_are_stored_with_their_true_pages(
    fixtures_dir: Path, name: str, first: list[Cited], again: list[Cited]
) -> None:
    writer = MixedWriter(first, again)
    world = World(writer, PdfiumPageText())

    member, set_id, outcome = await run(world, fixtures_dir / name, count=len(first))

    assert outcome is Outcome.COMPLETE
    grounded = [c for c in [*first, *again] if c.found is not None]
    async with world.db.unit_of_work() as uow:
        stored = await uow.questions.for_set(set_id)
        question_set = await uow.question_sets.by_id(set_id)
    assert [(q.quote, q.page) for q in stored] == [(c.quote, c.found) for c in grounded]
    assert question_set is not None
    assert (question_set.question_count, question_set.delivered) == (len(first), len(grounded))
    # Asked once more, for exactly the missing number, told which were dropped and why.
    missing = len(first) - len([c for c in first if c.found])
    assert [s.count for s in writer.specs] == [len(first), missing]
    assert [r.reason for r in writer.specs[1].rejected] == [RejectReason.QUOTE_NOT_FOUND] * missing
    assert len(writer.specs[1].exclude) == len(first) - missing
    (event,) = await world.events(member)
    assert (event["status"], event["requested"], event["delivered"]) == ("COMPLETE", len(first), len(grounded))
    assert f"with {len(grounded)} of {len(first)} questions" in str(event["message"])
    (tally,) = world.tallies
    assert (tally.written, tally.grounded, tally.reasked) == (len(first) + len(again), len(grounded), 1)
    assert tally.corrected_pages == sum(1 for c in grounded if c.found != c.cited)


async def test_an_over_long_short_answer_costs_one_question_not_the_set(fixtures_dir: Path) -> None:
    over_long = Cited("The process takes place in chloroplasts.", 1, 1, answer="the chloroplasts of green plant cells")
    writer = MixedWriter([*ENGLISH[1:4], over_long], [ENGLISH[4]])
    world = World(writer, PdfiumPageText())

    _, set_id, outcome = await run(world, fixtures_dir / "photosynthesis.pdf", count=4)

    assert outcome is Outcome.COMPLETE
    assert await world.status(set_id) == (QuestionSetStatus.COMPLETE, None, 4)
    assert [r.reason for r in writer.specs[1].rejected] == [RejectReason.SHORT_ANSWER_LENGTH]


async def test_a_set_the_material_cannot_ground_fails_with_a_clear_reason(fixtures_dir: Path) -> None:
    writer = MixedWriter([*ENGLISH[:1], *ENGLISH[5:]], ENGLISH[6:])
    world = World(writer, PdfiumPageText())

    member, set_id, outcome = await run(world, fixtures_dir / "photosynthesis.pdf", count=4)

    assert outcome is Outcome.FAILED
    status, reason, stored = await world.status(set_id)
    assert (status, stored) == (QuestionSetStatus.FAILED, 0)
    assert reason == "only 1 of 4 questions could be checked against the material (at least 2 are needed)"
    (event,) = await world.events(member)
    assert (event["status"], event["requested"], event["delivered"]) == ("FAILED", 4, 0)
    assert reason in str(event["message"])


async def test_a_failed_second_request_keeps_half_a_set_and_retries_less(fixtures_dir: Path) -> None:
    half = MixedWriter(ENGLISH[:4], GenerationFailed("Gemini answered 503"))
    world = World(half, PdfiumPageText())
    _, set_id, outcome = await run(world, fixtures_dir / "photosynthesis.pdf", count=8)
    assert outcome is Outcome.COMPLETE
    assert await world.status(set_id) == (QuestionSetStatus.COMPLETE, None, 4)

    little = MixedWriter(ENGLISH[:3], GenerationFailed("Gemini answered 503"))
    world = World(little, PdfiumPageText())
    _, set_id, outcome = await run(world, fixtures_dir / "photosynthesis.pdf", count=8)
    assert outcome is Outcome.RETRY
    assert await world.status(set_id) == (QuestionSetStatus.PENDING, None, 0)


def blank_pdf(pages: int = 2) -> bytes:
    """A PDF with pages but no text layer, as a scanner without OCR writes it."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_a_scanned_pdf_without_text_is_refused_before_the_writer_is_asked(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(blank_pdf())
    writer = MixedWriter(ENGLISH)
    world = World(writer, PdfiumPageText())

    _, set_id, outcome = await run(world, scan, count=4)

    assert outcome is Outcome.UNPROCESSABLE
    status, reason, _ = await world.status(set_id)
    assert status is QuestionSetStatus.UNPROCESSABLE
    assert reason is not None and "'scan.pdf' has no text layer (is it a scanned image?)" in reason
    assert writer.specs == []


class CountingPageText(PdfiumPageText):
    """PDFium, remembering which pages were read."""

    def __init__(self) -> None:
        self.read: list[int] = []

    async def pages(self, data: bytes, name: str, numbers: Collection[int]) -> dict[int, str]:
        self.read.extend(numbers)
        return await super().pages(data, name, numbers)


async def test_each_page_is_read_once_per_job_and_only_when_a_quote_needs_it(fixtures_dir: Path) -> None:
    # Four questions on page 1, two of them quoting page 2: page 3 is never needed.
    on_page_one = [replace(ENGLISH[0], answer=f"term {n}") for n in range(2)]
    writer = MixedWriter([*on_page_one, ENGLISH[3], replace(ENGLISH[3], answer="other")])
    reader = CountingPageText()
    world = World(writer, reader)

    _, set_id, outcome = await run(world, fixtures_dir / "photosynthesis.pdf", count=4)

    assert outcome is Outcome.COMPLETE
    assert await world.status(set_id) == (QuestionSetStatus.COMPLETE, None, 4)
    assert sorted(reader.read) == [1, 2]
