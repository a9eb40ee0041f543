"""The Gemini adapter of the ``LLM`` port (REST ``generateContent`` over httpx)."""

from pullit_adapters.gemini.client import DEFAULT_BASE_URL, DEFAULT_MODEL, GeminiLLM

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MODEL", "GeminiLLM"]
