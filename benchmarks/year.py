"""Row 7: CPU for `summary` and `entries` over a year (1,095 entries, three a day).

The emulator runs in process with no latency; the time is the process's CPU time from the
command text to the reply, median of a few runs (after a warm-up). Issue 20 item 8 asks for
`entries` over a year in at most 10 ms.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from adapters.console.repl import ConsoleBot
from benchmarks.databases import sqlite_database
from benchmarks.fixtures import seed_user
from benchmarks.systems import send, succeeded, togglbot_core
from bot.emulator import TogglEmulator

YEAR_COMMANDS = ("summary", "entries")
IN_PROCESS_API = "http://toggl.in-process/api/v9"
ENTRIES_GOAL_MS = 10.0


@dataclass
class YearCost:
    entries: int = 0
    cpu_ms: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(self.cpu_ms[name]) if self.cpu_ms.get(name) else float("nan")


async def year_cost(folder: Path, runs: int = 5) -> YearCost:
    fake = TogglEmulator()
    user = seed_user(fake, "year-token", days=365, per_day=3)
    result = YearCost(entries=len(fake.entries(user.id)))
    timed = _CpuTimed(fake.app)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=timed))
    async with togglbot_core(sqlite_database(folder, "year"), IN_PROCESS_API, http=http) as core:
        bot = ConsoleBot(core, user_id="year")
        await send(bot, "login", "year-token", 0)
        today = fake.clock().date()
        year = f"{today - timedelta(days=364)}..{today}"
        for name in YEAR_COMMANDS:
            text = f"{name} {year}"
            for run in range(runs + 1):
                timed.cpu = 0.0
                started = time.process_time()
                reply = await bot.send(text)
                # The in-process emulator's own work (building 1,095 entries of JSON) is
                # not togglbot's: it is subtracted.
                spent = (time.process_time() - started - timed.cpu) * 1000
                if not succeeded(reply):
                    result.failures.append(f"{name}: {reply.title[:60]}")
                if run:
                    result.cpu_ms.setdefault(name, []).append(spent)
    await http.aclose()
    return result


class _CpuTimed:
    """Pass-through ASGI wrapper adding up the CPU time spent inside the app."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cpu = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = time.process_time()
        try:
            await self.app(scope, receive, send)
        finally:
            self.cpu += time.process_time() - started
