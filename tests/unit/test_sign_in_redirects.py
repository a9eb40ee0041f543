"""The local sign-in sends codes only to this service's callback, whatever tricks the path holds."""

from __future__ import annotations

import pytest

from pullit_web.controllers.oauth import CALLBACK_PATH
from pullit_web.redirects import is_own_callback

OWN = "http://127.0.0.1:8000"


def own(path: str) -> bool:
    return is_own_callback(f"{OWN}{path}", OWN, CALLBACK_PATH)


@pytest.mark.parametrize("path", ["/login/oauth2/code/local", "/login/oauth2/code/kakao"])
def test_the_callback_of_a_provider_is_accepted(path: str) -> None:
    assert own(path)


@pytest.mark.parametrize(
    "path",
    [
        "/login/oauth2/code/../../evil",
        "/login/oauth2/code/local/../../../evil",
        "/login/oauth2/code/./local",
        "/login/oauth2/code/%2e%2e/%2e%2e/evil",
        "/login/oauth2/code/%2E%2E%2Fevil",
        "/login/oauth2/code/..%2f..%2fevil",
        "/login/oauth2/code/..%5c..%5cevil",
        "/login/oauth2/code/..\\..\\evil",
        "/login/oauth2/code//evil.example/x",
        "/login/oauth2/code/",
        "/login/oauth2/code",
        "/login/oauth2/codes/local",
        "/evil/login/oauth2/code/local",
    ],
)
def test_dot_segments_encoded_separators_and_other_paths_are_refused(path: str) -> None:
    assert not own(path)


@pytest.mark.parametrize(
    "uri",
    [
        "https://evil.example/login/oauth2/code/local",
        "http://127.0.0.1:8000@evil.example/login/oauth2/code/local",
        "http://evil.example\\@127.0.0.1:8000/login/oauth2/code/local",
        "//127.0.0.1:8000/login/oauth2/code/local",
        "http://127.0.0.1:8000/login/oauth2/code/local#/../../evil",
    ],
)
def test_other_origins_and_smuggled_hosts_are_refused(uri: str) -> None:
    assert not is_own_callback(uri, OWN, CALLBACK_PATH)
