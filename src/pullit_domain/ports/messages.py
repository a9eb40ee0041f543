"""Rendering learner-facing messages in a language (gettext catalogs in the adapters)."""

from __future__ import annotations

from typing import Protocol

from pullit_domain.messages import Message, render_template


class Messages(Protocol):
    """Contract: ``render`` never raises; an unknown language or template falls back to
    ``default_language``, then to the English template itself."""

    @property
    def default_language(self) -> str: ...

    @property
    def languages(self) -> tuple[str, ...]: ...

    def render(self, message: Message, language: str | None = None) -> str: ...


class EnglishMessages:
    """The templates as written: for the domain used as a library and for tests."""

    default_language = "en"
    languages = ("en",)

    def render(self, message: Message, language: str | None = None) -> str:
        return render_template(message.template, message.params, lambda inner: self.render(inner, language))


ENGLISH = EnglishMessages()
