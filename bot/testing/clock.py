"""A clock that moves only when told to, so time-dependent behaviour is testable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

DEFAULT_START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday


class ManualClock:
    """Callable returning an aware UTC datetime; ``advance``/``set`` move it."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        self._now = _utc(start)

    def __call__(self) -> datetime:
        return self._now

    def advance(
        self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0
    ) -> datetime:
        """Move forward (or back, with negative values); returns the new time."""
        self._now += timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days)
        return self._now

    def set(self, when: datetime) -> datetime:
        self._now = _utc(when)
        return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()})"


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("ManualClock needs an aware datetime")
    return when.astimezone(UTC)
