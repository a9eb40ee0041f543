"""Two corrections to what Litestar itself publishes, so the OpenAPI document and OPTIONS tell the truth.

- Litestar writes numeric bounds as floats (``maximum: 9.223372036854776e+18``), which rounds the id
  bound up past what the server accepts; integer schemas get their bounds back as exact integers.
- The automatic ``OPTIONS`` handler of a path keeps the ``Allow`` list of the first route made for it,
  so a path whose handlers sit in separate routes lost methods; the header is rewritten from the
  methods of the path's final route.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders
from litestar.openapi.spec import OpenAPI, Reference, Schema
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope

from pullit_web.ids import MAX_ID

# A float holds integers exactly only up to 2**53; a bound above that can only be the id bound.
_EXACT_FLOAT_LIMIT = 2**53
_BOUNDS = ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum")


def _exact(value: float) -> int:
    return MAX_ID if abs(value) >= _EXACT_FLOAT_LIMIT else int(value)


def _fix_schema(schema: Any, seen: set[int]) -> None:
    if not isinstance(schema, Schema) or id(schema) in seen:
        return
    seen.add(id(schema))
    if schema.type == "integer" or (isinstance(schema.one_of, list) and _any_integer(schema.one_of)):
        for name in _BOUNDS:
            value = getattr(schema, name)
            if isinstance(value, float):
                setattr(schema, name, _exact(value))
    for child in (*(schema.one_of or ()), *(schema.any_of or ()), *(schema.all_of or ())):
        _fix_schema(child, seen)
    for child in (schema.properties or {}).values():
        _fix_schema(child, seen)
    if isinstance(schema.items, Schema):
        _fix_schema(schema.items, seen)


def _any_integer(options: list[Schema | Reference]) -> bool:
    return any(isinstance(option, Schema) and option.type == "integer" for option in options)


def exact_integer_bounds(document: OpenAPI) -> None:
    seen: set[int] = set()
    for schema in (document.components.schemas or {}).values():
        _fix_schema(schema, seen)
    for path_item in (document.paths or {}).values():
        for operation in (getattr(path_item, method, None) for method in ("get", "put", "post", "delete", "patch")):
            if operation is None:
                continue
            for parameter in operation.parameters or ():
                _fix_schema(getattr(parameter, "schema", None), seen)
            body = operation.request_body
            for media in getattr(body, "content", {}).values() if body is not None else ():
                _fix_schema(media.schema, seen)


def allowed_methods(app: Litestar) -> dict[str, str]:
    """``Allow`` of every path, from its final route."""
    return {route.path_format: ", ".join(sorted(route.methods)) for route in app.routes if isinstance(route, HTTPRoute)}


def allow_header_fixer(allow: dict[str, str]) -> Any:
    """A ``before_send`` hook that puts the path's full method list on automatic OPTIONS answers."""

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
            return
        headers = MutableScopeHeaders.from_message(message)
        full = allow.get(scope.get("path_template", ""))
        if full is not None and "allow" in headers:
            headers["Allow"] = full

    return before_send
