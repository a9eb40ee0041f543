"""The login cookie is sealed: unreadable, tamper-evident, bound to our key, short-lived."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pullit_adapters.memory import ManualClock
from pullit_web.http.login_cookie import COOKIE_PATH, BadLoginCookie, LoginCookies

SECRET = "unit-test-secret-that-is-long-enough-0123456789"


def test_what_one_instance_seals_another_opens() -> None:
    clock = ManualClock()
    cookie = LoginCookies(SECRET, clock).seal("kakao", "the-state", "the-verifier", "http://localhost:5173/x")

    login = LoginCookies(SECRET, clock).open(cookie.value or "")

    assert (login.provider, login.state, login.verifier, login.redirect) == (
        "kakao",
        "the-state",
        "the-verifier",
        "http://localhost:5173/x",
    )
    assert (cookie.httponly, cookie.secure, cookie.path, cookie.max_age) == (True, True, COOKIE_PATH, 600)


def test_the_cookie_hides_the_verifier_and_state() -> None:
    cookie = LoginCookies(SECRET, ManualClock()).seal("kakao", "state-visible?", "verifier-visible?", "http://x")

    assert "visible" not in (cookie.value or "")


def test_a_flipped_byte_or_another_key_is_refused() -> None:
    clock = ManualClock()
    value = LoginCookies(SECRET, clock).seal("kakao", "s", "v", "http://x").value or ""
    tampered = value[:20] + ("A" if value[20] != "A" else "B") + value[21:]

    with pytest.raises(BadLoginCookie):
        LoginCookies(SECRET, clock).open(tampered)
    with pytest.raises(BadLoginCookie):
        LoginCookies("another-secret-that-is-long-enough-0123456789", clock).open(value)
    with pytest.raises(BadLoginCookie):
        LoginCookies(SECRET, clock).open("not base64 at all!")


def test_it_expires_after_ten_minutes() -> None:
    clock = ManualClock()
    cookies = LoginCookies(SECRET, clock)
    value = cookies.seal("kakao", "s", "v", "http://x").value or ""

    clock.advance(timedelta(minutes=9, seconds=59))
    assert cookies.open(value).state == "s"
    clock.advance(timedelta(seconds=1))
    with pytest.raises(BadLoginCookie, match="expired"):
        cookies.open(value)
