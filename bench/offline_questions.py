"""Quality of the offline question writer on every fixture PDF (tests/fixtures/pdf and, when
present, /work/shared/fixtures/pdf): every short-answer and multiple-choice question it can write
(EASY and HARD), and the two shares of ``pullit_adapters.offline.quality``.

    uv run python -m bench.offline_questions [--write] [--samples 3]

A fixture it cannot read (encrypted, damaged, not a PDF) is listed with its reason.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pullit_adapters.offline.generator import material_of
from pullit_adapters.offline.quality import quality_of
from pullit_adapters.offline.questions import write_questions
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.ports.llm import GeneratedQuestion, GenerationImpossible, GenerationSpec

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = [ROOT / "tests" / "fixtures" / "pdf", Path("/work/shared/fixtures/pdf")]
EVERYTHING = 100_000
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:offline_questions:start -->", "<!-- bench:offline_questions:end -->"


def questions_of(path: Path) -> tuple[str, list[GeneratedQuestion]]:
    material = material_of(path.read_bytes(), path.name, 1, max_pages=1000)
    questions = [
        question
        for kind in (QuestionType.SHORT_ANSWER, QuestionType.MULTIPLE_CHOICE)
        for difficulty in Difficulty
        for question in write_questions([material], GenerationSpec(kind, difficulty, EVERYTHING))
    ]
    return material.language, questions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="replace the section in docs/performance.md")
    parser.add_argument("--samples", type=int, default=3, help="multiple-choice questions shown per fixture")
    args = parser.parse_args()
    rows: list[str] = []
    samples: list[str] = []
    sampled: set[str] = set()
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.pdf")) if folder.is_dir() else []:
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            started = time.perf_counter()
            try:
                language, questions = questions_of(path)
            except GenerationImpossible as error:
                rows.append(f"| `{where}` | - | - | - | - | {error.reason} |")
                continue
            seconds = time.perf_counter() - started
            quality = quality_of(questions)
            rows.append(
                f"| `{where}` | {language} | {quality.answers} | {quality.common_share:.1%} "
                f"({quality.common_answers}) | {quality.related_share:.1%} ({quality.related_option_lists} of "
                f"{quality.option_lists}) | {seconds:.2f} s |"
            )
            if path.name in sampled:
                continue  # the same fixture in the shared folder
            sampled.add(path.name)
            # One question per kind of blank: the first short-answer ones, then multiple choice.
            chosen = [q for q in questions if not q.options][: args.samples]
            chosen += [q for q in questions if q.options][: args.samples]
            samples += [
                f"- `{path.name}`: {q.text} / options: {', '.join(q.options or ['-'])} / answer: {q.answer}"
                for q in chosen
            ]
    table = "\n".join(
        [
            "| fixture | language | cloze answers | common answers (Zipf >= 5) | option lists with a related pair "
            "| time |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print(table, "", *samples, sep="\n")
    if args.write:
        heading = "Sample questions (the first short-answer and multiple-choice ones of each fixture):"
        section = f"{START}\n{table}\n\n{heading}\n\n" + "\n".join(samples) + f"\n{END}"
        text = DOC.read_text()
        if START in text:
            text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
        else:
            text += f"\n{section}\n"
        DOC.write_text(text)


if __name__ == "__main__":
    main()
