"""Learner-facing text as data: a message template and its keyword parameters.

The domain never renders text for people itself. It names what happened with an English
template (``"'{title}' is ready."``) and its parameters; a ``Messages`` port
(``pullit_domain.ports.messages``) renders it in the learner's language from the message
catalogs. The English template is the catalog key, so it must be a literal string (never an
f-string): ``pybabel extract`` finds it as the first argument of ``msg(...)`` and of every
error class (the keyword list is in the README's development section).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return render_template(self.template, self.params, str)


def msg(template: str, /, **params: Any) -> Message:
    """A learner-facing message; ``template`` must be a literal (it is the catalog key)."""
    return Message(template, params)


def render_template(template: str, params: Mapping[str, Any], render: Any) -> str:
    """``template`` filled with ``params``; nested messages go through ``render`` (same language).

    A template whose placeholders do not match its parameters is shown as written rather
    than failing the response that carries it.
    """
    values = {key: render(value) if isinstance(value, Message) else value for key, value in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template
