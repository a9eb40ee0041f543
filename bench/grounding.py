"""Benchmark: what checking quotes against the PDF costs, and which extractor reads the text.

Run through ``uv run python -m bench.generation --grounding`` (a few seconds). It reports:
- text extraction per document, pypdf (``PdfReader.extract_text``) against PDFium
  (``pypdfium2``, the ``PageText`` adapter), mean CPU time of several runs, and whether the two
  texts agree page by page once put in the normal form quotes are compared in;
- verification CPU per 20-question set on the 120-page fixture, as a job spends it: the cited
  pages read by PDFium (the neighbours too for quotes not found there), each once, then every
  question checked (form, duplicates, quote), against reading all 120 pages;
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
from pullit_adapters.page_text import PdfiumPageText, extract_pages, has_text
from pullit_domain.grounding import normal_form
from pullit_domain.job_pages import JobPages
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
    """A fresh job per set: the cited pages (and neighbours of misses) read by PDFium, then checked."""
    data = LONG.read_bytes()
    pages = extract_pages(data, LONG.name)
    questions = asyncio.run(twenty_questions(pages))
    reader = PdfiumPageText()

    async def one_set() -> Screening:
        screening = Screening(QuestionType.SHORT_ANSWER, JobPages(reader, {SOURCE_ID: (data, LONG.name)}), "bench")
        await screening.screen(questions)
        return screening

    async def sets() -> tuple[Screening, float]:
        first = await one_set()
        started = time.process_time()
        for _ in range(runs):
            await one_set()
        return first, (time.process_time() - started) / runs * 1000

    screening, per_set = asyncio.run(sets())
    tally = screening.tally
    cited = len({q.page for q in questions})
    return (
        f"| {len(pages)} | {len(questions)} ({cited} pages cited) | {tally.grounded} kept "
        f"({tally.corrected_pages} pages corrected), {sum(tally.rejected.values())} rejected | {per_set:.2f} ms | "
        f"{mean_cpu_ms(lambda: extract_pages(data, LONG.name), 5):.1f} ms |"
    )


async def offline_run(path: Path, data: bytes, kind: QuestionType, count: int) -> str:
    tallies: list[ScreeningTally] = []
    job = JobPages(PdfiumPageText(), {SOURCE_ID: (data, path.name)})
    written = await WriteGroundedSet(OfflineLLM(max_pages=200, language="en"), tallies.append)(
        [document(path)], job, GenerationSpec(kind, Difficulty.EASY, count, "en"), None
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
        data = path.read_bytes()
        try:
            has_text(data, path.name)
        except GenerationImpossible as refused:
            rows.append(f"| {path.name} | any | {count} | refused: {refused.reason} | | | | |")
            continue
        rows.extend(asyncio.run(offline_run(path, data, kind, count)) for kind in QuestionType)
    return rows


def report(runs: int = 200, count: int = 20) -> str:
    parts = [
        "| document | pages | pypdf | PDFium | pages alike (normal form) | Hangul letters pypdf / PDFium |",
        "|---|---|---|---|---|---|",
        extractors(KOREAN, 20),
        extractors(FIXTURES / "photosynthesis.pdf", 20),
        extractors(LONG, 5),
        "",
        "| pages | questions | outcome | verification CPU per set (page reads included) | reading all pages instead |",
        "|---|---|---|---|---|",
        verification(runs),
        "",
        "| fixture | type | asked | written | grounded | rejected | asked again | delivered |",
        "|---|---|---|---|---|---|---|---|",
        *offline_over_fixtures(count),
    ]
    return "\n".join(parts)
