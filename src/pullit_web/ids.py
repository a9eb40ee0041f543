"""Ids as the web shell accepts them: positive and within the database's signed 64-bit ``BIGINT``.

An id beyond that range can name no row; bounding it here turns it into a 400 problem instead of an
overflow inside the database driver (a 500), and the OpenAPI document says what is accepted.

Litestar writes ``ge``/``le`` into the document as floats, and ``float(2**63 - 1)`` rounds up to
``2**63``: the document would allow an id the server refuses. So every integer bound here is also
restated, exactly, as the schema's ``minimum``/``maximum``.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import PathParameter, QueryParameter

MAX_ID = 2**63 - 1


def exact(ge: int, le: int) -> dict[str, int]:
    """``schema_extra`` with the bounds as integers."""
    return {"minimum": ge, "maximum": le}


def between(ge: int, le: int) -> msgspec.Meta:
    """An integer field of a JSON body, validated and documented as ``ge..le``."""
    return msgspec.Meta(ge=ge, le=le, extra_json_schema={"extra": exact(ge, le)})


def query_between(ge: int, le: int, name: str | None = None) -> QueryParameter:
    """An integer query parameter, validated and documented as ``ge..le``."""
    return QueryParameter(name=name, ge=ge, le=le, schema_extra=exact(ge, le))


Id = Annotated[int, between(1, MAX_ID)]
"""An id inside a JSON body."""

PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID, schema_extra=exact(1, MAX_ID))]
"""An id in the path, e.g. ``/api/question-set/{set_id:int}``."""
