"""The offline question generator: real questions from a PDF's own text, no model needed."""

from pullit_adapters.offline.generator import DEFAULT_MAX_PAGES, OfflineLLM

__all__ = ["DEFAULT_MAX_PAGES", "OfflineLLM"]
