"""``/``: a newcomer who opens the printed address lands on the API docs, not on a 404."""

from __future__ import annotations

from litestar import get
from litestar.response import Redirect


@get("/", include_in_schema=False, status_code=302)
async def root() -> Redirect:
    return Redirect("/docs")
