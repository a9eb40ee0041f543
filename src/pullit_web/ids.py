"""Ids as the web shell accepts them: positive and within the database's signed 64-bit ``BIGINT``.

An id beyond that range can name no row; bounding it here turns it into a 400 problem instead of an
overflow inside the database driver (a 500), and the OpenAPI document says what is accepted.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import PathParameter

MAX_ID = 2**63 - 1

Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
"""An id inside a JSON body."""

PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
"""An id in the path, e.g. ``/api/question-set/{set_id:int}``."""
