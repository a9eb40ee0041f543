"""One request header read straight from the ASGI scope's raw list.

Litestar's ``connection.headers`` builds a multidict of every header; the layers every request
passes (telemetry, the CORS gate, authentication) each want one header, so they scan instead.
"""

from __future__ import annotations

from litestar.types import Scope


def raw_header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of header ``name`` (lower-case, as ASGI servers give them), or ``None``."""
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None
