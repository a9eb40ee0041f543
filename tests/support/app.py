"""Building the app for tests: settings from a clean environment, never the developer's."""

from __future__ import annotations

from pathlib import Path

from pullit_web.settings import Settings, load_settings

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def make_settings(data_dir: Path, **overrides: str) -> Settings:
    environ = {
        "PULLIT_DATA_DIR": str(data_dir),
        "PULLIT_SECRET_KEY": TEST_SECRET,
        "PULLIT_LOG_FORMAT": "text",
        # Tests share one database; a test that wants the in-process worker turns it on.
        "PULLIT_RUN_WORKER": "false",
        # Test clients run the app's startup in another event loop than the test, which would then share
        # the engine across loops; tests that want the outbox relay turn it on.
        "PULLIT_RUN_OUTBOX_RELAY": "false",
        # Many tests call the limited routes quickly from one address; limit tests turn the budgets on.
        "PULLIT_RATE_LIMIT_SIGN_IN_PER_MINUTE": "0",
        "PULLIT_RATE_LIMIT_UPLOAD_PERMITS_PER_MINUTE": "0",
        "PULLIT_RATE_LIMIT_QUESTION_SETS_PER_MINUTE": "0",
        **{f"PULLIT_{key.upper()}": value for key, value in overrides.items()},
    }
    return load_settings(environ, env_file=data_dir / "no.env")
