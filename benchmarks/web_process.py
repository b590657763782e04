"""The `web` process for row 4b: what `togglbot web` runs, bound to 127.0.0.1.

``togglbot web`` (``bot.cli._web`` -> ``adapters.web.serve``) configures logging at INFO,
reads ``Settings()`` from the environment and runs ``uvicorn.run(create_web_app(...))`` on
0.0.0.0:$PORT with the edge's limits (``adapters.edge.uvicorn_options``). This does the
same with three differences for the benchmark: it listens on
127.0.0.1 only; the socket guard is on inside it too, so the web process cannot reach
anything but loopback either (violations are printed as ``NETWORK GUARD:`` lines on exit,
which the benchmark looks for in this process's log); and, when ``BENCH_TIMINGS`` names a
file, a pass-through ASGI wrapper notes how long each POST took inside the process (from
the app being called to the response's first byte: the ack as the server sees it, without
the client's or the kernel's queueing) and writes the list there as JSON on exit.

    PORT=... DATABASE_URL=... python -m benchmarks.web_process
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.edge import uvicorn_options
from adapters.web import LIMITS, create_web_app
from benchmarks import guard
from bot.app import open_app
from bot.config import Settings

GUARD_MARKER = "NETWORK GUARD:"


class LoopLag:
    """How late a 10 ms sleep wakes up, sampled for the whole life of the loop."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []  # (wall clock, lag in seconds)

    async def run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            self.samples.append((time.time(), time.perf_counter() - started - 0.01))


class AckTimer:
    """Pass-through ASGI wrapper: (wall-clock start, seconds to ``http.response.start``)
    per POST."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.seconds: list[tuple[float, float]] = []
        self.lag = LoopLag()
        self._probe: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._probe is None:
            self._probe = asyncio.create_task(self.lag.run())
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        wall, started = time.time(), time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.seconds.append((wall, time.perf_counter() - started))
            await send(message)

        await self.app(scope, receive, timed_send)


def main() -> int:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    settings = Settings()
    timings = os.environ.get("BENCH_TIMINGS")
    # No per-token pacing: the emulator has no per-second limit, and each simulated
    # person sends back to back (a paced sleep would be measured as if it were work).
    app: Any = create_web_app(settings, build=partial(open_app, toggl_pace=None, serving=True),
                              limits=LIMITS)
    timer = AckTimer(app) if timings else None
    # uvicorn re-raises the SIGTERM it handled once it has shut down; with the default
    # handler that would end the process before the lines below could run.
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        with guard.loopback_only():
            uvicorn.run(timer or app, host="127.0.0.1", port=settings.PORT,
                        **uvicorn_options(LIMITS))
    finally:
        if timer is not None and timings:
            Path(timings).write_text(json.dumps({"acks": timer.seconds,
                                                 "lag": timer.lag.samples}))
        for violation in guard.violations:
            print(f"{GUARD_MARKER} {violation}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
