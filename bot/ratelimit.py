"""A per-person token bucket, so one person can't burn through a Toggl quota by spamming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from bot.clock import Clock

K = TypeVar("K")


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: datetime


class RateLimiter(Generic[K]):
    """``capacity`` commands at once, refilled at one per ``refill`` (in-process)."""

    def __init__(self, clock: Clock, capacity: int = 10, refill: timedelta = timedelta(seconds=6),
                 max_keys: int = 100_000) -> None:
        self._clock = clock
        self._capacity = capacity
        self._refill = refill.total_seconds()
        self._max_keys = max_keys
        self._buckets: dict[K, _Bucket] = {}

    def take(self, key: K) -> timedelta | None:
        """Spend one; None when allowed, else how long until the next one is free."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self._capacity), now)
        elapsed = (now - bucket.updated).total_seconds()
        bucket.tokens = min(self._capacity, bucket.tokens + elapsed / self._refill)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return timedelta(seconds=(1 - bucket.tokens) * self._refill)

    def _forget_full(self, now: datetime) -> None:
        """Buckets that have refilled completely carry no information; drop them."""
        full_after = self._capacity * self._refill
        for key in [k for k, b in self._buckets.items()
                    if (now - b.updated).total_seconds() >= full_after]:
            del self._buckets[key]
