"""Benchmark: what checking quotes against the PDF costs, and which extractor reads the text.

Run through ``uv run python -m bench.generation --grounding`` (a few seconds). It reports:
- text extraction per document, pypdf (``PdfReader.extract_text``) against PDFium
  (``pypdfium2``, the ``PageText`` adapter), mean CPU time of several runs, and whether the two
  texts agree page by page once put in the normal form quotes are compared in;
- verification CPU per 20-question set on the 120-page fixture: a fresh per-job ``PageIndex``
  over the already extracted pages, then every question checked (form, duplicates, quote);
- the offline writer over every fixture PDF through ``WriteGroundedSet``: written, grounded,
  rejected, asked again, per question type, for 20-question sets.
"""

from __future__ import annotations

import asyncio
import io
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from pullit_adapters.offline import OfflineLLM
from pullit_adapters.page_text import extract_pages
from pullit_domain.grounding import PageIndex, normal_form
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, GenerationImpossible, GenerationSpec, SourceDocument
from pullit_domain.screening import Screening, ScreeningTally
from pullit_domain.use_cases.grounded_writing import WriteGroundedSet

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
LONG = FIXTURES / "long-120-pages.pdf"
KOREAN = FIXTURES / "networking-ko.pdf"
SOURCE_ID = 1


def mean_cpu_ms(work: Callable[[], object], runs: int) -> float:
    work()  # warm-up: imports and first-call caches are not what is measured
    started = time.process_time()
    for _ in range(runs):
        work()
    return (time.process_time() - started) / runs * 1000


def pypdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def extractors(path: Path, runs: int) -> str:
    data = path.read_bytes()
    by_pypdf, by_pdfium = pypdf_pages(data), extract_pages(data, path.name)
    same = sum(normal_form(a) == normal_form(b) for a, b in zip(by_pypdf, by_pdfium, strict=True))
    hangul = [len(re.findall(r"[가-힣]", "".join(pages))) for pages in (by_pypdf, by_pdfium)]
    return (
        f"| {path.name} | {len(by_pdfium)} | {mean_cpu_ms(lambda: pypdf_pages(data), runs):.1f} ms "
        f"| {mean_cpu_ms(lambda: extract_pages(data, path.name), runs):.1f} ms "
        f"| {same}/{len(by_pdfium)} | {hangul[0]} / {hangul[1]} |"
    )


def document(path: Path) -> SourceDocument:
    data = path.read_bytes()

    async def read() -> bytes:
        return data

    return SourceDocument(SOURCE_ID, path.name, "application/pdf", len(data), read)


async def twenty_questions(pages: list[str]) -> list[GeneratedQuestion]:
    """20 offline questions on the long fixture, 5 citing the page after theirs, 5 invented."""
    spec = GenerationSpec(QuestionType.SHORT_ANSWER, Difficulty.EASY, 20, "en")
    written = await OfflineLLM(max_pages=len(pages)).generate([document(LONG)], spec)
    questions = list(written.questions)
    for n in range(5, 10):
        questions[n] = replace(questions[n], page=(questions[n].page or 1) + 1)
    for n in range(10, 15):
        questions[n] = replace(questions[n], quote=f"Charles Babbage wrote {n} symphonies for the Analytical Engine.")
    return questions


def verification(runs: int) -> str:
    pages = extract_pages(LONG.read_bytes(), LONG.name)
    questions = asyncio.run(twenty_questions(pages))

    def one_set() -> None:
        Screening(QuestionType.SHORT_ANSWER, PageIndex({SOURCE_ID: pages}), "bench").screen(questions)

    screening = Screening(QuestionType.SHORT_ANSWER, PageIndex({SOURCE_ID: pages}), "bench")
    screening.screen(questions)
    started = time.process_time()
    for _ in range(runs):
        one_set()
    per_set = (time.process_time() - started) / runs * 1000
    tally = screening.tally
    return (
        f"| {len(pages)} | {len(questions)} | {tally.grounded} kept ({tally.corrected_pages} pages corrected), "
        f"{sum(tally.rejected.values())} rejected | {per_set:.2f} ms | "
        f"{mean_cpu_ms(lambda: extract_pages(LONG.read_bytes(), LONG.name), 5):.1f} ms |"
    )


async def offline_run(path: Path, pages: list[str], kind: QuestionType, count: int) -> str:
    tallies: list[ScreeningTally] = []
    written = await WriteGroundedSet(OfflineLLM(max_pages=200, language="en"), tallies.append)(
        [document(path)], PageIndex({SOURCE_ID: pages}), GenerationSpec(kind, Difficulty.EASY, count, "en"), None
    )
    (tally,) = tallies
    rejected = ", ".join(f"{reason}: {n}" for reason, n in sorted(tally.rejected.items())) or "0"
    return (
        f"| {path.name} | {kind} | {count} | {tally.written} | {tally.grounded} | {rejected} "
        f"| {tally.reasked} | {written.delivered} |"
    )


def offline_over_fixtures(count: int) -> list[str]:
    rows = []
    for path in sorted(FIXTURES.glob("*.pdf")):
        try:
            pages = extract_pages(path.read_bytes(), path.name)
        except GenerationImpossible as refused:
            rows.append(f"| {path.name} | any | {count} | refused: {refused.reason} | | | | |")
            continue
        rows.extend(asyncio.run(offline_run(path, pages, kind, count)) for kind in QuestionType)
    return rows


def report(runs: int = 200, count: int = 20) -> str:
    parts = [
        "| document | pages | pypdf | PDFium | pages alike (normal form) | Hangul letters pypdf / PDFium |",
        "|---|---|---|---|---|---|",
        extractors(KOREAN, 20),
        extractors(FIXTURES / "photosynthesis.pdf", 20),
        extractors(LONG, 5),
        "",
        "| pages | questions | outcome | verification CPU per set | extraction per job (PDFium, all pages) |",
        "|---|---|---|---|---|",
        verification(runs),
        "",
        "| fixture | type | asked | written | grounded | rejected | asked again | delivered |",
        "|---|---|---|---|---|---|---|---|",
        *offline_over_fixtures(count),
    ]
    return "\n".join(parts)
