"""One log line per refused request: method, path, size and reason, nothing of the body.

Client-supplied parts are escaped (no newline can start a forged line) and shortened.
Past a burst, lines are counted instead of written, so no client can grow the log faster
than ``rate`` lines a second; the next written line says how many were left out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import quote

log = logging.getLogger("togglbot.edge")

MAX_FIELD = 120


def clean(text: str) -> str:
    """Printable ASCII only (percent-escaped), at most MAX_FIELD characters."""
    escaped = quote(text, safe="/:@!$&'()*+,;=-._~?")
    return escaped if len(escaped) <= MAX_FIELD else escaped[:MAX_FIELD] + "..."


class RefusalLog:
    """A token bucket in front of the log: ``burst`` lines at once, ``rate`` a second."""

    def __init__(
        self,
        *,
        rate: float = 5.0,
        burst: float = 50.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate
        self._burst = burst
        self._clock = clock
        self._tokens = burst
        self._last = clock()
        self._left_out = 0

    def refused(self, method: str, path: str, size: int | None, reason: str) -> None:
        """Log (or count) one refusal. ``reason`` is ours; the rest comes from the client."""
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now
        if self._tokens < 1:
            self._left_out += 1
            return
        self._tokens -= 1
        left_out, self._left_out = self._left_out, 0
        more = f" (and {left_out} more refused, not logged)" if left_out else ""
        log.info(
            "refused %s %s, %s bytes: %s%s",
            clean(method) or "-", clean(path) or "-",
            "?" if size is None else size, reason, more,
        )
