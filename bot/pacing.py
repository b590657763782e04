"""Spacing calls per key: Toggl allows ~1 request/s per token, Slack ~1 message/s per channel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable

MAX_KEYS = 50_000  # forget keys whose turn is long past once the table grows this big


class Pacer:
    """Hands out turns at least ``interval`` seconds apart per key.

    A turn is reserved before waiting (no await between reading and writing the table),
    so concurrent tasks in one event loop queue up instead of bursting together.
    """

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[Hashable, float] = {}

    async def wait(self, key: Hashable, at_most: float | None = None) -> bool:
        """Wait for ``key``'s turn; False (no turn taken) when that is over ``at_most`` s."""
        now = self._clock()
        turn = max(now, self._next.get(key, now))
        if at_most is not None and turn - now > at_most:
            return False
        self._next[key] = turn + self.interval
        if len(self._next) > MAX_KEYS:
            self._next = {k: t for k, t in self._next.items() if t > now}
        if turn > now:
            await self._sleep(turn - now)
        return True

    def next_turn_in(self, key: Hashable) -> float:
        """Seconds until ``key`` may go again (0 when it may go now)."""
        return max(0.0, self._next.get(key, 0.0) - self._clock())
