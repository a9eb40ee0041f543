"""The language of one response: ``Accept-Language`` negotiated against the catalogs."""

from __future__ import annotations

from typing import Any

from litestar import Request

from pullit_adapters.i18n import negotiate_language
from pullit_domain.messages import Message
from pullit_domain.ports.messages import Messages

_KEY = "pullit_language"


def messages_of(request: Request[Any, Any, Any]) -> Messages:
    messages: Messages = request.app.state["container"].messages()
    return messages


def request_language(request: Request[Any, Any, Any]) -> str:
    """Negotiated once per request (quality values honoured); ``PULLIT_DEFAULT_LANGUAGE`` otherwise."""
    cached = request.scope.get(_KEY)
    if isinstance(cached, str):
        return cached
    messages = messages_of(request)
    language = negotiate_language(request.headers.get("accept-language"), messages.languages, messages.default_language)
    request.scope[_KEY] = language  # type: ignore[literal-required]
    return language


def localise(request: Request[Any, Any, Any], message: Message) -> str:
    return messages_of(request).render(message, request_language(request))
