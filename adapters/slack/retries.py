"""Slack redelivers a request it thinks we missed (X-Slack-Retry-Num); run each one once.

A delivery is identified by Slack's own ids: ``event_id`` for events, ``trigger_id`` for
commands and interactions. The memory is per process and bounded; a retry that reaches a
different process than the original is not caught (see README).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)

Next = Callable[[], Awaitable[None]]
Middleware = Callable[[dict[str, Any], BoltResponse, Next], Awaitable[BoltResponse]]


class SeenDeliveries:
    """Ids seen in the last ``ttl`` seconds, at most ``capacity`` of them (oldest dropped)."""

    def __init__(
        self,
        ttl: float = 600.0,
        capacity: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._capacity = capacity
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, delivery_id: str) -> bool:
        """True once per id; later calls within the ttl are False."""
        now = self._clock()
        while self._seen and next(iter(self._seen.values())) < now - self._ttl:
            self._seen.popitem(last=False)
        if delivery_id in self._seen:
            return False
        self._seen[delivery_id] = now
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True


def delivery_id(body: Mapping[str, Any]) -> str | None:
    for name in ("event_id", "trigger_id"):
        value = body.get(name)
        if isinstance(value, str) and value:
            return f"{name}:{value}"
    return None


def skip_redeliveries(seen: SeenDeliveries) -> Middleware:
    """A global bolt middleware: it runs after the signature check, so forgeries can't
    poison the memory, and answers a repeat with an empty 200 so Slack stops retrying."""

    async def middleware(body: dict[str, Any], response: BoltResponse, next: Next) -> BoltResponse:
        found = delivery_id(body)
        if found is not None and not seen.first_time(found):
            log.info("skipped a repeated Slack delivery (%s)", found.partition(":")[0])
            return BoltResponse(status=200, body="")
        await next()
        return response

    return middleware


def reject_unknown_shapes() -> Middleware:
    """A signed body that is no Slack request we know (no command, no payload type) gets a
    400 here: bolt itself would trip over some of them and answer 500."""

    async def middleware(body: dict[str, Any], response: BoltResponse, next: Next) -> BoltResponse:
        if not isinstance(body.get("command"), str) and not isinstance(body.get("type"), str):
            return BoltResponse(status=400, body="")
        await next()
        return response

    return middleware
