"""Shared fixtures: the fake Toggl, databases, and the core wired to both.

Every test also runs with logging at DEBUG through a handler that fails the test if a
known test token ever reaches a log record, at any level, from any library.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

pytest_plugins = ["tests.toggl_fixtures", "tests.db_fixtures", "tests.core_fixtures"]

# The test tokens (tests/toggl_fixtures.py ADA_TOKEN, the demo's, the leak test's marker).
SECRETS = ("ada-test-token-0f3c9e", "demo-token", "tok3nM4rk3rDoNotLeak")


class _LeakCatcher(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += repr(record.exc_info[1])
        if any(secret in text for secret in SECRETS):
            self.leaks.append(f"{record.name}: {text[:200]}")


@pytest.fixture(autouse=True)
def no_token_in_logs() -> Iterator[None]:
    """Fails any test during which a test token was logged."""
    root = logging.getLogger()
    catcher = _LeakCatcher()
    previous = root.level
    root.addHandler(catcher)
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(catcher)
        root.setLevel(previous)
    assert not catcher.leaks, f"a token reached the logs: {catcher.leaks[:3]}"
