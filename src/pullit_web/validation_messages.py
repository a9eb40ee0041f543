"""msgspec's and Litestar's validation texts as catalog messages, so they follow the request's language.

Each known English pattern becomes a template with its variable parts as parameters; a text
of no known pattern passes through as written (English).
"""

from __future__ import annotations

import re

from pullit_domain.messages import Message, msg

_WHERE = re.compile(r" - at `[^`]*`$")

_PATTERNS: tuple[tuple[re.Pattern[str], Message], ...] = (
    (re.compile(r"^Expected `(?P<expected>[^`]+)`, got `(?P<got>[^`]+)`$"), msg("expected {expected}, got {got}")),
    (re.compile(r"^Object missing required field `(?P<field>[^`]+)`$"), msg("the required field {field} is missing")),
    (re.compile(r"^Expected `[^`]+` of length >= (?P<limit>\d+)$"), msg("needs a length of at least {limit}")),
    (re.compile(r"^Expected `[^`]+` of length <= (?P<limit>\d+)$"), msg("allows a length of at most {limit}")),
    (re.compile(r"^Expected `[^`]+` >= (?P<limit>\S+)$"), msg("must be at least {limit}")),
    (re.compile(r"^Expected `[^`]+` <= (?P<limit>\S+)$"), msg("must be at most {limit}")),
    (re.compile(r"^Invalid enum value (?P<value>.+)$"), msg("{value} is not one of the allowed values")),
    (
        re.compile(r"^Missing required (?P<kind>\w+) parameter '(?P<name>[^']+)'"),
        msg("the {kind} parameter {name} is required"),
    ),
    (re.compile(r"^(?:JSON is malformed|Input data was truncated)"), msg("the body is not valid JSON")),
)


def validation_message(text: str) -> Message:
    bare = _WHERE.sub("", text)
    for pattern, message in _PATTERNS:
        found = pattern.match(bare)
        if found:
            return Message(message.template, found.groupdict())
    return Message(text.replace("{", "{{").replace("}", "}}"))
