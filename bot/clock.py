"""Time for the whole bot: one way to read the clock, so tests can hold it still."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]  # returns an aware UTC datetime


def utcnow() -> datetime:
    """The real clock."""
    return datetime.now(UTC)
