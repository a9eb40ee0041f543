"""Where a sign-in code may be sent: our own callback, compared after normalising the path.

A prefix match alone lets ``/login/oauth2/code/../../evil`` through, because browsers resolve
dot segments (and some servers decode ``%2e``/``%2f`` or treat ``\\`` as ``/``) before routing.
So the path must already be in normal form, and then be exactly the callback of one provider.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

from pullit_web.settings import origin_of

_PROVIDER = re.compile(r"[A-Za-z0-9_-]+")
# Escapes and backslashes can hide separators and dot segments; a real callback has none.
_SMUGGLING = ("%", "\\")


def is_own_callback(redirect_uri: str, own_origin: str, callback_path: str) -> bool:
    if any(mark in redirect_uri for mark in _SMUGGLING):
        return False
    parts = urlsplit(redirect_uri)
    if origin_of(redirect_uri) != own_origin or parts.fragment or "@" in parts.netloc:
        return False
    path = parts.path
    if posixpath.normpath(path) != path or "//" in path:
        return False
    parent, _, provider = path.rpartition("/")
    return parent == callback_path and _PROVIDER.fullmatch(provider) is not None
