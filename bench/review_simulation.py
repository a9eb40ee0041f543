"""Simulation: FSRS review (desired retention 0.90) against the original Pullit policy.

A simulated learner with a known forgetting curve meets 500 generated questions (50 new a day on
days 0..9, answered in a marking with feedback) and is followed for 90 days:

- **original**: every wrong answer is reviewed once a day until answered right once; right answers
  are never seen again (the wrong-answer note as the original service has it);
- **fsrs**: every answer is a review of the question's card through the ``ReviewScheduler`` port
  (``FsrsScheduler``, fuzz on, as the service runs it); each day at 09:00 the learner works through
  the due queue, with the 20-minute learn-ahead window for learning cards, 20 s per answer.

Ground truth (the learner, not FSRS's model): each question has a difficulty ``d`` ~ U(0, 1) and a
first stability ``S0`` ~ lognormal(median 1.5 days, sigma 0.5). Recall after ``t`` days is
``R = 0.9 ** (t / S)`` (exponential, where FSRS assumes a power curve). After an exposure with
feedback: recalled -> ``S *= 1 + (1 - d/2) * (0.5 * min(1, t/S) + 12 * (1 - R))`` (spacing pays,
cramming does not); forgotten -> ``S = max(S0/2, 0.3 * S)``. The first answer is right with
probability 0.5 (what the learner already knew).

"Retention at day N" is the mean recall probability over all 500 questions at 00:00 of day N (the
expected score of a surprise test of everything); "reviews" counts answers after each question's
first one, up to that day.

    uv run python -m bench.review_simulation [--seed 7] [--write]
"""

from __future__ import annotations

import argparse
import math
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pullit_adapters.fsrs_scheduler import FsrsScheduler
from pullit_domain.model.review import LEARN_AHEAD, CardMemory, rating_for

QUESTIONS = 500
NEW_PER_DAY = 50
DAYS = 90
CHECKPOINTS = (30, 60, 90)
START = datetime(2026, 1, 1, tzinfo=UTC)
MARKING_AT = timedelta(hours=8)
SESSION_AT = timedelta(hours=9)
ANSWER_TIME = timedelta(seconds=20)
DAY = timedelta(days=1)
DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"


@dataclass
class Memory:
    """The learner's true memory of one question."""

    difficulty: float
    first_stability: float
    stability: float = 0.0
    last_seen: datetime | None = None

    def recall(self, at: datetime) -> float:
        if self.last_seen is None:
            return 0.0
        days = (at - self.last_seen).total_seconds() / 86400
        return 0.9 ** (days / self.stability)

    def answer(self, at: datetime, rng: random.Random) -> bool:
        """Answer, then see the correct answer (which changes the memory)."""
        if self.last_seen is None:
            right = rng.random() < 0.5
            self.stability = self.first_stability
            self.last_seen = at
            return right
        recall = self.recall(at)
        right = rng.random() < recall
        elapsed = (at - self.last_seen).total_seconds() / 86400
        if right:
            spacing = 0.5 * min(1.0, elapsed / self.stability) + 12 * (1 - recall)
            self.stability *= 1 + (1 - self.difficulty / 2) * spacing
        else:
            self.stability = max(self.first_stability / 2, 0.3 * self.stability)
        self.last_seen = at
        return right


def learner(seed: int) -> list[Memory]:
    rng = random.Random(seed)
    return [Memory(rng.random(), math.exp(math.log(1.5) + 0.5 * rng.gauss(0, 1))) for _ in range(QUESTIONS)]


@dataclass
class Result:
    reviews: dict[int, int] = field(default_factory=dict)
    retention: dict[int, float] = field(default_factory=dict)


def checkpoint(result: Result, day: int, memories: list[Memory], reviews: int) -> None:
    if day in CHECKPOINTS:
        at = START + day * DAY
        result.reviews[day] = reviews
        result.retention[day] = sum(m.recall(at) for m in memories) / len(memories)


def original(seed: int) -> Result:
    rng = random.Random(seed + 1)
    memories = learner(seed)
    waiting: set[int] = set()
    result, reviews = Result(), 0
    for day in range(DAYS + 1):
        checkpoint(result, day, memories, reviews)
        today = START + day * DAY
        for i in sorted(waiting):
            reviews += 1
            if memories[i].answer(today + SESSION_AT, rng):
                waiting.discard(i)
        for i in new_questions(day):
            if not memories[i].answer(today + MARKING_AT, rng):
                waiting.add(i)
    return result


def new_questions(day: int) -> range:
    first = day * NEW_PER_DAY
    return range(first, min(first + NEW_PER_DAY, QUESTIONS)) if first < QUESTIONS else range(0)


def fsrs(seed: int, desired_retention: float) -> Result:
    rng = random.Random(seed + 1)
    random.seed(seed)  # py-fsrs draws its fuzz from the module-level generator
    scheduler = FsrsScheduler(fuzz=True)
    memories = learner(seed)
    cards: dict[int, CardMemory] = {}
    result, reviews = Result(), 0
    for day in range(DAYS + 1):
        checkpoint(result, day, memories, reviews)
        today = START + day * DAY
        for i in new_questions(day):
            right = memories[i].answer(today + MARKING_AT, rng)
            cards[i] = scheduler.review(None, rating_for(right), today + MARKING_AT, desired_retention)
        now = today + SESSION_AT
        while True:
            due = [i for i, c in cards.items() if c.due <= now] or [
                i for i, c in cards.items() if c.due <= now + LEARN_AHEAD and c.step is not None
            ]
            if not due:
                break
            i = min(due, key=lambda q: cards[q].due)
            right = memories[i].answer(now, rng)
            cards[i] = scheduler.review(cards[i], rating_for(right), now, desired_retention)
            reviews += 1
            now += ANSWER_TIME
    return result


def table(rows: list[tuple[str, Result]]) -> str:
    head = "| policy | " + " | ".join(f"reviews by day {d} | retention at day {d}" for d in CHECKPOINTS) + " |"
    lines = [head, "|---" * (1 + 2 * len(CHECKPOINTS)) + "|"]
    for name, result in rows:
        cells = " | ".join(f"{result.reviews[d]:,} | {result.retention[d]:.1%}" for d in CHECKPOINTS)
        lines.append(f"| {name} | {cells} |")
    return "\n".join(lines)


def write(markdown: str, seeds: list[int]) -> None:
    start, end = "<!-- bench:review_simulation:start -->", "<!-- bench:review_simulation:end -->"
    block = (
        f"{start}\n## Spaced review against the original policy (`bench/review_simulation.py`)\n\n"
        f"{QUESTIONS} questions ({NEW_PER_DAY} new a day on days 0..9), {DAYS} simulated days, a learner with a "
        "known exponential forgetting curve (see the script's docstring); mean of seeds "
        f"{', '.join(map(str, seeds))}. Retention = mean recall probability over all {QUESTIONS} questions at "
        "00:00 of that day; reviews = answers after each question's first one, cumulative.\n\n"
        f"{markdown}\n\n"
        "- The original policy stops reviewing as soon as a wrong answer is right once, so what was learned "
        "decays on the learner's own curve: most of the material is gone within a month.\n"
        "- FSRS spends about ten times the reviews (front-loaded while cards are young, then a few dozen a "
        "day) and keeps measured retention near the 0.90 it aims for, although its power-law curve is not "
        "the learner's true (exponential) one. Retention above the target right after a busy stretch is the "
        "reviews just done; 0.80 buys roughly a sixth fewer reviews for about ten points less.\n"
        "- The simulation drives the same `ReviewScheduler` adapter the service uses, not the HTTP routes: "
        "the queue rules (due first, learn-ahead 20 minutes) are repeated in the loop.\n\n"
        f"Run: `uv run python -m bench.review_simulation --write`.\n{end}"
    )
    text = DOC.read_text()
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)


def mean(results: list[Result]) -> Result:
    return Result(
        {d: round(sum(r.reviews[d] for r in results) / len(results)) for d in CHECKPOINTS},
        {d: sum(r.retention[d] for r in results) / len(results) for d in CHECKPOINTS},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--write", action="store_true", help="record the table in docs/performance.md")
    args = parser.parse_args()
    rows = [
        ("original (wrong answers daily until right once)", mean([original(s) for s in args.seeds])),
        ("FSRS, desired retention 0.90", mean([fsrs(s, 0.90) for s in args.seeds])),
        ("FSRS, desired retention 0.80", mean([fsrs(s, 0.80) for s in args.seeds])),
    ]
    markdown = table(rows)
    print(markdown)
    if args.write:
        write(markdown, args.seeds)


if __name__ == "__main__":
    main()
