"""Domain metrics for ``/metrics``, in the process-wide prometheus_client registry.

Request latency and counts by route come from Litestar's Prometheus middleware; these are
the rest. Labels are bounded enumerations only (outcomes, operations, directions): never a
member, a set or a path, so the endpoint tells nothing about anyone and cardinality stays fixed.
Each process (every uvicorn worker, every ``pullit worker``) counts its own; Prometheus sums them.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from pullit_domain.ports.llm import RejectReason
from pullit_domain.screening import ScreeningTally

GENERATION_OUTCOMES = ("COMPLETE", "FAILED", "UNPROCESSABLE", "RETRY", "LOST_LEASE")

generation_jobs = Counter(
    "pullit_generation_jobs",
    "Generation attempts run by this process, by how each ended",
    ["outcome"],
)
for _outcome in GENERATION_OUTCOMES:
    generation_jobs.labels(_outcome)

# Gemini calls take seconds to minutes, so the buckets reach well past the default 10 s.
LLM_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0)

llm_duration = Histogram(
    "pullit_llm_request_duration_seconds",
    "Time spent in LLM calls, by operation and outcome",
    ["operation", "outcome"],
    buckets=LLM_BUCKETS,
)
llm_tokens = Counter(
    "pullit_llm_tokens",
    "Tokens the LLM provider reported for question generation",
    ["direction"],
)
for _direction in ("input", "output"):
    llm_tokens.labels(_direction)

# Grounding: what each writer wrote, what the quotes check kept, and why the rest went.
WRITERS = ("gemini", "offline")
questions_written = Counter("pullit_questions_written", "Questions the writer returned", ["writer"])
questions_grounded = Counter(
    "pullit_questions_grounded", "Questions kept: well formed, with a quote found on the cited page", ["writer"]
)
questions_rejected = Counter("pullit_questions_rejected", "Questions dropped, by reason", ["writer", "reason"])
writer_reasked = Counter(
    "pullit_questions_reasked", "Second requests to the writer for questions that were dropped", ["writer"]
)
for _writer in WRITERS:
    for _counter in (questions_written, questions_grounded, writer_reasked):
        _counter.labels(_writer)
    for _reason in RejectReason:
        questions_rejected.labels(_writer, _reason.value)


def count_screening(tally: ScreeningTally) -> None:
    questions_written.labels(tally.writer).inc(tally.written)
    questions_grounded.labels(tally.writer).inc(tally.grounded)
    writer_reasked.labels(tally.writer).inc(tally.reasked)
    for reason, count in tally.rejected.items():
        questions_rejected.labels(tally.writer, reason.value).inc(count)


outbox_backlog = Gauge(
    "pullit_outbox_unpublished",
    "Committed notifications the relay of this process last saw unpublished (at most one batch)",
    multiprocess_mode="max",
)
outbox_lag = Gauge(
    "pullit_outbox_lag_seconds",
    "Age of the oldest unpublished notification when the relay of this process last looked (0 when none)",
    multiprocess_mode="max",
)
